// Registry URLs: checking the base URL and building request URLs with encoded segments.
#pragma once

#include <string>
#include <string_view>

namespace apicurio::detail {

// A checked base URL. Credentials found in its userinfo are moved out of `base`, so that
// `base` can appear in messages.
struct BaseUrl {
  std::string base;  // scheme://host[:port]/path, no userinfo, no trailing '/'
  std::string user;
  std::string password;
};

// Parses and checks a base URL. Any thread. Throws std::invalid_argument naming `option` when
// the URL is empty, not absolute, not http or https, or carries a query or fragment.
BaseUrl parse_base_url(const std::string& url, std::string_view option);

// Percent-encodes one path segment (RFC 3986: everything but unreserved characters), so
// '/', ' ', ':' and '=' inside an id stay inside its segment. Any thread; throws
// std::bad_alloc only.
std::string encode_segment(std::string_view segment);
// As encode_segment, appending to `out`.
void append_segment(std::string& out, std::string_view segment);

}  // namespace apicurio::detail
