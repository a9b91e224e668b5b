// find_schema: the version whose content matches, found with POST /search/versions as the
// Java serdes find it, cached and collapsed.
#include "client_fixture.hpp"

#include <catch2/catch.hpp>

#include <chrono>
#include <stdexcept>
#include <thread>

using namespace apicurio;
using apicurio::testing::avro_named;
using apicurio::testing::ClientFixture;
using apicurio::testing::kAvro;
using namespace std::chrono_literals;

namespace {

// kAvro as another producer may have written it: docs and other whitespace. The registry's
// Avro canonicalizer makes both the same.
const char* kAvroDocumented =
    R"({"type": "record", "name": "User", "namespace": "com.example", "doc": "a user",
        "fields": [{"name": "id", "type": "long", "doc": "its id"}]})";

FindOptions canonical() {
  FindOptions o;
  o.canonical = true;
  return o;
}

}  // namespace

TEST_CASE_METHOD(ClientFixture, "find sends the search the Java serdes send and caches the hit") {
  auto v1 = registry.add_version("g", "A", kAvro);
  RegistryClient client(options("g"));
  CachedSchema found = client.find_schema("A", kAvro).get();
  CHECK(found.global_id == v1.global_id);
  CHECK(found.content_id == v1.content_id);
  CHECK(found.group_id == "g");
  CHECK(found.artifact_id == "A");
  CHECK(found.version == "1");
  CHECK(found.artifact_type == "AVRO");
  CHECK(found.state == VersionState::enabled);
  CHECK(found.schema() == kAvro);
  CHECK(found.content_type == "application/json");
  auto log = registry.requests();
  REQUIRE(log.size() >= 1);
  CHECK(log[0].method == "POST");
  CHECK(log[0].route == "search-versions-by-content");
  CHECK(log[0].query_param("canonical") == "false");
  CHECK(log[0].query_param("artifactType") == "AVRO");
  CHECK(log[0].query_param("groupId") == "g");
  CHECK(log[0].query_param("artifactId") == "A");
  CHECK(log[0].query_param("orderby") == "globalId");
  CHECK(log[0].query_param("order") == "desc");
  CHECK(log[0].query_param("limit") == "100");
  CHECK(log[0].header("Content-Type") == "application/json");
  CHECK(log[0].body == kAvro);

  registry.clear_requests();
  CHECK(client.find_schema("A", kAvro).get().global_id == v1.global_id);
  // The version found fills the other caches too.
  CHECK(client.get_schema("A", "1").get().global_id == v1.global_id);
  CHECK(client.get_schema_by_global_id(v1.global_id).get().schema() == kAvro);
  CHECK(registry.requests().empty());
  CHECK(client.metrics()[Operation::find_schema].calls == 2);
  CHECK(client.metrics()[Operation::find_schema].hits == 1);
}

TEST_CASE_METHOD(ClientFixture, "a find that matches nothing is SchemaNotFoundError") {
  registry.add_version("default", "A", avro_named("Other"));
  RegistryClient client(options());
  try {
    client.find_schema("A", kAvro).get();
    FAIL("expected SchemaNotFoundError");
  } catch (const SchemaNotFoundError& e) {
    CHECK(e.artifact_id() == "A");
    CHECK(e.group_id() == "default");
  }
  // Remembered like any 404, until a registration of the artifact shows it changed.
  CHECK_THROWS_AS(client.find_schema("A", kAvro).get(), SchemaNotFoundError);
  CHECK(registry.count("search-versions-by-content") == 1);
  CachedSchema made = client.register_schema("A", kAvro).get();
  CHECK(client.find_schema("A", kAvro).get().global_id == made.global_id);
  // An artifact that does not exist is a miss too (the search answers an empty list).
  CHECK_THROWS_AS(client.find_schema("Nope", kAvro).get(), SchemaNotFoundError);
}

TEST_CASE_METHOD(ClientFixture,
                 "of several matching versions, find takes the newest not DISABLED") {
  registry.add_version("default", "A", kAvro);
  registry.add_version("default", "A", avro_named("Other"));
  auto v3 = registry.add_version("default", "A", kAvro);
  registry.add_version("default", "A", kAvro);
  registry.set_version_state("default", "A", "4", emulator::VersionState::DISABLED);
  RegistryClient client(options());
  CachedSchema found = client.find_schema("A", kAvro).get();
  CHECK(found.global_id == v3.global_id);
  CHECK(found.version == "3");
  // Every matching version shares the content: one contentId.
  CHECK(found.content_id == registry.add_version("default", "B", kAvro).content_id);
}

