// Request headers as curl reads them, a curl_slist, linked over strings the caller keeps,
// without curl_slist_append's two allocations per line, and able to continue into the list
// of headers every request shares.
#pragma once

#include <apicurio/transport.hpp>

#include <curl/curl.h>

#include <string>
#include <string_view>
#include <vector>

namespace apicurio::detail {

// Links `lines` into `nodes`, in order, the last continuing into `tail`, and returns the first
// node (`tail` when there are no lines). The nodes point into the lines: both must outlive
// the transfer that sends them, and neither may change meanwhile.
curl_slist* link_headers(const std::vector<std::string>& lines, std::vector<curl_slist>& nodes,
                         curl_slist* tail);

// The headers every request of a client carries: the User-Agent and, with
// `transport.compressed_replies`, Accept-Encoding (which curl would otherwise format on every
// transfer, with a printf that costs more than the rest of building the request), then the
// user's extra headers ("Name: value"). An extra header of the same name replaces the
// library's.
std::vector<std::string> fixed_header_lines(const TransportOptions& transport,
                                            const std::vector<std::string>& extra_headers);

// True when one of `lines` ("Name: value") is a header named `name`, ignoring case.
bool has_header(const std::vector<std::string>& lines, std::string_view name);

// Every encoding this libcurl can decode, as Accept-Encoding lists them ("" when none). curl
// decodes a reply in one of them when CURLOPT_ACCEPT_ENCODING is set.
const std::string& accepted_encodings();

}  // namespace apicurio::detail
