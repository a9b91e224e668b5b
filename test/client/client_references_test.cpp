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

namespace {

emulator::VersionSpec refs(std::vector<emulator::Reference> references) {
  emulator::VersionSpec spec;
  spec.references = std::move(references);
  return spec;
}

std::vector<std::string> artifacts_of(const std::vector<ResolvedReference>& found) {
  std::vector<std::string> names;
  for (const auto& r : found)
    names.push_back(r.schema.group_id + "/" + r.schema.artifact_id);
  return names;
}

}  // namespace

TEST_CASE_METHOD(ClientFixture, "a diamond of references resolves each version once") {
  registry.add_version("default", "D", avro_named("D"));
  registry.add_version("g", "B", avro_named("B"), refs({{"", "D", "1", "D"}}));
  registry.add_version("default", "C", avro_named("C"), refs({{"", "D", "1", "D"}}));
  registry.add_version("default", "A", avro_named("A"),
                       refs({{"g", "B", "1", "B"}, {"", "C", "1", "C"}}));
  RegistryClient client(options());
  CachedSchema a = client.get_schema("A").get();
  auto found = client.resolve_references(a).get();
  CHECK(artifacts_of(found) == std::vector<std::string>{"g/B", "default/C", "default/D"});
  REQUIRE(found.size() == 3);
  CHECK(found[0].depth == 1);
  CHECK(found[0].reference.name == "B");
  CHECK(found[0].schema.schema() == avro_named("B"));
  CHECK(found[2].depth == 2);
  CHECK(found[2].schema.schema() == avro_named("D"));
  // Everything is cached now: a second walk sends nothing.
  const auto before = registry.requests().size();
  CHECK(artifacts_of(client.resolve_references(a).get()) == artifacts_of(found));
  CHECK(registry.requests().size() == before);
}

TEST_CASE_METHOD(ClientFixture, "a cycle of references ends where it started") {
  registry.add_version("default", "A", avro_named("A"), refs({{"", "B", "1", "B"}}));
  registry.add_version("default", "B", avro_named("B"),
                       refs({{"", "A", "1", "A"}, {"", "B", "1", "B"}}));
  RegistryClient client(options());
  auto found = client.resolve_references(client.get_schema("A", "1").get()).get();
  CHECK(artifacts_of(found) == std::vector<std::string>{"default/B"});
}

TEST_CASE_METHOD(ClientFixture, "references nested past the bound fail with a clear error") {
  registry.add_version("default", "L3", avro_named("L3"));
  registry.add_version("default", "L2", avro_named("L2"), refs({{"", "L3", "1", "L3"}}));
  registry.add_version("default", "L1", avro_named("L1"), refs({{"", "L2", "1", "L2"}}));
  registry.add_version("default", "L0", avro_named("L0"), refs({{"", "L1", "1", "L1"}}));
  RegistryClient client(options());
  CachedSchema root = client.get_schema("L0").get();
  CHECK(client.resolve_references(root, 3).get().size() == 3);
  REQUIRE_THROWS_AS(client.resolve_references(root, 2).get(), ReferenceDepthError);
  REQUIRE_THROWS_WITH(client.resolve_references(root, 2).get(),
                      Contains("deeper than 2") && Contains("L3"));
  // No references: nothing to resolve, whatever the bound.
  CHECK(client.resolve_references(client.get_schema("L3").get(), 0).get().empty());
}

TEST_CASE_METHOD(ClientFixture, "a root known only by globalId and a missing reference") {
  auto a = registry.add_version("default", "A", avro_named("A"),
                                refs({{"", "B", "1", "B"}, {"", "Gone", "1", "Gone"}}));
  registry.add_version("default", "B", avro_named("B"));
  RegistryClient client(options());
  CachedSchema by_id = client.get_schema_by_global_id(a.global_id).get();
  REQUIRE_THROWS_AS(client.resolve_references(by_id).get(), SchemaNotFoundError);
  REQUIRE_THROWS_AS(client.resolve_references(CachedSchema{}), std::invalid_argument);
}

