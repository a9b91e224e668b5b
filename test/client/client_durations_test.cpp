// Every duration option at the end of its range: max() means "no bound", never a wrap.
#include "client_fixture.hpp"

#include <catch2/catch.hpp>

#include <atomic>
#include <future>
#include <limits>
#include <thread>

using namespace apicurio;
using apicurio::testing::ClientFixture;
using apicurio::testing::kAvro;
using std::chrono::milliseconds;
using std::chrono::seconds;

TEST_CASE_METHOD(ClientFixture, "call_deadline = milliseconds::max() means no deadline") {
  registry.add_version("default", "A", kAvro);
  auto o = options();
  o.call_deadline = milliseconds::max();
  RegistryClient client(o);
  CHECK(client.get_schema("A").get().artifact_id == "A");
  o.call_deadline = milliseconds::max() - milliseconds(1);
  RegistryClient almost(o);
  CHECK(almost.get_schema("A").get().artifact_id == "A");
}

TEST_CASE_METHOD(ClientFixture, "metrics_interval = milliseconds::max() never pushes") {
  registry.add_version("default", "A", kAvro);
  std::atomic<int> pushes{0};
  auto o = options();
  o.metrics_interval = milliseconds::max();
  o.metrics_callback = [&](const MetricsSnapshot&) { pushes++; };
  RegistryClient client(o);
  CHECK(client.get_schema("A").get().artifact_id == "A");
  std::this_thread::sleep_for(milliseconds(100));  // a wrapped interval pushes at once, often
  CHECK(pushes == 0);
}

TEST_CASE_METHOD(ClientFixture, "every duration option accepts max() and the client works") {
  registry.add_version("default", "A", kAvro);
  auto o = options();
  o.connect_timeout = milliseconds::max();
  o.request_timeout = milliseconds::max();
  o.call_deadline = milliseconds::max();
  o.latest_ttl = milliseconds::max();
  o.max_stale = milliseconds::max();
  o.not_found_ttl = milliseconds::max();
  o.retry_backoff = milliseconds::max();
  o.retry_max_backoff = milliseconds::max();
  o.metrics_interval = milliseconds::max();
  o.metrics_callback = [](const MetricsSnapshot&) {};
  RegistryClient client(o);
  CHECK(client.get_schema("A").get().artifact_id == "A");
  CHECK(client.get_schema("A").get().artifact_id == "A");
  CHECK_THROWS_AS(client.get_schema("missing").get(), SchemaNotFoundError);
  CHECK_THROWS_AS(client.get_schema("missing").get(), SchemaNotFoundError);
  CHECK(registry.count("version-metadata") == 2);  // latest and the 404 remembered
}

TEST_CASE_METHOD(ClientFixture,
                 "keep-alive idle and interval = seconds::max() and the client works") {
  registry.add_version("default", "A", kAvro);
  auto o = options();
  o.transport.keepalive_idle = std::chrono::seconds::max();
  o.transport.keepalive_interval = std::chrono::seconds::max();
  RegistryClient client(o);
  CHECK(client.get_schema("A").get().artifact_id == "A");
}

TEST_CASE_METHOD(ClientFixture,
                 "retry_backoff = max() with max_retries = max() fails at the deadline") {
  registry.add_version("default", "A", kAvro);
  registry.add_fault(emulator::Fault::reply_status("*", 503, emulator::Fault::kForever));
  auto o = options();
  o.max_retries = std::numeric_limits<decltype(o.max_retries)>::max();
  o.retry_backoff = milliseconds::max();
  o.retry_max_backoff = milliseconds::max();
  o.call_deadline = seconds(1);  // a retry drawn centuries ahead is past it: the 503 answers
  RegistryClient client(o);
  auto a = client.get_schema("A");
  REQUIRE(a.wait_for(std::chrono::seconds(10)) == std::future_status::ready);
  CHECK_THROWS_AS(a.get(), RegistryError);
}
