// Retries with backoff and Retry-After, timeouts and dropped connections.
#include "client_fixture.hpp"
#include "manual_time.hpp"

#include <catch2/catch.hpp>

#include <algorithm>
#include <future>
#include <thread>

using namespace apicurio;
using apicurio::emulator::Fault;
using apicurio::testing::ClientFixture;
using apicurio::testing::kAvro;
using apicurio::testing::ManualTime;
using std::chrono::milliseconds;
using Steady = std::chrono::steady_clock;

TEST_CASE_METHOD(ClientFixture, "503 twice then 200 succeeds with three requests") {
  registry.add_version("default", "A", kAvro);
  registry.add_fault(Fault::reply_status("version-metadata", 503, 2));
  RegistryClient client(options());
  CHECK(client.get_schema("A").get().artifact_id == "A");
  CHECK(registry.count("version-metadata") == 3);
  CHECK(client.stats().retries == 2);
}

TEST_CASE_METHOD(ClientFixture, "a retryable status forever fails after 1 + max_retries") {
  registry.add_version("default", "A", kAvro);
  registry.add_fault(Fault::reply_status("version-metadata", 503, Fault::kForever));
  auto o = options();
  o.max_retries = 3;
  RegistryClient client(o);
  try {
    client.get_schema("A").get();
    FAIL("expected RegistryError");
  } catch (const RegistryError& e) {
    CHECK(e.status() == 503);
  }
  CHECK(registry.count("version-metadata") == 4);
}

TEST_CASE_METHOD(ClientFixture, "each retryable status is retried, 500 and 4xx are not") {
  registry.add_version("default", "A", kAvro);
  for (int status : {429, 502, 503, 504}) {
    INFO(status);
    RegistryClient client(options());
    registry.clear_requests();
    registry.add_fault(Fault::reply_status("version-metadata", status, 1));
    CHECK(client.get_schema("A").get().artifact_id == "A");
    CHECK(registry.count("version-metadata") == 2);
  }
  for (int status : {500, 400, 403, 409}) {
    INFO(status);
    RegistryClient client(options());
    registry.clear_requests();
    registry.add_fault(Fault::reply_status("version-metadata", status, 1));
    CHECK_THROWS_AS(client.get_schema("A").get(), RegistryError);
    CHECK(registry.count("version-metadata") == 1);
  }
}

TEST_CASE_METHOD(ClientFixture, "max_retries 0 disables retries") {
  registry.add_version("default", "A", kAvro);
  registry.add_fault(Fault::reply_status("version-metadata", 503, 1));
  auto o = options();
  o.max_retries = 0;
  RegistryClient client(o);
  CHECK_THROWS_AS(client.get_schema("A").get(), RegistryError);
  CHECK(registry.count("version-metadata") == 1);
}

TEST_CASE_METHOD(ClientFixture, "429 with Retry-After waits as told") {
  registry.add_version("default", "A", kAvro);
  registry.add_fault(Fault::reply_status("version-metadata", 429, 1, "1"));
  auto o = options();
  o.retry_max_backoff = std::chrono::seconds(5);
  RegistryClient client(o);
  auto started = Steady::now();
  CHECK(client.get_schema("A").get().artifact_id == "A");
  auto took = Steady::now() - started;
  CHECK(took >= std::chrono::seconds(1));
  CHECK(took < std::chrono::seconds(5));
}

// The same on a manual clock, to the millisecond. The test above stays in real time, as the
// smoke test of the loop's timers on the steady clock.
TEST_CASE_METHOD(ClientFixture, "429 with Retry-After waits as told, to the millisecond") {
  registry.add_version("default", "A", kAvro);
  registry.add_fault(Fault::reply_status("version-metadata", 429, 1, "1"));
  auto o = options();
  o.retry_max_backoff = std::chrono::seconds(5);
  ManualTime time;
  RegistryClient client(o);
  auto a = client.get_schema("A");
  REQUIRE(time.advance_after_timers(1, milliseconds(999)));
  CHECK(a.wait_for(milliseconds(50)) == std::future_status::timeout);
  CHECK(registry.count("version-metadata") == 1);
  time.advance(milliseconds(1));
  REQUIRE(a.wait_for(std::chrono::seconds(10)) == std::future_status::ready);
  CHECK(a.get().artifact_id == "A");
  CHECK(registry.count("version-metadata") == 2);
}

