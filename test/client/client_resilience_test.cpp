// The cache as a resilience layer: stale-while-revalidate, serving stale data through
// failures, negative caching, preload and metrics.
#include "client_fixture.hpp"
#include "manual_time.hpp"
#include "stress_support.hpp"

#include <catch2/catch.hpp>

#include <atomic>
#include <thread>

using namespace apicurio;
using apicurio::emulator::Fault;
using apicurio::testing::avro_named;
using apicurio::testing::ClientFixture;
using apicurio::testing::eventually;
using apicurio::testing::kAvro;
using apicurio::testing::ManualTime;
using std::chrono::milliseconds;
using std::chrono::seconds;

namespace {

ClientOptions short_ttl(ClientOptions o) {
  o.latest_ttl = milliseconds(50);
  o.max_retries = 0;
  return o;
}

const OperationMetrics& reads(const MetricsSnapshot& m) {
  return m[Operation::get_schema];
}

}  // namespace

// In real time, as the smoke test of expiry on the steady clock (and the per-thread copies'
// coarse clock); the other expiry tests move a manual clock.
TEST_CASE_METHOD(ClientFixture, "expiry returns the old value at once and one refresh follows") {
  registry.add_version("default", "A", avro_named("V1"));
  RegistryClient client(short_ttl(options()));
  CHECK(client.get_schema("A").get().version == "1");
  registry.add_version("default", "A", avro_named("V2"));
  // Hold the refresh so that every call below happens while it runs.
  registry.add_fault(Fault::delay_reply("version-metadata", milliseconds(300)));
  std::this_thread::sleep_for(milliseconds(80));
  registry.clear_requests();
  std::vector<Future<CachedSchema>> during;
  for (int i = 0; i < 100; ++i)
    during.push_back(client.get_schema("A"));
  for (auto& f : during) {
    CHECK(f.is_ready());  // no caller waits for the refresh
    CHECK(f.get().version == "1");
  }
  CHECK(eventually([&] { return client.get_schema("A").get().version == "2"; }, seconds(5)));
  CHECK(registry.count("version-metadata") == 1);
  auto m = reads(client.metrics());
  CHECK(m.refreshes == 1);
  CHECK(m.stale_served >= 100);
}

TEST_CASE_METHOD(ClientFixture, "a failing refresh keeps serving the old value and counts it") {
  registry.add_version("default", "A", avro_named("V1"));
  auto o = short_ttl(options());
  o.request_timeout = milliseconds(200);
  o.retry_backoff = milliseconds(20);
  ManualTime time;
  RegistryClient client(o);
  CHECK(client.get_schema("A").get().version == "1");
  int expected_failures = 0;
  for (Fault fault : {Fault::reply_status("version-metadata", 503, Fault::kForever),
                      Fault::close_mid_body("version-metadata", Fault::kForever),
                      Fault::stall("version-metadata", Fault::kForever)}) {
    INFO(static_cast<int>(fault.kind));
    registry.clear_faults();
    registry.add_fault(fault);
    ++expected_failures;
    time.advance(milliseconds(80));  // past the TTL, and the last failure's retry time
    CHECK(client.get_schema("A").get().version == "1");
    CHECK(eventually(
        [&] {
          return reads(client.metrics()).refresh_failures >= std::uint64_t(expected_failures);
        },
        seconds(5)));
    CHECK(client.get_schema("A").get().version == "1");
  }
  registry.clear_faults();
  registry.add_version("default", "A", avro_named("V2"));
  time.advance(milliseconds(80));
  CHECK(eventually([&] { return client.get_schema("A").get().version == "2"; }, seconds(5)));
}

TEST_CASE_METHOD(ClientFixture, "past max_stale callers wait for the registry") {
  registry.add_version("default", "A", kAvro);
  auto o = short_ttl(options());
  o.max_stale = milliseconds(50);
  ManualTime time;
  RegistryClient client(o);
  client.get_schema("A").get();
  registry.add_fault(Fault::reply_status("version-metadata", 503, Fault::kForever));
  time.advance(milliseconds(99));  // fresh for 50 ms, then served stale for 50 ms
  CHECK(client.get_schema("A").get().artifact_id == "A");
  time.advance(milliseconds(1));
  CHECK_THROWS_AS(client.get_schema("A").get(), RegistryError);
}

