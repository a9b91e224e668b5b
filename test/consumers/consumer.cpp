// A user's program, built three ways by .ci/packaging.sh (pkg-config, CMake's find_package, a
// Meson subproject): it checks the headers, the library and its private dependencies all
// link and load.
#include <apicurio/registry.hpp>

#include <cstring>
#include <exception>
#include <iostream>

int main() {
  std::cout << "apicurio " << apicurio::version() << " (headers " << APICURIO_VERSION_STRING
            << ")\n";
  if (std::strcmp(apicurio::version(), APICURIO_VERSION_STRING) != 0) return 1;

  apicurio::ClientOptions options;
  options.url = "http://127.0.0.1:1/apis/registry/v3";  // nobody listens on port 1
  options.max_retries = 0;
  apicurio::RegistryClient client{options};
  try {
    client.get_schema("consumer-check").get();
  } catch (const apicurio::RegistryConnectionError& e) {
    std::cout << "expected failure: " << e.what() << "\n";
    return 0;
  } catch (const std::exception& e) {
    std::cerr << "unexpected error: " << e.what() << "\n";
    return 1;
  }
  std::cerr << "get_schema did not fail with RegistryConnectionError\n";
  return 1;
}
