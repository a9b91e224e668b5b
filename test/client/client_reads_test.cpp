// Reads against the emulator: latest, pinned, by id, caching, TTL, bounds and encoding.
#include "client_fixture.hpp"
#include "manual_time.hpp"

#include <catch2/catch.hpp>

#include <thread>

using namespace apicurio;
using apicurio::testing::avro_named;
using apicurio::testing::ClientFixture;
using apicurio::testing::kAvro;

TEST_CASE_METHOD(ClientFixture, "latest after two versions is the second") {
  registry.add_version("default", "User", avro_named("V1"));
  auto v2 = registry.add_version("default", "User", avro_named("V2"));
  RegistryClient client(options());
  CachedSchema s = client.get_schema("User").get();
  CHECK(s.version == "2");
  CHECK(s.global_id == v2.global_id);
  CHECK(s.content_id == v2.content_id);
  CHECK(s.schema() == avro_named("V2"));
  CHECK(s.group_id == "default");
  CHECK(s.artifact_id == "User");
  CHECK(s.artifact_type == "AVRO");
  CHECK(s.content_type.find("application/json") == 0);
  CHECK_FALSE(s.references.has_value());
  // The ids come from the metadata call and the bytes from /ids/contentIds.
  CHECK(registry.count("version-metadata") == 1);
  CHECK(registry.count("content-id-content") == 1);
  auto log = registry.requests();
  CHECK(log[0].segments.back() == "branch=latest");
}

TEST_CASE_METHOD(ClientFixture, "a pinned version, by global id and by content id") {
  auto v1 = registry.add_version("g1", "Order", avro_named("O1"),
                                 {"AVRO", "application/json", "1.0.0", {}, {}});
  registry.add_version("g1", "Order", avro_named("O2"));
  RegistryClient client(options("g1"));

  CachedSchema pinned = client.get_schema("Order", "1.0.0").get();
  CHECK(pinned.version == "1.0.0");
  CHECK(pinned.global_id == v1.global_id);
  CHECK(pinned.schema() == avro_named("O1"));
  CHECK(pinned.group_id == "g1");

  RegistryClient fresh(options("g1"));
  CachedSchema by_global = fresh.get_schema_by_global_id(v1.global_id).get();
  CHECK(by_global.global_id == v1.global_id);
  CHECK(by_global.schema() == avro_named("O1"));
  CHECK(by_global.artifact_type == "AVRO");

  CachedSchema by_content = fresh.get_schema_by_content_id(v1.content_id).get();
  CHECK(by_content.content_id == v1.content_id);
  CHECK(by_content.schema() == avro_named("O1"));
  CHECK(registry.count("global-id-content") == 1);
}

TEST_CASE_METHOD(ClientFixture, "a lookup by artifact fills the globalId cache") {
  auto v = registry.add_version("default", "A", kAvro);
  RegistryClient client(options());
  client.get_schema("A").get();
  registry.clear_requests();
  CachedSchema s = client.get_schema_by_global_id(v.global_id).get();
  CHECK(s.artifact_id == "A");
  CHECK(registry.requests().empty());
}

TEST_CASE_METHOD(ClientFixture, "a lookup by contentId answers only the content's fields") {
  auto a = registry.add_version("default", "A", kAvro);
  auto b = registry.add_version("default", "B", kAvro);
  REQUIRE(a.content_id == b.content_id);
  RegistryClient client(options());
  client.get_schema("A").get();
  client.get_schema("B").get();
  registry.clear_requests();
  // Two versions share the content: the answer must not depend on which was read first.
  for (int round = 0; round < 2; ++round) {
    CachedSchema s = client.get_schema_by_content_id(a.content_id).get();
    CHECK(s.content_id == a.content_id);
    CHECK(s.schema() == kAvro);
    CHECK(s.content_type.find("application/json") == 0);
    CHECK(s.global_id == -1);
    CHECK(s.artifact_id.empty());
    CHECK(s.version.empty());
  }
  CHECK(registry.requests().empty());
}

TEST_CASE_METHOD(ClientFixture, "two artifacts with the same content fetch it once") {
  auto a = registry.add_version("default", "A", kAvro);
  auto b = registry.add_version("default", "B", kAvro);
  REQUIRE(a.content_id == b.content_id);
  RegistryClient client(options());
  CHECK(client.get_schema("A").get().schema() == kAvro);
  CachedSchema sb = client.get_schema("B").get();
  CHECK(sb.artifact_id == "B");
  CHECK(sb.global_id == b.global_id);
  CHECK(registry.count("version-metadata") == 2);
  CHECK(registry.count("content-id-content") == 1);
}

TEST_CASE_METHOD(ClientFixture, "a cache hit sends nothing and counts as a hit") {
  registry.add_version("default", "A", kAvro);
  RegistryClient client(options());
  client.get_schema("A").get();
  auto before = registry.requests().size();
  auto hit = client.get_schema("A");
  CHECK(hit.is_ready());
  CHECK(hit.get().artifact_id == "A");
  CHECK(registry.requests().size() == before);
  CHECK(client.stats().cache_hits == 1);
  CHECK(client.stats().cache_misses == 1);
  CHECK(client.stats().http_requests == 2);
}

