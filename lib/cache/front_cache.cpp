#include "front_cache.hpp"

#include <algorithm>
#include <ctime>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

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
bool expired(Clock::time_point fresh_until, const TimeSource& time) noexcept {
  if (fresh_until == Clock::time_point::max()) return false;
  if (time.manual()) return time.now() >= fresh_until;
  const Clock::time_point coarse = coarse_now();
  if (coarse >= fresh_until) return true;
  return fresh_until - coarse < kCoarseGuard && Clock::now() >= fresh_until;
}

struct Copy {
  Future<CachedSchema> future;
  Clock::time_point fresh_until;
};

// Hits one thread served from its copies of one client, per operation. Written only by
// that thread, read by any; a cache line of its own, so that threads do not share one.
struct alignas(64) ThreadHits {
  std::array<std::atomic<std::uint64_t>, kOperationCount> hits{};
};

// Posts to the client's executor while something else keeps it; once it is gone nothing
// else could run the task, so it runs here.
class WeakExecutor final : public Executor {
 public:
  explicit WeakExecutor(std::weak_ptr<Executor> target) : target_(std::move(target)) {}
  void post(std::function<void()> task) override {
    if (auto target = target_.lock()) return target->post(std::move(task));
    task();
  }

 private:
  const std::weak_ptr<Executor> target_;
};

}  // namespace

// The client's hit counts: those of threads with copies now, and the sum of those that
// have ended. Shared with the threads' slots, so that a thread that ends as the client goes
// can still add its hits without touching the client.
struct FrontCache::Counters {
  mutable Mutex mutex;
  std::unordered_set<const ThreadHits*> live APICURIO_GUARDED_BY(mutex);
  std::array<std::uint64_t, kOperationCount> retired APICURIO_GUARDED_BY(mutex){};
};

struct FrontCache::Slot {
  std::uint64_t client_id = 0;
  std::weak_ptr<Counters> counters;  // expired once the client is gone
  std::uint64_t epoch = 0;
  std::unordered_map<std::string, Copy> copies;
  ThreadHits hits;

  Slot(std::uint64_t id, const std::shared_ptr<Counters>& shared)
      : client_id(id), counters(shared) {
    MutexLock lock(shared->mutex);
    shared->live.insert(&hits);
  }
  Slot(const Slot&) = delete;
  Slot& operator=(const Slot&) = delete;
  // When its thread ends, or when the thread forgets a client that is gone.
  ~Slot() {
    auto shared = counters.lock();
    if (!shared) return;
    MutexLock lock(shared->mutex);
    for (std::size_t i = 0; i < kOperationCount; ++i)
      shared->retired[i] += hits.hits[i].load(std::memory_order_relaxed);
    shared->live.erase(&hits);
  }
};

namespace {
thread_local std::vector<std::unique_ptr<FrontCache::Slot>> thread_slots;
}

FrontCache::FrontCache(const std::shared_ptr<Executor>& executor, TimeSource time)
    : id_(next_client_id.fetch_add(1)),
      counters_(std::make_shared<Counters>()),
      executor_(std::make_shared<WeakExecutor>(executor)),
      time_(std::move(time)) {}

FrontCache::~FrontCache() = default;

FrontCache::Slot* FrontCache::slot(bool create) {
  auto& slots = thread_slots;
  for (auto& s : slots) {
    if (s->client_id == id_) return s.get();
  }
  if (!create) return nullptr;
  // Forget the clients that are gone before adding one.
  slots.erase(std::remove_if(slots.begin(), slots.end(),
                             [](const std::unique_ptr<Slot>& s) { return s->counters.expired(); }),
              slots.end());
  slots.reserve(slots.size() + 1);  // so that the slot below is not lost if this throws
  slots.push_back(std::make_unique<Slot>(id_, counters_));
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
  if (expired(found->second.fresh_until, time_)) {
    s->copies.erase(found);
    return std::nullopt;
  }
  auto& hits = s->hits.hits[static_cast<std::size_t>(operation)];
  hits.store(hits.load(std::memory_order_relaxed) + 1, std::memory_order_relaxed);
  return found->second.future;
}

void FrontCache::store(std::string_view key, const CachedSchema& value,
                       Clock::time_point fresh_until, std::uint64_t epoch) {
  if (epoch != this->epoch()) return;  // the shared caches changed since the value was read
  Slot* s = slot(true);
  if (s->epoch != epoch) {
    s->copies.clear();
    s->epoch = epoch;
  }
  if (s->copies.size() >= kMaxCopies) s->copies.clear();
  s->copies[std::string(key)] =
      Copy{make_ready_future(CachedSchema(value), executor_), fresh_until};
}

std::array<std::uint64_t, kOperationCount> FrontCache::hits() const {
  MutexLock lock(counters_->mutex);
  std::array<std::uint64_t, kOperationCount> total = counters_->retired;
  for (const ThreadHits* thread : counters_->live) {
    for (std::size_t i = 0; i < kOperationCount; ++i)
      total[i] += thread->hits[i].load(std::memory_order_relaxed);
  }
  return total;
}

std::size_t FrontCache::threads_tracked() const {
  MutexLock lock(counters_->mutex);
  return counters_->live.size();
}

}  // namespace apicurio::detail