TEST_CASE_METHOD(ClientFixture, "a deleted artifact drops out on refresh") {
  registry.add_version("default", "A", kAvro);
  ManualTime time;
  RegistryClient client(short_ttl(options()));
  client.get_schema("A").get();
  registry.delete_artifact("default", "A");
  time.advance(milliseconds(80));
  client.get_schema("A").get();  // stale, and the refresh learns of the 404
  CHECK(eventually(
      [&] {
        try {
          client.get_schema("A").get();
          return false;
        } catch (const SchemaNotFoundError&) {
          return true;
        }
      },
      seconds(5)));
}

TEST_CASE_METHOD(ClientFixture, "a 404 is remembered briefly, then asked again") {
  auto o = options();
  o.not_found_ttl = milliseconds(200);
  ManualTime time;
  RegistryClient client(o);
  for (int i = 0; i < 100; ++i) {
    CHECK_THROWS_AS(client.get_schema_by_global_id(999).get(), SchemaNotFoundError);
  }
  CHECK(registry.count("global-id-content") == 1);
  CHECK(client.metrics()[Operation::get_by_global_id].negative_hits == 99);
  time.advance(milliseconds(199));
  CHECK_THROWS_AS(client.get_schema_by_global_id(999).get(), SchemaNotFoundError);
  CHECK(registry.count("global-id-content") == 1);
  time.advance(milliseconds(1));
  CHECK_THROWS_AS(client.get_schema_by_global_id(999).get(), SchemaNotFoundError);
  CHECK(registry.count("global-id-content") == 2);
}

TEST_CASE_METHOD(ClientFixture, "retryable failures are never remembered") {
  registry.add_version("default", "A", kAvro);
  registry.add_fault(Fault::reply_status("version-metadata", 503, 1));
  auto o = options();
  o.max_retries = 0;
  RegistryClient client(o);
  CHECK_THROWS_AS(client.get_schema("A").get(), RegistryError);
  CHECK(client.get_schema("A").get().artifact_id == "A");
}

TEST_CASE_METHOD(ClientFixture, "preload reports each failure") {
  registry.add_version("default", "A", kAvro);
  registry.add_version("default", "B", kAvro);
  RegistryClient client(options());
  PreloadReport report = client.preload({"A", "missing", "B"}).get();
  CHECK(report.cached == std::vector<std::string>{"A", "B"});
  REQUIRE(report.failures.size() == 1);
  CHECK(report.failures[0].artifact_id == "missing");
  CHECK(report.failures[0].message.find("missing") != std::string::npos);
  CHECK_FALSE(report.ok());
  CHECK_THROWS_AS(report.throw_if_failed(), SchemaNotFoundError);
  registry.clear_requests();
  client.get_schema("A").get();
  CHECK(registry.requests().empty());
}

TEST_CASE_METHOD(ClientFixture, "metrics add up to the registry's request log") {
  auto v = registry.add_version("default", "A", kAvro);
  registry.add_version("default", "B", avro_named("B"));
  registry.add_fault(Fault::reply_status("version-metadata", 503, 1));
  RegistryClient client(options());
  client.get_schema("A").get();
  client.get_schema("A").get();
  client.get_schema("B").get();
  client.get_schema_by_global_id(v.global_id).get();  // filled by the read of A
  CHECK_THROWS(client.get_schema_by_content_id(12345).get());
  client.register_schema("C", avro_named("C")).get();
  MetricsSnapshot m = client.metrics();
  std::uint64_t total = 0;
  for (const auto& op : m.operations)
    total += op.http_requests;
  CHECK(total == registry.requests().size());
  CHECK(total == client.stats().http_requests);
  CHECK(m[Operation::get_schema].calls == 3);
  CHECK(m[Operation::get_schema].hits == 1);
  CHECK(m[Operation::get_schema].misses == 2);
  CHECK(m[Operation::get_schema].retries == 1);
  CHECK(m[Operation::get_schema].http_requests == 5);  // 2 + retry, 2 contents
  CHECK(m[Operation::get_by_global_id].hits == 1);
  CHECK(m[Operation::get_by_content_id].errors == 1);
  CHECK(m[Operation::register_schema].http_requests == 1);
  CHECK(m[Operation::get_schema].fetch_latency.count == 2);
  std::string json = to_json(m);
  CHECK(json.find("\"get_schema\":{\"calls\":3") != std::string::npos);
}

