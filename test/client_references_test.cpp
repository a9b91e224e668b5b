// References: how they are sent, how content is read beside them, and the walk that follows
// them to every schema a schema needs.
#include "client_fixture.hpp"

#include <catch2/catch.hpp>

#include <string>

using namespace apicurio;
using apicurio::testing::avro_named;
using apicurio::testing::ClientFixture;
using Catch::Matchers::Contains;

TEST_CASE_METHOD(ClientFixture, "a reference without a group is sent without groupId") {
  registry.add_version("default", "Dep", avro_named("Dep"));
  registry.add_version("g", "Other", avro_named("Other"));
  RegistryClient client(options());
  RegisterOptions o;
  o.references = {{"", "Dep", "1", "Dep"}, {"g", "Other", "1", "Other"}};
  CachedSchema s = client.register_schema("Top", avro_named("Top"), o).get();
  CHECK(s.artifact_id == "Top");
  std::string body;
  for (const auto& r : registry.requests())
    if (r.route == "create-artifact") body = r.body;
  CHECK(body.find(R"({"artifactId":"Dep")") != std::string::npos);
  CHECK(body.find(R"("groupId":"")") == std::string::npos);
  CHECK(body.find(R"({"groupId":"g","artifactId":"Other")") != std::string::npos);
}

// An operator may set a default reference handling (DEREFERENCE, REWRITE) for reads that do
// not ask: the one read endpoint the client uses that takes `references` says PRESERVE.
TEST_CASE_METHOD(ClientFixture, "reads by globalId ask for the content as stored") {
  auto v = registry.add_version("default", "A", avro_named("A"));
  RegistryClient client(options());
  client.get_schema_by_global_id(v.global_id).get();
  client.get_schema_by_content_id(v.content_id).get();
  bool saw_global = false;
  for (const auto& r : registry.requests()) {
    if (r.route == "global-id-content") {
      saw_global = true;
      CHECK(r.query_param("references") == "PRESERVE");
      CHECK(r.query_param("returnArtifactType") == "true");
    }
    // /ids/contentIds/{id} takes no `references` (OpenAPI 3.3.1): nothing to send there.
    if (r.route == "content-id-content") CHECK(r.query_param("references").empty());
  }
  CHECK(saw_global);
}
