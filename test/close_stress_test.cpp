// close() with 10,000 requests in flight, from another thread and from a continuation:
// it returns in bounded time, every pending future fails with ClientClosedError, and calls
// made after it fail at once. ($APICURIO_STRESS_DIVISOR scales the counts down under
// sanitizers; see stress_support.hpp.)
#include "client_fixture.hpp"
#include "stress_support.hpp"

#include <catch2/catch.hpp>

#include <atomic>
#include <future>
#include <thread>

using namespace apicurio;
using apicurio::emulator::Fault;
using apicurio::testing::ClientFixture;
using apicurio::testing::kAvro;
using std::chrono::seconds;

namespace {

// Starts `count` lookups of distinct globalIds, none of which can be answered: the emulator
// stalls every globalId request, so they stay in flight (on the wire or queued) until close.
std::vector<Future<CachedSchema>> stalled_lookups(RegistryClient& client, int count) {
  std::vector<Future<CachedSchema>> futures;
  futures.reserve(static_cast<std::size_t>(count));
  // Ids above any the tests register, so none is a cache hit.
  for (int i = 0; i < count; ++i)
    futures.push_back(client.get_schema_by_global_id(1000 + i));
  return futures;
}

void require_all_closed(const std::vector<Future<CachedSchema>>& futures) {
  // close() has returned, so every future must already be complete: no waiting.
  auto outcomes = apicurio::testing::settle_all(futures, std::chrono::steady_clock::now());
  CHECK(outcomes.not_ready == 0);
  CHECK(outcomes.values == 0);
  CHECK(outcomes.other == 0);
  CHECK(outcomes.closed == static_cast<int>(futures.size()));
}

}  // namespace

TEST_CASE_METHOD(ClientFixture, "close from another thread with 10,000 requests in flight") {
  const int count = apicurio::testing::stress_count(10000);
  registry.add_fault(Fault::stall("global-id-content", Fault::kForever));
  RegistryClient client(options());
  auto futures = stalled_lookups(client, count);
  REQUIRE(apicurio::testing::eventually([&] { return client.stats().in_flight > 0; }, seconds(10)));

  // Calls keep coming from other threads while close() runs; each must fail or be failed.
  std::atomic<bool> closed{false};
  std::vector<Future<CachedSchema>> racing;
  std::thread racer([&] {
    for (int i = 0; !closed && i < 100000; ++i)
      racing.push_back(client.get_schema("racer-" + std::to_string(i % 50)));
    racing.push_back(client.get_schema("after"));
  });
  auto closing = std::async(std::launch::async, [&] {
    client.close();
    closed = true;
  });
  REQUIRE(closing.wait_for(seconds(20)) == std::future_status::ready);
  racer.join();
  require_all_closed(futures);
  auto late = apicurio::testing::settle_all(racing, std::chrono::steady_clock::now() + seconds(20));
  CHECK(late.not_ready == 0);
  CHECK(late.other == 0);
  CHECK(late.values == 0);  // nothing answers: version metadata for racer-* is 404 or stalled
  CHECK(client.stats().in_flight == 0);
}

TEST_CASE_METHOD(ClientFixture, "close from a continuation with 10,000 requests in flight") {
  const int count = apicurio::testing::stress_count(10000);
  registry.add_version("default", "A", kAvro);
  RegistryClient client(options());
  // Cached before the stall, so the continuation's future completes at once.
  REQUIRE(client.get_schema("A").get().artifact_id == "A");
  registry.add_fault(Fault::stall("global-id-content", Fault::kForever));
  auto futures = stalled_lookups(client, count);
  REQUIRE(apicurio::testing::eventually([&] { return client.stats().in_flight > 0; }, seconds(10)));

  auto closed_by_continuation = client.get_schema("A").then([&](const CachedSchema& schema) {
    client.close();
    return schema.artifact_id;
  });
  REQUIRE(closed_by_continuation.wait_for(seconds(20)) == std::future_status::ready);
  CHECK(closed_by_continuation.get() == "A");
  require_all_closed(futures);
  CHECK_THROWS_AS(client.get_schema("A").get(), ClientClosedError);
}

TEST_CASE_METHOD(ClientFixture, "continuations of 10,000 futures failed by close all run") {
  const int count = apicurio::testing::stress_count(10000);
  registry.add_fault(Fault::stall("global-id-content", Fault::kForever));
  std::atomic<int> ran{0};
  std::vector<Future<bool>> continuations;
  {
    RegistryClient client(options());
    for (auto& future : stalled_lookups(client, count)) {
      continuations.push_back(future.then_result([&ran](const Result<CachedSchema>& result) {
        ++ran;
        return !result.ok();
      }));
    }
  }  // the destructor closes
  for (auto& continuation : continuations) {
    REQUIRE(continuation.wait_for(seconds(20)) == std::future_status::ready);
    CHECK(continuation.get());
  }
  CHECK(ran == count);
}

TEST_CASE_METHOD(ClientFixture,
                 "two concurrent closes each return once all 10,000 pending futures failed") {
  const int count = apicurio::testing::stress_count(10000);
  registry.add_fault(Fault::stall("global-id-content", Fault::kForever));
  for (int round = 0; round < 5; ++round) {
    RegistryClient client(options());
    auto futures = stalled_lookups(client, count);
    // Each with a continuation, so that failing them all takes a while.
    std::vector<Future<bool>> chained;
    chained.reserve(futures.size());
    for (auto& f : futures)
      chained.push_back(f.then_result([](const Result<CachedSchema>& r) { return r.ok(); }));
    std::atomic<int> not_ready_at_return{0};
    auto closer = [&] {
      client.close();
      for (auto& f : futures) {
        if (f.wait_for(seconds(0)) != std::future_status::ready) ++not_ready_at_return;
      }
    };
    std::thread first(closer);
    std::thread second(closer);
    first.join();
    second.join();
    CHECK(not_ready_at_return == 0);
    require_all_closed(futures);
  }
}