TEST_CASE_METHOD(ClientFixture, "metrics are pushed to a callback off the event thread") {
  std::atomic<int> pushes{0};
  auto o = options();
  o.metrics_interval = milliseconds(20);
  o.metrics_callback = [&](const MetricsSnapshot&) { pushes++; };
  ManualTime time;
  RegistryClient client(o);
  for (int i = 1; i <= 3; ++i) {
    REQUIRE(time.advance_after_timers(1, milliseconds(19)));
    CHECK(pushes == i - 1);
    time.advance(milliseconds(1));
    CHECK(eventually([&] { return pushes >= i; }, seconds(5)));
  }
}

TEST_CASE_METHOD(ClientFixture, "a metrics push the executor refuses is skipped") {
  std::atomic<int> pushes{0};
  registry.add_version("default", "A", kAvro);
  auto o = options();
  o.executor = std::make_shared<testing::RefusingExecutor>("queue full");
  o.metrics_interval = milliseconds(5);
  o.metrics_callback = [&](const MetricsSnapshot&) { pushes++; };
  ManualTime time;
  RegistryClient client(o);
  // Ten pushes come due and are refused; each refused one sets the next.
  CHECK(time.advance_until([] { return false; }, milliseconds(50)) == milliseconds(50));
  CHECK(client.get_schema("A").get().artifact_id == "A");
  CHECK(pushes == 0);
}

TEST_CASE_METHOD(ClientFixture, "a failed refresh does not stretch max_stale") {
  registry.add_version("default", "A", kAvro);
  auto o = options();
  o.latest_ttl = milliseconds(200);
  o.max_stale = milliseconds(100);
  o.max_retries = 0;
  o.retry_backoff = seconds(5);  // a retry time far past the stale limit
  o.retry_max_backoff = seconds(5);
  ManualTime time;
  RegistryClient client(o);
  client.get_schema("A").get();
  registry.add_fault(Fault::reply_status("version-metadata", 503, Fault::kForever));
  time.advance(milliseconds(220));
  const std::uint64_t hits = reads(client.metrics()).hits;
  // Stale: never counted as a fresh hit.
  try {
    client.get_schema("A").get();
  } catch (const RegistryError&) {
  }
  CHECK(eventually([&] { return reads(client.metrics()).errors >= 1; }, seconds(5)));
  CHECK(reads(client.metrics()).hits == hits);
  time.advance(milliseconds(180));
  // Past fresh_until + max_stale: the registry's error, on this thread and another.
  CHECK_THROWS_AS(client.get_schema("A").get(), RegistryError);
  std::thread other([&] { CHECK_THROWS_AS(client.get_schema("A").get(), RegistryError); });
  other.join();
  CHECK(reads(client.metrics()).hits == hits);
}

TEST_CASE_METHOD(ClientFixture, "remembered 404s stay within max_cache_entries") {
  auto o = options();
  o.max_cache_entries = 20;
  o.not_found_ttl = seconds(60);
  RegistryClient client(o);
  constexpr int kIds = 1000;
  constexpr int kArtifacts = 200;
  for (int batch = 0; batch < kIds; batch += 100) {
    std::vector<Future<CachedSchema>> misses;
    for (int i = batch; i < batch + 100; ++i)
      misses.push_back(client.get_schema_by_global_id(1000000 + i));
    for (int i = batch; i < batch + 100 && i < kArtifacts; ++i)
      misses.push_back(client.get_schema("missing-" + std::to_string(i)));
    for (auto& f : misses)
      CHECK_THROWS_AS(f.get(), SchemaNotFoundError);
  }
  // Every 404 was remembered, and all but the last 20 of each cache were evicted.
  CHECK(client.stats().evictions == (kIds - 20) + (kArtifacts - 20));
}

TEST_CASE_METHOD(ClientFixture, "a remembered 404 of an id does not hide a version that has it") {
  auto o = options();
  o.not_found_ttl = seconds(60);
  RegistryClient client(o);
  // Ids start at 1: the first version gets globalId 1 and contentId 1.
  CHECK_THROWS_AS(client.get_schema_by_content_id(1).get(), SchemaNotFoundError);
  CHECK_THROWS_AS(client.get_schema_by_global_id(1).get(), SchemaNotFoundError);
  auto v1 = registry.add_version("default", "A", kAvro);
  REQUIRE(v1.content_id == 1);
  REQUIRE(v1.global_id == 1);
  // The version's metadata names the content: the read must not stop at the 404 of before.
  CHECK(client.get_schema("A").get().schema() == kAvro);
  CHECK(client.get_schema_by_content_id(1).get().schema() == kAvro);
  CHECK(client.get_schema_by_global_id(1).get().artifact_id == "A");
}
