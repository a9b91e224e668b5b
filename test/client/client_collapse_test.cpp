// Request collapsing: many callers of one key share one fetch; different keys overlap.
#include "client_fixture.hpp"

#include <catch2/catch.hpp>

#include <thread>

using namespace apicurio;
using apicurio::testing::avro_named;
using apicurio::testing::ClientFixture;
using apicurio::testing::kAvro;

TEST_CASE_METHOD(ClientFixture, "1000 threads on one uncached artifact send one request of each") {
  auto v = registry.add_version("default", "Hot", kAvro);
  // Hold the metadata reply so that every thread asks while the fetch is in flight.
  registry.add_fault(
      emulator::Fault::delay_reply("version-metadata", std::chrono::milliseconds(300)));
  RegistryClient client(options());
  constexpr int kThreads = 1000;
  std::vector<std::thread> threads;
  std::vector<CachedSchema> results(kThreads);
  for (int i = 0; i < kThreads; ++i) {
    threads.emplace_back([&, i] { results[i] = client.get_schema("Hot").get(); });
  }
  for (auto& t : threads)
    t.join();
  CHECK(registry.count("version-metadata") == 1);
  CHECK(registry.count("content-id-content") == 1);
  for (const auto& r : results) {
    CHECK(r.global_id == v.global_id);
    CHECK(r.content == results[0].content);  // one shared text
  }
  auto stats = client.stats();
  CHECK(stats.http_requests == 2);
  CHECK(stats.cache_misses == 1);
  CHECK(stats.cache_hits + stats.collapsed_waits == kThreads - 1);
}

TEST_CASE_METHOD(ClientFixture, "misses on different artifacts are in flight together") {
  constexpr int kArtifacts = 200;
  for (int i = 0; i < kArtifacts; ++i) {
    registry.add_version("default", "a-" + std::to_string(i), avro_named("T" + std::to_string(i)));
  }
  registry.add_fault(emulator::Fault::delay_reply("version-metadata", std::chrono::milliseconds(50),
                                                  emulator::Fault::kForever));
  registry.clear_requests();
  RegistryClient client(options());
  std::vector<Future<CachedSchema>> futures;
  for (int i = 0; i < kArtifacts; ++i)
    futures.push_back(client.get_schema("a-" + std::to_string(i)));
  for (int i = 0; i < kArtifacts; ++i) {
    CHECK(futures[i].get().schema() == avro_named("T" + std::to_string(i)));
  }
  CHECK(registry.count("version-metadata") == kArtifacts);
  CHECK(registry.max_concurrent_requests() > 1);
}

TEST_CASE_METHOD(ClientFixture, "a failed fetch is not cached") {
  registry.add_version("default", "A", kAvro);
  registry.add_fault(emulator::Fault::reply_status("version-metadata", 500));
  RegistryClient client(options());
  CHECK_THROWS_AS(client.get_schema("A").get(), RegistryError);
  CachedSchema s = client.get_schema("A").get();
  CHECK(s.artifact_id == "A");
  CHECK(registry.count("version-metadata") == 2);
}

TEST_CASE_METHOD(ClientFixture, "a missing artifact is not cached when not_found_ttl is zero") {
  auto o = options();
  o.not_found_ttl = std::chrono::milliseconds(0);
  RegistryClient client(o);
  CHECK_THROWS_AS(client.get_schema("Later").get(), SchemaNotFoundError);
  registry.add_version("default", "Later", kAvro);
  CHECK(client.get_schema("Later").get().artifact_id == "Later");
}

TEST_CASE_METHOD(ClientFixture, "concurrent id lookups collapse too") {
  auto v = registry.add_version("default", "A", kAvro);
  registry.add_fault(
      emulator::Fault::delay_reply("global-id-content", std::chrono::milliseconds(200)));
  RegistryClient client(options());
  std::vector<Future<CachedSchema>> futures;
  for (int i = 0; i < 50; ++i)
    futures.push_back(client.get_schema_by_global_id(v.global_id));
  for (auto& f : futures)
    CHECK(f.get().global_id == v.global_id);
  CHECK(registry.count("global-id-content") == 1);
  CHECK(client.stats().collapsed_waits == 49);
}
