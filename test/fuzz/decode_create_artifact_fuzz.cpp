// Fuzzes decode_create_artifact: any body either decodes or throws DecodeError.
#include "decode.hpp"

#include <cstddef>
#include <cstdint>
#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view body(reinterpret_cast<const char*>(data), size);
  try {
    apicurio::detail::decode_create_artifact(body);
  } catch (const apicurio::detail::DecodeError&) {
  }
  return 0;
}
