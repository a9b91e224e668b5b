// The README's examples, compiled and run by CI against the embedded registry emulator. Each
// `//! [name]` region is a README code block (scripts/check_snippets.py keeps them equal) and
// a Doxygen @snippet. Exits 0 when every example did what the README says, 1 otherwise.
#include <apicurio/registry.hpp>

#include <apicurio/testing/emulator.hpp>

#include <chrono>
#include <cstdio>
#include <exception>
#include <iostream>
#include <optional>
#include <string>

namespace {

const std::string schema_text = R"({"type":"record","name":"UserEvent","namespace":"com.example",
  "fields":[{"name":"userId","type":"string"}]})";

// Compiled, never run: the emulator speaks neither OAuth2 nor TLS here.
[[maybe_unused]] void configure_security(apicurio::ClientOptions& options) {
  const std::string token_url = "https://sso.example.com/token", id = "svc", secret = "s3cret";
  //! [security]
  options.auth = apicurio::BasicAuth{"user", "password"};  // or a fixed apicurio::BearerAuth
  options.auth = apicurio::OAuth2ClientCredentials{token_url, id, secret, "scope"};
  options.tls.ca_file = "/etc/ssl/registry-ca.pem";  // verification is on by default
  options.transport.proxy = "http://proxy:3128";     // else http_proxy etc. apply
  //! [security]
}

bool run(const std::string& url) {
  //! [client]
  apicurio::ClientOptions options;
  options.url = url;  // e.g. "http://registry:8080/apis/registry/v3"
  apicurio::RegistryClient client{options};
  //! [client]

  //! [register]
  apicurio::RegisterOptions how;  // default if_exists: FIND_OR_CREATE_VERSION
  apicurio::CachedSchema registered = client.register_schema("UserEvent", schema_text, how).get();
  //! [register]

  //! [lookups]
  // Legacy threaded code: block where you like.
  apicurio::CachedSchema schema = client.get_schema("UserEvent").get();
  std::cout << schema.schema() << " globalId " << schema.global_id << "\n";
  // Pinned versions and ids: futures too, complete at once on a cache hit.
  auto v1 = client.get_schema("UserEvent", "1");
  auto by_global = client.get_schema_by_global_id(schema.global_id);
  auto by_content = client.get_schema_by_content_id(schema.content_id);
  //! [lookups]

  //! [continuations]
  // Batch jobs: continuations, no thread per request.
  auto id = client.get_schema("UserEvent").then([](const apicurio::CachedSchema& s) {
    return s.global_id;
  });
  auto all = apicurio::when_all(client.get_schemas({"UserEvent", "UserEvent"}));  // first error
  auto each = apicurio::when_all_settled(client.get_schemas({"UserEvent", "Missing"}));
  for (const auto& result : each.get())
    if (!result.ok()) std::cout << "one lookup failed, the others went on\n";
  //! [continuations]

  //! [groups]
  // Any group, per call (a bare id is in ClientOptions::group_id, "default").
  client.register_schema({"com.example", "UserEvent"}, schema_text).get();
  auto in_group = client.get_schema({"com.example", "UserEvent"});
  // The Java serdes' strategies name the group and artifact of a record's schema.
  apicurio::ArtifactRef where =
      apicurio::record_id_strategy({"users", apicurio::RecordPart::value, schema_text});
  // where: group "com.example", artifact "UserEvent". The version whose content is this
  // schema, registering nothing (read-only producers):
  auto found = client.find_schema(where, schema_text);
  //! [groups]

  //! [errors]
  try {
    client.get_schema("Missing").get();
  } catch (const apicurio::SchemaNotFoundError& e) {
    std::cout << "no such artifact: " << e.artifact_id() << "\n";
  } catch (const apicurio::Error& e) {  // every future fails with an apicurio::Error
    std::cout << to_string(e.code()) << (e.is_retriable() ? " (try again later): " : ": ")
              << e.what() << "\n";
  }
  //! [errors]

  bool ok = registered.global_id == schema.global_id && v1.get().version == "1" &&
            by_global.get().schema() == schema.schema() &&
            by_content.get().schema() == schema.schema() && id.get() == schema.global_id &&
            all.get().size() == 2 && !each.get()[1].ok() &&
            where.group_id == std::optional<std::string>("com.example") &&
            where.artifact_id == "UserEvent" && found.get().global_id == in_group.get().global_id;
  return ok;
}

}  // namespace

int main() {
  try {
    apicurio::emulator::Emulator registry;
    const bool ok = run(registry.base_url());
    std::printf("%s\n", ok ? "readme examples passed" : "readme examples FAILED");
    return ok ? 0 : 1;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "readme examples failed: %s\n", e.what());
    return 1;
  }
}
