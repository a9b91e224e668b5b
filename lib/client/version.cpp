#include <apicurio/version.hpp>

namespace apicurio {

const char* version() noexcept {
  return APICURIO_VERSION_STRING;
}

}  // namespace apicurio