TEST_CASE_METHOD(ClientFixture, "Retry-After is capped at retry_max_backoff") {
  registry.add_version("default", "A", kAvro);
  registry.add_fault(Fault::reply_status("version-metadata", 503, 1, "3600"));
  RegistryClient client(options());  // max backoff 50 ms
  auto started = Steady::now();
  CHECK(client.get_schema("A").get().artifact_id == "A");
  CHECK(Steady::now() - started < std::chrono::seconds(10));
}

TEST_CASE("connection refused is retried, then names the URL") {
  std::string url;
  { url = emulator::Emulator().base_url(); }
  ClientOptions o;
  o.url = url;
  o.max_retries = 2;
  o.retry_backoff = milliseconds(1);
  o.retry_max_backoff = milliseconds(5);
  RegistryClient client(o);
  try {
    client.get_schema("A").get();
    FAIL("expected RegistryConnectionError");
  } catch (const RegistryConnectionError& e) {
    CHECK(e.failure() == ConnectionFailure::refused);
    CHECK(e.url() == url);
  }
  CHECK(client.stats().http_requests == 3);
}

TEST_CASE_METHOD(ClientFixture, "a stalled registry times out within the timeout") {
  registry.add_fault(Fault::stall("version-metadata", Fault::kForever));
  auto o = options();
  o.request_timeout = milliseconds(300);
  o.max_retries = 0;
  RegistryClient client(o);
  auto started = Steady::now();
  try {
    client.get_schema("A").get();
    FAIL("expected RegistryConnectionError");
  } catch (const RegistryConnectionError& e) {
    CHECK(e.failure() == ConnectionFailure::timeout);
  }
  CHECK(Steady::now() - started < std::chrono::seconds(3));
}

TEST_CASE_METHOD(ClientFixture, "the call deadline bounds all retries") {
  registry.add_fault(Fault::reply_status("version-metadata", 503, Fault::kForever));
  auto o = options();
  o.max_retries = 1000;
  o.retry_backoff = milliseconds(20);
  o.retry_max_backoff = milliseconds(20);
  o.call_deadline = milliseconds(300);
  ManualTime time;
  RegistryClient client(o);
  auto a = client.get_schema("A");
  auto moved = time.advance_until([&] { return a.is_ready(); }, std::chrono::seconds(10));
  REQUIRE(a.is_ready());
  // The last 503, or the timeout of the last attempt, which may start with little of the
  // deadline left: curl bounds it in real time.
  try {
    a.get();
    FAIL("expected the call to fail");
  } catch (const RegistryError& e) {
    CHECK(e.status() == 503);
  } catch (const RegistryConnectionError& e) {
    CHECK(e.failure() == ConnectionFailure::timeout);
  }
  // No retry starts at or past the deadline.
  CHECK(moved < milliseconds(300));
  CHECK(registry.count("version-metadata") >= 2);
}

TEST_CASE_METHOD(ClientFixture, "a connection dropped mid-body is retried") {
  registry.add_version("default", "A", kAvro);
  registry.add_fault(Fault::close_mid_body("content-id-content", 1));
  RegistryClient client(options());
  CHECK(client.get_schema("A").get().schema() == kAvro);
  CHECK(registry.count("content-id-content") == 2);
}

TEST_CASE_METHOD(ClientFixture, "CREATE_VERSION is not retried after a timeout") {
  registry.add_fault(Fault::stall("create-artifact", 1));
  auto o = options();
  o.request_timeout = milliseconds(300);
  RegistryClient client(o);
  RegisterOptions create;
  create.if_exists = IfExists::create_version;
  CHECK_THROWS_AS(client.register_schema("A", kAvro, create).get(), RegistryConnectionError);
  CHECK(registry.count("create-artifact") == 1);
}

TEST_CASE_METHOD(ClientFixture, "CREATE_VERSION is retried when the registry surely did not act") {
  registry.add_fault(Fault::reply_status("create-artifact", 503, 1));
  registry.add_fault(Fault::reply_status("create-artifact", 429, 1));
  registry.add_fault(Fault::reply_status("create-artifact", 502, 1));
  RegistryClient client(options());
  RegisterOptions create;
  create.if_exists = IfExists::create_version;
  // 503 and 429 are retried; 502 (a gateway may have forwarded it) is not.
  CHECK_THROWS_AS(client.register_schema("A", kAvro, create).get(), RegistryError);
  CHECK(registry.count("create-artifact") == 3);
}

