// Fuzzes encode_segment with a round-trip property: the output holds only RFC 3986
// unreserved characters and %XX escapes, and percent-decoding it gives the input back.
#include "url.hpp"

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

namespace {

bool unreserved(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
         c == '.' || c == '_' || c == '~';
}

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;  // lower-case or other: RFC 3986 producers should use upper case
}

// Percent-decodes `encoded`, aborting on anything an encoded segment must not contain.
std::string checked_decode(const std::string& encoded) {
  std::string decoded;
  for (std::size_t i = 0; i < encoded.size(); ++i) {
    char c = encoded[i];
    if (unreserved(c)) {
      decoded.push_back(c);
      continue;
    }
    if (c != '%' || i + 2 >= encoded.size() || hex_value(encoded[i + 1]) < 0 ||
        hex_value(encoded[i + 2]) < 0) {
      std::abort();
    }
    decoded.push_back(
        static_cast<char>(hex_value(encoded[i + 1]) * 16 + hex_value(encoded[i + 2])));
    i += 2;
  }
  return decoded;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view segment(reinterpret_cast<const char*>(data), size);
  std::string encoded = apicurio::detail::encode_segment(segment);
  if (checked_decode(encoded) != segment) std::abort();
  return 0;
}
