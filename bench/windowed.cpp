// The windowed driver behind cold, baseline-cold's client half, memory and seeding.
#include "windowed.hpp"

#include <algorithm>
#include <exception>

namespace apicurio::bench {

WindowedRun::WindowedRun(std::size_t count)
    : count_(count), started_(count), latency_us_(count, 0.0) {}

void WindowedRun::run(std::size_t inflight, Start start, OnValue on_value) {
  start_ = std::move(start);
  on_value_ = std::move(on_value);
  const auto begin = Clock::now();
  const std::size_t first = std::min(inflight, count_);
  next_.store(first);
  for (std::size_t i = 0; i < first; ++i)
    launch(i);
  std::unique_lock<std::mutex> lock(mutex_);
  all_done_.wait(lock, [&] { return finished_ || count_ == 0; });
  seconds_ = std::chrono::duration<double>(Clock::now() - begin).count();
}

void WindowedRun::launch(std::size_t index) {
  started_[index] = Clock::now();
  Future<CachedSchema> future;
  try {
    future = start_(index);
  } catch (...) {
    finish(index, Result<CachedSchema>::failure(std::current_exception()));
    return;
  }
  // A null executor runs the continuation on the event thread that completed the call:
  // the cheapest way to chain the next call, and what the library documents for short work.
  future.then_result(nullptr,
                     [this, index](const Result<CachedSchema>& result) { finish(index, result); });
}

void WindowedRun::finish(std::size_t index, const Result<CachedSchema>& result) {
  latency_us_[index] =
      std::chrono::duration<double, std::micro>(Clock::now() - started_[index]).count();
  if (result.ok()) {
    if (on_value_) on_value_(index, result.value());
  } else if (failures_.fetch_add(1) == 0) {
    std::string message = "unknown error";
    try {
      std::rethrow_exception(result.error());
    } catch (const std::exception& e) {
      message = e.what();
    } catch (...) {
    }
    std::lock_guard<std::mutex> lock(mutex_);
    first_error_ = message;
  }
  const std::size_t next = next_.fetch_add(1);
  if (next < count_) launch(next);
  if (done_.fetch_add(1) + 1 == count_) {
    std::lock_guard<std::mutex> lock(mutex_);
    finished_ = true;
    all_done_.notify_all();
  }
}

std::string WindowedRun::first_error() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return first_error_;
}

}  // namespace apicurio::bench