TEST_CASE_METHOD(ClientFixture, "FIND_OR_CREATE_VERSION is retried after a drop") {
  registry.add_fault(Fault::close_mid_body("create-artifact", 1));
  RegistryClient client(options());
  CHECK(client.register_schema("A", kAvro).get().version == "1");
  CHECK(registry.count("create-artifact") == 2);
}

TEST_CASE_METHOD(ClientFixture, "a request waiting to retry does not hold up others") {
  registry.add_version("default", "Slow", kAvro);
  registry.add_version("default", "Fast", kAvro);
  registry.add_fault(Fault::reply_status("version-metadata", 503, 1, "2"));
  auto o = options();
  o.retry_max_backoff = std::chrono::seconds(5);
  ManualTime time;
  RegistryClient client(o);
  auto slow = client.get_schema("Slow");
  // Wait until the first attempt has failed and its retry is scheduled.
  REQUIRE(time.clock->wait_for_timers(1));
  CHECK(client.get_schema("Fast").get().artifact_id == "Fast");
  CHECK_FALSE(slow.is_ready());
  time.advance(std::chrono::seconds(2));
  REQUIRE(slow.wait_for(std::chrono::seconds(10)) == std::future_status::ready);
  CHECK(slow.get().artifact_id == "Slow");
}

namespace {

// Options whose own backoff is an hour, so that only the Retry-After decides a quick retry.
ClientOptions hour_backoff(const ClientFixture& fixture, milliseconds max_backoff) {
  auto o = fixture.options();
  o.retry_backoff = std::chrono::hours(1);
  o.retry_max_backoff = std::max<milliseconds>(max_backoff, o.retry_backoff);
  return o;
}

bool served_within_10s(RegistryClient& client, const char* id) {
  auto f = client.get_schema(id);
  if (f.wait_for(std::chrono::seconds(10)) != std::future_status::ready) return false;
  return f.get().artifact_id == id;
}

}  // namespace

TEST_CASE_METHOD(ClientFixture, "Retry-After: 0 retries at once instead of backing off") {
  registry.add_version("default", "A", kAvro);
  registry.add_fault(Fault::reply_status("version-metadata", 503, 1, "0"));
  RegistryClient client(hour_backoff(*this, std::chrono::hours(1)));
  CHECK(served_within_10s(client, "A"));
  CHECK(registry.count("version-metadata") == 2);
  client.close();
}

TEST_CASE_METHOD(ClientFixture, "Retry-After as an HTTP-date in the past retries at once") {
  registry.add_version("default", "A", kAvro);
  registry.add_fault(
      Fault::reply_status("version-metadata", 429, 1, "Wed, 21 Oct 2015 07:28:00 GMT"));
  RegistryClient client(hour_backoff(*this, std::chrono::hours(1)));
  CHECK(served_within_10s(client, "A"));
  client.close();
}

TEST_CASE_METHOD(ClientFixture,
                 "Retry-After as an HTTP-date far ahead is capped at retry_max_backoff") {
  registry.add_version("default", "A", kAvro);
  registry.add_fault(
      Fault::reply_status("version-metadata", 503, 1, "Fri, 31 Dec 9999 23:59:59 GMT"));
  RegistryClient client(options());  // max backoff 50 ms
  CHECK(served_within_10s(client, "A"));
  client.close();
}

TEST_CASE_METHOD(ClientFixture,
                 "a Retry-After past what milliseconds hold is capped, not wrapped") {
  registry.add_version("default", "A", kAvro);
  registry.add_version("default", "B", kAvro);
  registry.add_fault(Fault::reply_status("version-metadata", 503, 1, "9300000000000000"));
  RegistryClient client(options());  // max backoff 50 ms
  CHECK(served_within_10s(client, "A"));
  // Past curl_off_t: still a long wait, capped, never "now" or "absent".
  registry.add_fault(Fault::reply_status("version-metadata", 503, 1, "99999999999999999999999"));
  CHECK(served_within_10s(client, "B"));
  client.close();
}
