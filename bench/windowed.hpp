// Keeps at most K client calls in flight over a list of work items: each completion starts
// the next item from its continuation, so no thread waits per call.
#pragma once

#include <apicurio/registry.hpp>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <functional>
#include <mutex>
#include <string>
#include <vector>

namespace apicurio::bench {

class WindowedRun {
 public:
  /// Starts item i and returns its future. Runs on the caller of run() for the first K items,
  /// then on the thread that completed an earlier call (the client's event thread).
  using Start = std::function<Future<CachedSchema>(std::size_t)>;
  /// Sees each value; runs on the completing thread, so it must be short and never block.
  using OnValue = std::function<void(std::size_t, const CachedSchema&)>;

  /// Allocates the per-item records up front (so a memory run can measure before run()).
  explicit WindowedRun(std::size_t count);

  /// Runs every item with at most `inflight` pending. Blocks until all are complete.
  /// Any thread but the client's own; call once. Failures are counted, never thrown.
  void run(std::size_t inflight, Start start, OnValue on_value = {});

  double seconds() const { return seconds_; }
  /// Microseconds from each call to its completion.
  const std::vector<double>& latency_us() const { return latency_us_; }
  std::size_t failures() const { return failures_.load(); }
  /// The first failure's message, "" if none.
  std::string first_error() const;

 private:
  void launch(std::size_t index);
  void finish(std::size_t index, const Result<CachedSchema>& result);

  using Clock = std::chrono::steady_clock;
  const std::size_t count_;
  Start start_;
  OnValue on_value_;
  std::vector<Clock::time_point> started_;  // slot i written before call i, read after it
  std::vector<double> latency_us_;          // slot i written by call i's continuation only
  std::atomic<std::size_t> next_{0};
  std::atomic<std::size_t> done_{0};
  std::atomic<std::size_t> failures_{0};
  double seconds_ = 0;

  mutable std::mutex mutex_;
  std::condition_variable all_done_;
  bool finished_ = false;    // guarded by mutex_
  std::string first_error_;  // guarded by mutex_
};

}  // namespace apicurio::bench
