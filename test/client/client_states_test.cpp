// Version states (ENABLED, DISABLED, DEPRECATED, DRAFT) as the client sees them, drafts read
// through their own version, and canonical registrations cached as the registry stores them.
#include "client_fixture.hpp"

#include <catch2/catch.hpp>

using namespace apicurio;
using apicurio::testing::avro_named;
using apicurio::testing::ClientFixture;
using apicurio::testing::kAvro;

namespace {

const char* kAvroDocumented =
    R"({"type": "record", "name": "User", "namespace": "com.example", "doc": "a user",
        "fields": [{"name": "id", "type": "long", "doc": "its id"}]})";

emulator::VersionSpec draft_spec() {
  emulator::VersionSpec spec;
  spec.state = emulator::VersionState::DRAFT;
  return spec;
}

}  // namespace

TEST_CASE_METHOD(ClientFixture, "CachedSchema carries the version state") {
  registry.add_version("default", "A", avro_named("V1"));
  auto v2 = registry.add_version("default", "A", avro_named("V2"));
  registry.set_version_state("default", "A", "2", emulator::VersionState::DEPRECATED);
  RegistryClient client(options());
  CHECK(client.get_schema("A").get().state == VersionState::deprecated);
  CHECK(client.get_schema("A", "1").get().state == VersionState::enabled);
  CHECK(client.register_schema("B", kAvro).get().state == VersionState::enabled);
  // A lookup by id does not say.
  client.clear();
  CHECK(client.get_schema_by_global_id(v2.global_id).get().state == VersionState::unknown);
}

TEST_CASE_METHOD(ClientFixture, "a draft is read through its own version, never by contentId") {
  registry.add_version("default", "A", avro_named("V1"));
  auto draft = registry.add_version("default", "A", avro_named("Draft"), draft_spec());
  RegistryClient client(options());
  CachedSchema drafts = client.get_schema("A", "branch=drafts").get();
  CHECK(drafts.state == VersionState::draft);
  CHECK(drafts.version == "2");
  CHECK(drafts.global_id == draft.global_id);
  CHECK(drafts.schema() == avro_named("Draft"));
  CHECK(drafts.content_type == "application/json");
  CHECK(client.get_schema("A", "2").get().schema() == avro_named("Draft"));
  CHECK(registry.count("content-id-content") == 0);
  CHECK(registry.count("version-content") == 2);
  // The registry answers 404 for a draft's content by contentId: the client does not pretend
  // otherwise from its cache.
  CHECK_THROWS_AS(client.get_schema_by_content_id(draft.content_id).get(), SchemaNotFoundError);
  // branch=latest is the published version.
  CHECK(client.get_schema("A").get().version == "1");
}

TEST_CASE_METHOD(ClientFixture, "a draft's references are read through its version too") {
  ClientOptions o = options();
  o.fetch_references = true;
  auto draft = registry.add_version("default", "A", kAvro, draft_spec());
  RegistryClient client(o);
  CachedSchema s = client.get_schema("A", "branch=drafts").get();
  REQUIRE(s.references.has_value());
  CHECK(s.references->empty());
  CHECK(registry.count("version-references") == 1);
  CHECK(registry.count("content-id-references") == 0);
  CHECK(s.content_id == draft.content_id);
}

TEST_CASE_METHOD(ClientFixture, "a DISABLED version from FIND_OR_CREATE_VERSION is never latest") {
  registry.add_version("default", "A", avro_named("V1"));
  registry.add_version("default", "A", kAvro);
  registry.set_version_state("default", "A", "2", emulator::VersionState::DISABLED);
  RegistryClient client(options());
  // branch=latest skips the DISABLED version 2 on the server.
  CHECK(client.get_schema("A").get().version == "1");
  CachedSchema found = client.register_schema("A", kAvro).get();
  CHECK(found.version == "2");
  CHECK(found.state == VersionState::disabled);
  // Newer than the cached latest, but not latest.
  CHECK(client.get_schema("A").get().version == "1");
}

TEST_CASE_METHOD(ClientFixture, "a DISABLED version does not replace a remembered latest 404") {
  registry.add_version("default", "A", kAvro);
  registry.set_version_state("default", "A", "1", emulator::VersionState::DISABLED);
  RegistryClient client(options());
  CHECK_THROWS_AS(client.get_schema("A").get(), SchemaNotFoundError);
  CHECK(client.register_schema("A", kAvro).get().state == VersionState::disabled);
  CHECK_THROWS_AS(client.get_schema("A").get(), SchemaNotFoundError);
}

TEST_CASE_METHOD(ClientFixture, "a canonical registration caches the text the registry stores") {
  emulator::VersionSpec spec;
  spec.content_type = "application/vnd.apache.avro+json";
  auto stored = registry.add_version("default", "A", kAvroDocumented, spec);
  RegistryClient client(options());
  RegisterOptions o;
  o.canonical = true;
  CachedSchema found = client.register_schema("A", kAvro, o).get();
  CHECK(found.global_id == stored.global_id);
  CHECK(found.schema() == kAvroDocumented);
  CHECK(found.content_type == "application/vnd.apache.avro+json");
  CHECK(registry.requests().front().route == "create-artifact");
  CHECK(registry.requests().front().query_param("canonical") == "true");
  registry.clear_requests();
  CHECK(client.get_schema_by_global_id(stored.global_id).get().schema() == kAvroDocumented);
  CHECK(client.get_schema("A", "1").get().schema() == kAvroDocumented);
  CHECK(registry.requests().empty());
}

TEST_CASE_METHOD(ClientFixture, "a canonical registration that creates a version caches its text") {
  RegistryClient client(options());
  RegisterOptions o;
  o.canonical = true;
  CachedSchema made = client.register_schema("A", kAvroDocumented, o).get();
  CHECK(made.schema() == kAvroDocumented);
  CHECK(made.version == "1");
  // Concurrent identical canonical registrations still share one request.
  std::vector<Future<CachedSchema>> futures;
  for (int i = 0; i < 5; ++i)
    futures.push_back(client.register_schema("A", kAvro, o));
  for (auto& f : futures)
    CHECK(f.get().schema() == kAvroDocumented);
  CHECK(registry.count("create-artifact") <= 2);
}
