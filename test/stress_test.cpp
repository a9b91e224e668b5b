// 20 threads make 10,000 mixed reads, registrations and id lookups while the emulator injects
// random 5xx, dropped connections and delays: every future completes with a value or a
// library error, nothing hangs, no descriptor leaks, and every HTTP request the client counts
// is one the emulator logged. ($APICURIO_STRESS_DIVISOR scales the counts down under
// sanitizers; see stress_support.hpp.)
#include "client_fixture.hpp"
#include "stress_support.hpp"

#include <catch2/catch.hpp>

#include <atomic>
#include <random>
#include <thread>

using namespace apicurio;
using apicurio::emulator::Fault;
using apicurio::testing::avro_named;
using std::chrono::milliseconds;

namespace {

constexpr int kThreads = 20;
constexpr int kArtifacts = 300;
constexpr int kBatch = 50;

// Adds one random fault every millisecond or so until stopped. Each fault hits one request, so
// a share of requests fail while the rest go through. No fault outlasts the client's
// request_timeout, so the client never gives up on a request the emulator has not logged.
class FaultInjector {
 public:
  explicit FaultInjector(emulator::Emulator& registry)
      : thread_([this, &registry] { run(registry); }) {}
  ~FaultInjector() { stop(); }
  void stop() {
    stopping_ = true;
    if (thread_.joinable()) thread_.join();
  }
  int added() const { return added_; }

 private:
  void run(emulator::Emulator& registry) {
    std::mt19937 random(7);
    const int statuses[] = {429, 500, 502, 503, 504};
    while (!stopping_) {
      int pick = static_cast<int>(random() % 10);
      if (pick < 4) {
        registry.add_fault(Fault::reply_status("*", statuses[random() % 5]));
      } else if (pick < 7) {
        registry.add_fault(Fault::close_mid_body("*"));
      } else {
        registry.add_fault(Fault::delay_reply("*", milliseconds(1 + random() % 20)));
      }
      ++added_;
      std::this_thread::sleep_for(milliseconds(1));
    }
  }

  std::atomic<bool> stopping_{false};
  std::atomic<int> added_{0};
  std::thread thread_;
};

// One call picked at random: latest or pinned reads, id lookups (some of unknown ids, which
// 404) and registrations (which find or create versions).
Future<CachedSchema> random_call(RegistryClient& client, std::mt19937& random) {
  const int pick = static_cast<int>(random() % 100);
  const std::string artifact = "art-" + std::to_string(random() % kArtifacts);
  const auto id = static_cast<std::int64_t>(1 + random() % (kArtifacts + 30));
  if (pick < 35) return client.get_schema(artifact);
  if (pick < 50) return client.get_schema(artifact, "1");
  if (pick < 65) return client.get_schema_by_global_id(id);
  if (pick < 80) return client.get_schema_by_content_id(id);
  return client.register_schema("reg-" + std::to_string(random() % 100),
                                avro_named("R" + std::to_string(random() % 3)));
}

}  // namespace

TEST_CASE("20 threads of mixed calls under random faults: all complete, counts match") {
  const int calls_per_thread = apicurio::testing::stress_count(10000) / kThreads;
  const auto descriptors_before = apicurio::testing::descriptor_targets();
  {
    emulator::Emulator registry;
    for (int i = 0; i < kArtifacts; ++i)
      registry.add_version("default", "art-" + std::to_string(i),
                           avro_named("A" + std::to_string(i)));

    ClientOptions options;
    options.url = registry.base_url();
    options.retry_backoff = milliseconds(1);
    options.retry_max_backoff = milliseconds(10);
    // Small caches keep evicting, so reads keep going to the registry.
    options.max_cache_entries = 64;
    options.request_timeout = std::chrono::seconds(30);
    RegistryClient client(options);

    std::vector<std::vector<Future<CachedSchema>>> futures(kThreads);
    {
      FaultInjector faults(registry);
      std::vector<std::thread> callers;
      for (int t = 0; t < kThreads; ++t) {
        callers.emplace_back([&, t] {
          std::mt19937 random(static_cast<unsigned>(1000 + t));
          auto& mine = futures[static_cast<std::size_t>(t)];
          for (int i = 0; i < calls_per_thread; ++i) {
            mine.push_back(random_call(client, random));
            // Half the threads block on each call, as legacy code does; the others send
            // batches and wait for each batch.
            bool blocking = t % 2 == 0;
            if (blocking || (i + 1) % kBatch == 0) mine.back().wait_for(std::chrono::seconds(60));
          }
        });
      }
      for (auto& caller : callers)
        caller.join();
      faults.stop();
      INFO("faults added: " << faults.added());
    }

    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
    apicurio::testing::Outcomes total;
    std::size_t calls = 0;
    for (const auto& mine : futures) {
      auto outcomes = apicurio::testing::settle_all(mine, deadline);
      total.values += outcomes.values;
      total.library_errors += outcomes.library_errors;
      total.other += outcomes.other;
      total.not_ready += outcomes.not_ready;
      calls += mine.size();
    }
    auto stats = client.stats();
    WARN("calls " << calls << ": values " << total.values << ", errors " << total.library_errors
                  << "; http requests " << stats.http_requests << ", retries " << stats.retries
                  << ", cache hits " << stats.cache_hits);
    CHECK(calls == static_cast<std::size_t>(calls_per_thread) * kThreads);
    CHECK(total.not_ready == 0);
    CHECK(total.other == 0);
    CHECK(total.values + total.library_errors == static_cast<int>(calls));
    CHECK(total.values > 0);

    // Background work (a refresh, say) may still be on the wire: wait for it to end. The
    // emulator logs a request when it starts reading it, before any reply, so once nothing
    // is in flight every request the client counted is in the log.
    CHECK(apicurio::testing::eventually([&] { return client.stats().in_flight == 0; },
                                        std::chrono::seconds(30)));
    registry.clear_faults();
    CHECK(client.stats().http_requests == registry.requests().size());
    client.close();
  }
  // The client and the emulator are gone: so are their sockets and pipes.
  std::string leaked;
  apicurio::testing::eventually(
      [&] {
        leaked = apicurio::testing::leaked_descriptors(descriptors_before);
        return leaked.empty();
      },
      std::chrono::seconds(10));
  INFO("descriptors left open:\n" << leaked);
  CHECK(leaked.empty());
}
