// Fuzzes decode_problem, which must never throw (but std::bad_alloc): an uncaught exception
// aborts the fuzzer and counts as a crash.
#include "decode.hpp"

#include <cstddef>
#include <cstdint>
#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  apicurio::detail::decode_problem(std::string_view(reinterpret_cast<const char*>(data), size));
  return 0;
}
