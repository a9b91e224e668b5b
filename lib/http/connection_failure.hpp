// What kind of connection failure a curl error is: the retry policy and the public errors
// both ask, and only this layer knows curl's codes.
#pragma once

#include <apicurio/errors.hpp>

namespace apicurio::detail {

// What kind of connection failure a nonzero CURLcode is, for the public error and for the
// decision to retry. Any thread.
ConnectionFailure connection_failure(int curl_code) noexcept;

}  // namespace apicurio::detail
