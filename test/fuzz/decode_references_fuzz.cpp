// Fuzzes decode_references: any body either decodes or throws DecodeError; nothing else
// escapes and nothing crashes.
#include "decode.hpp"

#include <cstddef>
#include <cstdint>
#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  try {
    apicurio::detail::decode_references(
        std::string_view(reinterpret_cast<const char*>(data), size));
  } catch (const apicurio::detail::DecodeError&) {
  }
  return 0;
}
