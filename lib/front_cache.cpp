#include "front_cache.hpp"

#include <algorithm>
#include <ctime>
#include <string>
#include <unordered_map>

namespace apicurio::detail {
namespace {

// A thread keeps at most this many copies per client; past it, it starts over.
constexpr std::size_t kMaxCopies = 1024;

std::atomic<std::uint64_t> next_client_id{1};

// Monotonic time at tick resolution (a few ms), several times cheaper than steady_clock;
// steady_clock reads the same clock, so the two compare. Freshness needs no finer grain.
Clock::time_point coarse_now() noexcept {
  timespec ts;
  clock_gettime(CLOCK_MONOTONIC_COARSE, &ts);
  return Clock::time_point(std::chrono::seconds(ts.tv_sec) + std::chrono::nanoseconds(ts.tv_nsec));
}

// The coarse clock lags steady_clock by a tick, or by several when ticks are late (measured:
// 10 ms with a 4 ms tick). Within this much of its end, a copy's freshness is checked against
// steady_clock, so that no copy is served once its value has stopped being fresh.
constexpr auto kCoarseGuard = std::chrono::seconds(1);

// True when a copy fresh until `fresh_until` may no longer be served.
bool expired(Clock::time_point fresh_until) noexcept {
  if (fresh_until == Clock::time_point::max()) return false;
  const Clock::time_point coarse = coarse_now();
  if (coarse >= fresh_until) return true;
  return fresh_until - coarse < kCoarseGuard && Clock::now() >= fresh_until;
}

struct Copy {
  Future<CachedSchema> future;
  Clock::time_point fresh_until;
};

}  // namespace

struct FrontCache::Slot {
  std::uint64_t client_id = 0;
  std::weak_ptr<const bool> alive;
  std::uint64_t epoch = 0;
  std::unordered_map<std::string, Copy> copies;
  std::shared_ptr<FrontCounters> counters;
};

namespace {
thread_local std::vector<std::unique_ptr<FrontCache::Slot>> thread_slots;
}

FrontCache::FrontCache() : id_(next_client_id.fetch_add(1)), alive_(std::make_shared<bool>(true)) {}

FrontCache::~FrontCache() = default;

FrontCache::Slot* FrontCache::slot(bool create) {
  auto& slots = thread_slots;
  for (auto& s : slots) {
    if (s->client_id == id_) return s.get();
  }
  if (!create) return nullptr;
  // Forget the clients that are gone before adding one.
  slots.erase(std::remove_if(slots.begin(), slots.end(),
                             [](const std::unique_ptr<Slot>& s) { return s->alive.expired(); }),
              slots.end());
  auto fresh = std::make_unique<Slot>();
  fresh->client_id = id_;
  fresh->alive = alive_;
  fresh->counters = std::make_shared<FrontCounters>();
  {
    MutexLock lock(mutex_);
    counters_.push_back(fresh->counters);
  }
  slots.push_back(std::move(fresh));
  return slots.back().get();
}

std::optional<Future<CachedSchema>> FrontCache::find(const std::string& key, Operation operation) {
  Slot* s = slot(false);
  if (s == nullptr) return std::nullopt;
  const std::uint64_t current = epoch();
  if (s->epoch != current) {
    s->copies.clear();
    s->epoch = current;
    return std::nullopt;
  }
  auto found = s->copies.find(key);
  if (found == s->copies.end()) return std::nullopt;
  if (expired(found->second.fresh_until)) {
    s->copies.erase(found);
    return std::nullopt;
  }
  auto& hits = s->counters->hits[static_cast<std::size_t>(operation)];
  hits.store(hits.load(std::memory_order_relaxed) + 1, std::memory_order_relaxed);
  return found->second.future;
}

void FrontCache::store(std::string_view key, const CachedSchema& value,
                       Clock::time_point fresh_until, std::uint64_t epoch,
                       const std::shared_ptr<Executor>& executor) {
  if (epoch != this->epoch()) return;  // the shared caches changed since the value was read
  Slot* s = slot(true);
  if (s->epoch != epoch) {
    s->copies.clear();
    s->epoch = epoch;
  }
  if (s->copies.size() >= kMaxCopies) s->copies.clear();
  s->copies[std::string(key)] = Copy{make_ready_future(CachedSchema(value), executor), fresh_until};
}

std::array<std::uint64_t, kOperationCount> FrontCache::hits() const {
  std::array<std::uint64_t, kOperationCount> total{};
  MutexLock lock(mutex_);
  for (const auto& counters : counters_) {
    for (std::size_t i = 0; i < kOperationCount; ++i)
      total[i] += counters->hits[i].load();
  }
  return total;
}

}  // namespace apicurio::detail
