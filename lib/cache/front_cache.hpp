// A per-thread copy of a client's fresh cache entries, looked at before the shared caches,
// so that a cache hit takes no shared lock and writes no memory another thread reads: hits
// from many threads scale with the threads.
//
// Each thread keeps, per client, a small map of completed lookups, each a future of its own
// (so that copying it touches no shared reference count). The shared caches stay the truth:
// every change to them bumps the client's epoch, and a thread drops its copies when it sees
// a new epoch. Hits are counted in per-thread counters that only their thread writes; when
// the thread ends they are added to the client's totals and forgotten.
//
// A thread's copies outlive the client until the thread ends or next stores a copy for any
// client, so they must keep nothing of the client alive: their futures' executor reaches the
// client's executor through a weak reference.
#pragma once

#include "event_loop.hpp"
#include "thread_annotations.hpp"

#include <apicurio/future.hpp>
#include <apicurio/metrics.hpp>
#include <apicurio/schema.hpp>

#include <array>
#include <atomic>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

namespace apicurio::detail {

class FrontCache {
 public:
  // Copies hand out futures whose continuations run on `executor` while it exists (and on
  // the thread that completes or attaches them once it is gone). Copies expire by `time`.
  explicit FrontCache(const std::shared_ptr<Executor>& executor, TimeSource time = {});
  ~FrontCache();
  FrontCache(const FrontCache&) = delete;
  FrontCache& operator=(const FrontCache&) = delete;

  // Any thread. The epoch to pass to store() for a value read from the shared caches now.
  std::uint64_t epoch() const noexcept { return epoch_.load(std::memory_order_acquire); }
  // Any thread. Every copy made before now is dropped before it is used again.
  void invalidate() noexcept { epoch_.fetch_add(1, std::memory_order_acq_rel); }

  // Calling thread's copies. `key` names the lookup (kind, artifact and expression, or id).
  // A hit is counted under `operation`. Never blocks.
  std::optional<Future<CachedSchema>> find(const std::string& key, Operation operation);
  // Keeps a copy of `value` for the calling thread, fresh until `fresh_until`, unless the
  // shared caches changed since `epoch` was read. Never blocks on I/O.
  void store(std::string_view key, const CachedSchema& value, Clock::time_point fresh_until,
             std::uint64_t epoch);

  // Any thread; never blocks on I/O. Hits served from every thread's copies, per operation.
  std::array<std::uint64_t, kOperationCount> hits() const;
  // Any thread. How many threads' counters are kept (the threads that have copies now).
  std::size_t threads_tracked() const;

  // One thread's copies for one client, and the counters shared with the client
  // (defined in front_cache.cpp).
  struct Slot;
  struct Counters;

 private:
  Slot* slot(bool create);

  const std::uint64_t id_;
  std::atomic<std::uint64_t> epoch_{1};
  const std::shared_ptr<Counters> counters_;
  // The executor of the copies' futures: forwards to the client's while it exists.
  const std::shared_ptr<Executor> executor_;
  const TimeSource time_;
};

}  // namespace apicurio::detail
