// Fuzzes parse_base_url: any text is accepted or rejected with std::invalid_argument. An
// accepted URL's base is http(s), has no trailing '/' and no userinfo, and parses again to
// itself.
#include "url.hpp"

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <stdexcept>
#include <string>

namespace {

bool starts_with(const std::string& text, const char* prefix) {
  return text.rfind(prefix, 0) == 0;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string url(reinterpret_cast<const char*>(data), size);
  apicurio::detail::BaseUrl parsed;
  try {
    parsed = apicurio::detail::parse_base_url(url, "url");
  } catch (const std::invalid_argument&) {
    return 0;
  }
  const std::string& base = parsed.base;
  if (!starts_with(base, "http://") && !starts_with(base, "https://")) std::abort();
  if (base.back() == '/') std::abort();
  apicurio::detail::BaseUrl again = apicurio::detail::parse_base_url(base, "url");
  if (again.base != base || !again.user.empty() || !again.password.empty()) std::abort();
  return 0;
}