TEST_CASE_METHOD(ClientFixture, "concurrent walks share their lookups") {
  registry.add_version("default", "D", avro_named("D"));
  registry.add_version("default", "A", avro_named("A"), refs({{"", "D", "1", "D"}}));
  RegistryClient client(options());
  CachedSchema a = client.get_schema("A").get();
  registry.add_fault(
      emulator::Fault::delay_reply("content-id-references", std::chrono::milliseconds(100), 2));
  registry.clear_requests();
  std::vector<Future<std::vector<ResolvedReference>>> walks;
  for (int i = 0; i < 10; ++i)
    walks.push_back(client.resolve_references(a));
  for (auto& w : walks)
    CHECK(artifacts_of(w.get()) == std::vector<std::string>{"default/D"});
  CHECK(registry.count("version-metadata") == 1);
  CHECK(registry.count("content-id-references") == 2);  // A's list, then D's
}

TEST_CASE_METHOD(ClientFixture, "a dereferenced read inlines the referenced Avro types") {
  registry.add_version(
      "default", "Address",
      R"({"type":"record","name":"Address","namespace":"com.example","fields":[{"name":"city","type":"string"}]})");
  auto user = registry.add_version(
      "default", "User",
      R"({"type":"record","name":"User","namespace":"com.example","fields":[{"name":"home","type":"com.example.Address"},{"name":"work","type":"Address"}]})",
      refs({{"", "Address", "1", "com.example.Address"}}));
  RegistryClient client(options());
  CachedSchema plain = client.get_schema_by_global_id(user.global_id).get();
  CachedSchema full =
      client.get_schema_by_global_id(user.global_id, ReferenceHandling::dereference).get();
  CHECK(plain.schema().find("\"fields\":[{\"name\":\"city\"") == std::string::npos);
  // As Avro's Schema.toString() writes it: the first use defines the type, later ones name it.
  CHECK(
      full.schema() ==
      R"({"type":"record","name":"User","namespace":"com.example","fields":[{"name":"home","type":{"type":"record","name":"Address","fields":[{"name":"city","type":"string"}]}},{"name":"work","type":"Address"}]})");
  CHECK(full.global_id == user.global_id);
  CHECK(full.content_id == -1);  // not the stored content
  CHECK(full.artifact_type == "AVRO");
  // Cached apart from the stored text, and collapsed like any lookup.
  const auto before = registry.requests().size();
  CHECK(client.get_schema_by_global_id(user.global_id, ReferenceHandling::dereference)
            .get()
            .schema() == full.schema());
  CHECK(client.get_schema_by_global_id(user.global_id).get().schema() == plain.schema());
  CHECK(registry.requests().size() == before);
  bool asked = false;
  for (const auto& r : registry.requests())
    asked |= r.route == "global-id-content" && r.query_param("references") == "DEREFERENCE";
  CHECK(asked);
}

TEST_CASE_METHOD(ClientFixture, "a dereferenced read of a schema without references is its text") {
  auto v = registry.add_version("default", "Plain", avro_named("Plain"));
  RegistryClient client(options());
  CHECK(
      client.get_schema_by_global_id(v.global_id, ReferenceHandling::dereference).get().schema() ==
      avro_named("Plain"));
  REQUIRE_THROWS_AS(
      client.get_schema_by_global_id(v.global_id + 100, ReferenceHandling::dereference).get(),
      SchemaNotFoundError);
}

TEST_CASE_METHOD(ClientFixture, "walks and dereferenced reads after close fail as closed") {
  auto v = registry.add_version("default", "A", avro_named("A"));
  RegistryClient client(options());
  CachedSchema a = client.get_schema("A").get();
  client.close();
  REQUIRE_THROWS_AS(client.resolve_references(a).get(), ClientClosedError);
  REQUIRE_THROWS_AS(
      client.get_schema_by_global_id(v.global_id, ReferenceHandling::dereference).get(),
      ClientClosedError);
  REQUIRE_THROWS_AS(client.get_schema(ArtifactRef{"g", "A"}).get(), ClientClosedError);
}

TEST_CASE_METHOD(ClientFixture, "a walk from a schema carrying its references asks for no list") {
  registry.add_version("default", "D", avro_named("D"));
  registry.add_version("default", "A", avro_named("A"), refs({{"", "D", "1", "D"}}));
  auto o = options();
  o.fetch_references = true;
  RegistryClient client(o);
  CachedSchema a = client.get_schema("A").get();
  REQUIRE(a.references.has_value());
  registry.clear_requests();
  CHECK(artifacts_of(client.resolve_references(a).get()) == std::vector<std::string>{"default/D"});
  CHECK(registry.count("content-id-references") == 1);  // D's, with its content
  CHECK(registry.count("global-id-references") == 0);
}
