// A per-thread copy of a client's fresh cache entries, looked at before the shared caches,
// so that a cache hit takes no shared lock and writes no memory another thread reads: hits
// from many threads scale with the threads.
//
// Each thread keeps, per client, a small map of completed lookups, each a future of its own
// (so that copying it touches no shared reference count). The shared caches stay the truth:
// every change to them bumps the client's epoch, and a thread drops its copies when it sees
// a new epoch. Hits are counted in per-thread counters that only their thread writes.
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
#include <vector>

namespace apicurio::detail {

// Calls and hits one thread made through its front cache, per operation. Written only by
// that thread, read by any; a cache line of its own, so that threads do not share one.
struct alignas(64) FrontCounters {
  std::array<std::atomic<std::uint64_t>, kOperationCount> hits{};
};

class FrontCache {
 public:
  FrontCache();
  ~FrontCache();
  FrontCache(const FrontCache&) = delete;
  FrontCache& operator=(const FrontCache&) = delete;

  // Any thread. The epoch to pass to store() for a value read from the shared caches now.
  std::uint64_t epoch() const noexcept { return epoch_.load(std::memory_order_acquire); }
  // Any thread. Every copy made before now is dropped before it is used again.
  void invalidate() noexcept { epoch_.fetch_add(1, std::memory_order_acq_rel); }

  // Calling thread's copies. `key` names the lookup (kind, artifact and expression, or id).
  // A hit is counted under `operation`.
  std::optional<Future<CachedSchema>> find(const std::string& key, Operation operation);
  // Keeps a copy of `value` for the calling thread, fresh until `fresh_until`, unless the
  // shared caches changed since `epoch` was read.
  void store(std::string_view key, const CachedSchema& value, Clock::time_point fresh_until,
             std::uint64_t epoch, const std::shared_ptr<Executor>& executor);

  // Any thread. Hits served from every thread's copies, per operation.
  std::array<std::uint64_t, kOperationCount> hits() const;

  // One thread's copies for one client (defined in front_cache.cpp).
  struct Slot;

 private:
  Slot* slot(bool create);

  const std::uint64_t id_;
  std::atomic<std::uint64_t> epoch_{1};
  // Lets threads notice, and forget, a client that is gone.
  std::shared_ptr<const bool> alive_;
  mutable Mutex mutex_;
  std::vector<std::shared_ptr<FrontCounters>> counters_ GUARDED_BY(mutex_);
};

}  // namespace apicurio::detail