TEST_CASE_METHOD(ClientFixture,
                 "a canonical find matches another text and returns the stored one") {
  auto stored = registry.add_version("default", "A", kAvroDocumented);
  RegistryClient client(options());
  CHECK_THROWS_AS(client.find_schema("A", kAvro).get(), SchemaNotFoundError);
  CachedSchema found = client.find_schema("A", kAvro, canonical()).get();
  CHECK(found.global_id == stored.global_id);
  CHECK(found.schema() == kAvroDocumented);
  auto searches = registry.requests();
  CHECK(searches[searches.size() - 2].query_param("canonical") == "true");
  // Exact and canonical finds are different keys.
  registry.clear_requests();
  CHECK(client.find_schema("A", kAvro, canonical()).get().global_id == stored.global_id);
  CHECK_THROWS_AS(client.find_schema("A", kAvro).get(), SchemaNotFoundError);
  CHECK(registry.requests().empty());
}

TEST_CASE_METHOD(ClientFixture, "concurrent identical finds share one search") {
  auto v1 = registry.add_version("default", "A", kAvro);
  registry.add_fault(emulator::Fault::delay_reply("search-versions-by-content", 200ms));
  RegistryClient client(options());
  std::vector<Future<CachedSchema>> futures, theirs;
  std::thread other([&] {
    for (int i = 0; i < 10; ++i)
      theirs.push_back(client.find_schema("A", kAvro));
  });
  for (int i = 0; i < 10; ++i)
    futures.push_back(client.find_schema("A", kAvro));
  other.join();
  futures.insert(futures.end(), theirs.begin(), theirs.end());
  for (auto& f : futures) {
    REQUIRE(f.wait_for(10s) == std::future_status::ready);
    CHECK(f.get().global_id == v1.global_id);
  }
  CHECK(registry.count("search-versions-by-content") == 1);
  CHECK(client.metrics()[Operation::find_schema].collapsed >= 1);
}

TEST_CASE_METHOD(ClientFixture, "two artifacts with the same content are found apart") {
  auto a = registry.add_version("default", "A", kAvro);
  auto b = registry.add_version("default", "B", kAvro);
  RegistryClient client(options());
  CachedSchema in_a = client.find_schema("A", kAvro).get();
  CachedSchema in_b = client.find_schema("B", kAvro).get();
  CHECK(in_a.global_id == a.global_id);
  CHECK(in_b.global_id == b.global_id);
  CHECK(in_a.content_id == in_b.content_id);
  CHECK(in_b.artifact_id == "B");
  CHECK(registry.count("search-versions-by-content") == 2);
  // The content is read once for both.
  CHECK(registry.count("content-id-content") == 1);
}

TEST_CASE_METHOD(ClientFixture, "find checks its arguments and fails after close") {
  RegistryClient client(options());
  CHECK_THROWS_AS(client.find_schema("", kAvro), std::invalid_argument);
  CHECK_THROWS_AS(client.find_schema("A", ""), std::invalid_argument);
  FindOptions no_type;
  no_type.content_type.clear();
  CHECK_THROWS_AS(client.find_schema("A", kAvro, no_type), std::invalid_argument);
  client.close();
  CHECK_THROWS_AS(client.find_schema("A", kAvro).get(), ClientClosedError);
}

TEST_CASE_METHOD(ClientFixture, "a malformed search reply fails the find") {
  registry.add_fault(
      emulator::Fault::replace_body("search-versions-by-content", R"({"versions":7})"));
  RegistryClient client(options());
  try {
    client.find_schema("A", kAvro).get();
    FAIL("expected RegistryError");
  } catch (const RegistryError& e) {
    CHECK(e.malformed());
  }
}

TEST_CASE_METHOD(ClientFixture, "invalidate and clear forget the versions found") {
  registry.add_version("default", "A", kAvro);
  RegistryClient client(options());
  client.find_schema("A", kAvro).get();
  client.invalidate("B");
  client.find_schema("A", kAvro).get();
  CHECK(registry.count("search-versions-by-content") == 1);
  client.invalidate("A");
  client.find_schema("A", kAvro).get();
  CHECK(registry.count("search-versions-by-content") == 2);
  client.clear();
  client.find_schema("A", kAvro).get();
  CHECK(registry.count("search-versions-by-content") == 3);
}
