// cache-hit: get_schema(...).get() on a cached artifact from T threads for S seconds.
// Each thread times batches of kBatch calls (one clock read per batch, not per call); the
// figure is the median over every thread's batches.
#include "bench.hpp"

#include <apicurio/registry.hpp>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <thread>

namespace apicurio::bench {

namespace {

constexpr int kBatch = 1000;
using Clock = std::chrono::steady_clock;

// One cache line each: the threads must not share a line the loop writes.
struct alignas(64) ThreadFigures {
  std::vector<double> ns_per_call;  // one per batch
  std::int64_t calls = 0;
  std::int64_t checksum = 0;  // keeps the compiler from dropping the calls
};

}  // namespace

int run_cache_hit(const Args& args, Target& target) {
  auto artifacts = prepare_artifacts(target, args, 1);
  const std::string name = artifacts[0].name;
  RegistryClient client(target.client_options());
  client.get_schema(name).get();  // warm the cache

  const auto thread_count = static_cast<std::size_t>(args.threads);
  std::vector<ThreadFigures> figures(thread_count);
  std::atomic<std::size_t> ready{0};
  std::atomic<bool> go{false};
  Clock::time_point deadline;
  std::vector<std::thread> threads;
  for (std::size_t t = 0; t < thread_count; ++t) {
    threads.emplace_back([&, t] {
      ThreadFigures& mine = figures[t];
      mine.ns_per_call.reserve(1 << 16);
      ready.fetch_add(1);
      while (!go.load(std::memory_order_acquire))
        std::this_thread::yield();
      const auto stop = deadline;
      for (;;) {
        const auto begin = Clock::now();
        if (begin >= stop) break;
        std::int64_t checksum = 0;
        for (int i = 0; i < kBatch; ++i)
          checksum += client.get_schema(name).get().global_id;
        mine.checksum += checksum;
        const auto end = Clock::now();
        mine.ns_per_call.push_back(std::chrono::duration<double, std::nano>(end - begin).count() /
                                   kBatch);
        mine.calls += kBatch;
      }
    });
  }
  while (ready.load() < thread_count)
    std::this_thread::yield();
  const auto start = Clock::now();
  deadline = start + std::chrono::duration_cast<Clock::duration>(
                         std::chrono::duration<double>(args.seconds));
  go.store(true, std::memory_order_release);
  for (auto& thread : threads)
    thread.join();
  const double elapsed = std::chrono::duration<double>(Clock::now() - start).count();

  std::vector<double> batches;
  std::int64_t calls = 0, checksum = 0;
  for (const auto& f : figures) {
    batches.insert(batches.end(), f.ns_per_call.begin(), f.ns_per_call.end());
    calls += f.calls;
    checksum += f.checksum;
  }
  const auto stats = client.stats();
  if (stats.http_requests != 2) {
    std::fprintf(stderr, "cache-hit: expected 2 HTTP requests (the warm-up), saw %llu\n",
                 static_cast<unsigned long long>(stats.http_requests));
    return 1;
  }
  std::fprintf(stderr,
               "cache-hit: %zu batches of %d; ns per call p10 %.1f, p50 %.1f, p90 %.1f, p99 %.1f, "
               "mean over the run %.1f per thread\n",
               batches.size(), kBatch, percentile(batches, 0.1), percentile(batches, 0.5),
               percentile(batches, 0.9), percentile(batches, 0.99),
               elapsed * 1e9 * static_cast<double>(args.threads) / static_cast<double>(calls));
  Report report("cache-hit");
  report.add("threads", args.threads);
  report.add("ns_per_call_median", percentile(batches, 0.5));
  report.add("calls_per_second", static_cast<double>(calls) / elapsed);
  report.print(args.json);
  return checksum == 0 ? 1 : 0;
}

}  // namespace apicurio::bench
