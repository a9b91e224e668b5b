// Fuzzes the OAuth2 token endpoint's replies: decode_token either decodes or throws
// DecodeError, and a decoded token is non-empty with a non-negative lifetime;
// decode_oauth_error never throws (an uncaught exception aborts the fuzzer).
#include "decode.hpp"

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view body(reinterpret_cast<const char*>(data), size);
  try {
    apicurio::detail::TokenReply reply = apicurio::detail::decode_token(body);
    if (reply.access_token.empty() || reply.expires_in < 0) std::abort();
  } catch (const apicurio::detail::DecodeError&) {
  }
  apicurio::detail::decode_oauth_error(body);
  return 0;
}
