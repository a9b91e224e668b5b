// A user's test of their own code against the installed emulator (apicurio-testing), built
// by .ci/packaging.sh with pkg-config and with CMake when apicurio is configured with
// -Dtesting=true: the public header compiles without cpp-httplib, and the library serves.
#include <apicurio/registry.hpp>
#include <apicurio/testing/emulator.hpp>

#include <exception>
#include <iostream>
#include <string>

int main() {
  const std::string schema =
      R"({"type":"record","name":"User","fields":[{"name":"id","type":"long"}]})";
  try {
    apicurio::emulator::Emulator registry;
    auto added = registry.add_version("default", "User", schema);

    apicurio::ClientOptions options;
    options.url = registry.base_url();
    options.max_retries = 0;
    apicurio::RegistryClient client{options};
    apicurio::CachedSchema got = client.get_schema("User").get();
    if (got.schema() != schema || got.global_id != added.global_id) {
      std::cerr << "the emulator served something else\n";
      return 1;
    }
    // A fault the user's code would have to survive: the registry is away once.
    registry.add_fault(apicurio::emulator::Fault::reply_status("*", 503));
    try {
      client.get_schema_by_global_id(added.global_id + 100).get();
      std::cerr << "the 503 fault did not reach the client\n";
      return 1;
    } catch (const apicurio::Error& e) {
      std::cout << "expected failure: " << e.what() << "\n";
    }
    std::cout << "emulator at " << registry.base_url() << " served global id " << got.global_id
              << "\n";
    return 0;
  } catch (const std::exception& e) {
    std::cerr << "unexpected error: " << e.what() << "\n";
    return 1;
  }
}
