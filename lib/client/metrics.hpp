// The live counters behind MetricsSnapshot: relaxed atomics, updated from any thread.
#pragma once

#include <apicurio/metrics.hpp>

#include <array>
#include <atomic>
#include <chrono>

namespace apicurio::detail {

struct LiveOperation {
  std::atomic<std::uint64_t> calls{0}, hits{0}, misses{0}, collapsed{0}, stale_served{0},
      negative_hits{0}, refreshes{0}, refresh_failures{0}, http_requests{0}, retries{0}, errors{0};
  std::array<std::atomic<std::uint64_t>, kLatencyBoundsMicros.size() + 1> latency{};
  std::atomic<std::uint64_t> latency_count{0}, latency_sum_micros{0};

  void record_latency(std::chrono::microseconds took) noexcept;
};

class Metrics {
 public:
  LiveOperation& operator[](Operation op) noexcept {
    return operations_[static_cast<std::size_t>(op)];
  }
  // Any thread. Counters are read one by one, so a snapshot taken while calls run may be a
  // few counts apart between fields.
  MetricsSnapshot snapshot() const;

 private:
  std::array<LiveOperation, kOperationCount> operations_;
};

inline void bump(std::atomic<std::uint64_t>& counter) noexcept {
  counter.fetch_add(1, std::memory_order_relaxed);
}

}  // namespace apicurio::detail