TEST_CASE_METHOD(ClientFixture, "ids with '/', ' ', ':' and '=' round-trip") {
  RegistryClient client(options("my group/x"));
  for (std::string id : {"a/b", "with space", "ns:Type", "k=v", "all/ :=mixed"}) {
    registry.add_version("my group/x", id, avro_named("T"));
    CachedSchema s = client.get_schema(id).get();
    CHECK(s.artifact_id == id);
    CHECK(s.group_id == "my group/x");
    CHECK(client.get_schema(id, "1").get().artifact_id == id);
  }
}

TEST_CASE_METHOD(ClientFixture, "latest is refreshed after its TTL while pinned versions stay") {
  registry.add_version("default", "A", avro_named("V1"));
  auto o = options();
  o.latest_ttl = std::chrono::milliseconds(100);
  apicurio::testing::ManualTime time;
  RegistryClient client(o);
  CHECK(client.get_schema("A").get().version == "1");
  CHECK(client.get_schema("A", "1").get().version == "1");
  registry.add_version("default", "A", avro_named("V2"));
  registry.clear_requests();
  time.advance(std::chrono::milliseconds(99));
  CHECK(client.get_schema("A").get().version == "1");  // still fresh: not asked again
  CHECK(registry.requests().empty());
  time.advance(std::chrono::milliseconds(1));
  // Expired: the old value at once, and a refresh behind it.
  CHECK(client.get_schema("A").get().version == "1");
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
  while (client.get_schema("A").get().version != "2" &&
         std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  CHECK(client.get_schema("A").get().version == "2");
  CHECK(client.get_schema("A", "1").get().version == "1");
  CHECK(registry.count("version-metadata") == 1);  // only latest was fetched again
}

TEST_CASE_METHOD(ClientFixture, "a zero TTL with no staleness fetches latest on every call") {
  registry.add_version("default", "A", kAvro);
  auto o = options();
  o.latest_ttl = std::chrono::milliseconds(0);
  o.max_stale = std::chrono::milliseconds(0);
  RegistryClient client(o);
  client.get_schema("A").get();
  client.get_schema("A").get();
  CHECK(registry.count("version-metadata") == 2);
  CHECK(registry.count("content-id-content") == 1);  // content never expires
}

TEST_CASE_METHOD(ClientFixture, "max entries bounds the cache, least recently used first") {
  for (int i = 1; i <= 3; ++i)
    registry.add_version("default", "A" + std::to_string(i), kAvro);
  auto o = options();
  o.max_cache_entries = 2;
  RegistryClient client(o);
  client.get_schema("A1", "1").get();
  client.get_schema("A2", "1").get();
  client.get_schema("A1", "1").get();  // A1 is now the most recently used
  client.get_schema("A3", "1").get();  // evicts A2
  CHECK(client.stats().evictions >= 1);
  registry.clear_requests();
  client.get_schema("A1", "1").get();
  CHECK(registry.count("version-metadata") == 0);
  client.get_schema("A2", "1").get();
  CHECK(registry.count("version-metadata") == 1);
}

TEST_CASE_METHOD(ClientFixture, "invalidate and clear forget entries") {
  registry.add_version("default", "A", kAvro);
  registry.add_version("default", "B", kAvro);
  RegistryClient client(options());
  client.get_schema("A").get();
  client.get_schema("B").get();
  client.invalidate("A");
  registry.clear_requests();
  client.get_schema("A").get();
  client.get_schema("B").get();
  CHECK(registry.count("version-metadata") == 1);
  client.clear();
  client.get_schema("B").get();
  CHECK(registry.count("version-metadata") == 2);
  CHECK(registry.count("content-id-content") == 1);
}

TEST_CASE_METHOD(ClientFixture, "references are fetched when asked for") {
  registry.add_version("default", "Dep", kAvro);
  emulator::VersionSpec spec;
  spec.references = {{"default", "Dep", "1", "com.example.User"}};
  registry.add_version("default", "Main", avro_named("Main"), spec);
  auto o = options();
  o.fetch_references = true;
  RegistryClient client(o);
  CachedSchema s = client.get_schema("Main").get();
  REQUIRE(s.references.has_value());
  REQUIRE(s.references->size() == 1);
  CHECK((*s.references)[0].artifact_id == "Dep");
  CHECK((*s.references)[0].name == "com.example.User");
  CHECK((*s.references)[0].version == "1");
  CachedSchema dep = client.get_schema("Dep").get();
  REQUIRE(dep.references.has_value());
  CHECK(dep.references->empty());
}

TEST_CASE_METHOD(ClientFixture, "get_schemas returns one future per id in order") {
  registry.add_version("default", "A", avro_named("A"));
  registry.add_version("default", "B", avro_named("B"));
  RegistryClient client(options());
  auto futures = client.get_schemas({"A", "B"});
  REQUIRE(futures.size() == 2);
  CHECK(futures[0].get().artifact_id == "A");
  CHECK(futures[1].get().artifact_id == "B");
}
