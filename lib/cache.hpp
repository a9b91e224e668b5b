// The client's caches: completed schemas, remembered 404s and in-flight lookups in one map
// per key kind, so that concurrent misses of one key share one fetch (request collapsing)
// and an expired entry is served while one background refresh replaces it.
//
// A completed entry holds its schema as an immutable record that the entries of its other
// keys share, not as a future: a future's state (synchronization, result slot, callbacks)
// costs more than the schema's own fields, and caches hold many entries. A hit gets the
// record and makes its caller a ready future outside the lock.
#pragma once

#include "event_loop.hpp"
#include "thread_annotations.hpp"

#include <apicurio/future.hpp>
#include <apicurio/schema.hpp>

#include <atomic>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <unordered_map>
#include <utility>

namespace apicurio::detail {

// A lookup by group, artifact and version expression. Its hash is computed once, when it is
// made, since a fetch looks its key up several times: the fields must not change after.
struct ArtifactKey {
  ArtifactKey(std::string g, std::string a, std::string e);

  std::string group;
  std::string artifact;
  std::string expression;
  std::size_t hash;

  bool operator==(const ArtifactKey& o) const {
    return hash == o.hash && group == o.group && artifact == o.artifact &&
           expression == o.expression;
  }
};

struct ArtifactKeyHash {
  std::size_t operator()(const ArtifactKey& key) const noexcept { return key.hash; }
};

enum class LookupOutcome {
  hit,           // a fresh value
  stale_hit,     // an expired value, served while a refresh runs
  negative_hit,  // a remembered 404
  joined,        // a fetch another caller started
  started,       // this caller starts the fetch
};

// A completed schema as the caches keep it, shared by the entries of all its keys.
using SchemaRecord = std::shared_ptr<const CachedSchema>;

// The answer to SchemaCache::lookup. A hit (fresh or stale) carries `value`; a joined fetch
// or a remembered 404 carries `future`. When `promise` is set the caller must start a fetch
// that completes it and then call settle() with `generation`; `refresh` says the fetch
// replaces a stale value (the caller has that value in `value`).
struct Lookup {
  LookupOutcome outcome;
  Future<CachedSchema> future;
  SchemaRecord value;
  std::uint64_t generation = 0;
  std::optional<Promise<CachedSchema>> promise;
  bool refresh = false;
  // For a hit: until when the value is fresh.
  Clock::time_point fresh_until = Clock::time_point::max();
};

enum class FetchOutcome { ok, not_found, failed };

// How long a value is fresh, and how long it may then be served stale.
struct Freshness {
  Clock::time_point fresh_until = Clock::time_point::max();
  Clock::time_point stale_until = Clock::time_point::max();
};

// What settle() did, for the metrics.
enum class SettleEffect { ignored, stored, remembered_not_found, dropped, kept_stale };

// A bounded LRU map from Key to a schema record, a remembered 404, or the fetch under way.
// Every member may be called from any thread; none blocks on I/O or calls user code.
template <class Key, class Hash = std::hash<Key>>
class SchemaCache {
 public:
  explicit SchemaCache(std::size_t max_entries) : max_entries_(max_entries) {}

  Lookup lookup(const Key& key, Clock::time_point now, const std::shared_ptr<Executor>& executor)
      EXCLUDES(mutex_) {
    MutexLock lock(mutex_);
    auto found = entries_.find(key);
    if (found != entries_.end()) {
      Entry& entry = found->second;
      switch (entry.state) {
        case State::pending:
          return {LookupOutcome::joined, entry.future, nullptr, entry.generation, {}};
        case State::not_found:
          if (now < entry.fresh_until) {
            return {LookupOutcome::negative_hit, entry.future, nullptr, entry.generation, {}};
          }
          break;
        case State::value:
          if (now < entry.fresh_until) {
            touch(*found);
            return {LookupOutcome::hit, {}, entry.value, entry.generation, {}, false,
                    entry.fresh_until};
          }
          if (now < entry.stale_until || entry.refreshing) {
            touch(*found);
            if (entry.refreshing) {
              // Past its staleness bound the value may not be served: wait for the refresh.
              if (now >= entry.stale_until) {
                return {LookupOutcome::joined, entry.future, nullptr, entry.generation, {}};
              }
              return {LookupOutcome::stale_hit, {}, entry.value, entry.generation, {}};
            }
            Promise<CachedSchema> promise(executor);
            entry.refreshing = true;
            entry.future = promise.get_future();
            entry.generation = ++next_generation_;
            return {LookupOutcome::stale_hit, {},  entry.value, entry.generation,
                    std::move(promise),       true};
          }
          break;
      }
      unlink(*found);
      entries_.erase(found);
    }
    Promise<CachedSchema> promise(executor);
    Entry& entry = insert(key, State::pending, {});
    entry.future = promise.get_future();
    return {LookupOutcome::started, entry.future, nullptr, entry.generation, std::move(promise)};
  }

  // Records the outcome of the fetch that `generation` started. A value (`value`, for
  // FetchOutcome::ok) is kept per `freshness`; a 404 is remembered until `not_found_until` (if
  // later than now) and otherwise dropped; any other failure drops a first fetch but keeps a stale
  // value, to be refreshed again from `retry_refresh_at`. Ignored if the entry was invalidated or
  // replaced meanwhile.
  SettleEffect settle(const Key& key, std::uint64_t generation, FetchOutcome outcome,
                      SchemaRecord value, Freshness freshness, Clock::time_point not_found_until,
                      Clock::time_point retry_refresh_at) EXCLUDES(mutex_) {
    MutexLock lock(mutex_);
    auto found = entries_.find(key);
    if (found == entries_.end() || found->second.generation != generation) {
      return SettleEffect::ignored;
    }
    Entry& entry = found->second;
    const bool refresh = entry.refreshing;
    entry.refreshing = false;
    if (outcome == FetchOutcome::ok && value) {
      entry.value = std::move(value);
      entry.future = {};
      entry.state = State::value;
      entry.fresh_until = freshness.fresh_until;
      entry.stale_until = freshness.stale_until;
      evict_over_limit();
      return SettleEffect::stored;
    }
    if (outcome == FetchOutcome::failed && refresh) {
      entry.future = {};
      entry.fresh_until = retry_refresh_at;
      return SettleEffect::kept_stale;
    }
    if (outcome == FetchOutcome::not_found && not_found_until > Clock::now()) {
      // The fetch's future, failed with the 404, answers until then.
      entry.value = nullptr;
      entry.state = State::not_found;
      entry.fresh_until = not_found_until;
      return SettleEffect::remembered_not_found;
    }
    unlink(*found);
    entries_.erase(found);
    return SettleEffect::dropped;
  }

  // Stores a completed schema unless a fetch of the key is under way (it will settle with
  // data at least as fresh), or unless the key has a value for which `replaces(old)` is
  // false. `replaces` runs under the cache's lock: it must be quick and must not call back.
  template <class Replaces>
  void put(const Key& key, SchemaRecord value, Freshness freshness, Replaces replaces)
      EXCLUDES(mutex_) {
    MutexLock lock(mutex_);
    auto found = entries_.find(key);
    if (found != entries_.end()) {
      const Entry& old = found->second;
      if (old.state == State::pending || old.refreshing) return;
      if (old.state == State::value && !replaces(*old.value)) return;
      unlink(*found);
      entries_.erase(found);
    }
    insert(key, State::value, freshness).value = std::move(value);
    evict_over_limit();
  }

  void put(const Key& key, SchemaRecord value, Freshness freshness) EXCLUDES(mutex_) {
    put(key, std::move(value), freshness, [](const CachedSchema&) { return true; });
  }

  // The fresh value for `key`, if any (Clock::time_point::min() as `now`: any value). Does
  // not count as a use.
  SchemaRecord peek(const Key& key, Clock::time_point now) const EXCLUDES(mutex_) {
    MutexLock lock(mutex_);
    auto found = entries_.find(key);
    if (found == entries_.end() || found->second.state != State::value ||
        now >= found->second.fresh_until) {
      return nullptr;
    }
    return found->second.value;
  }

  // Drops every entry whose key satisfies `predicate`. A fetch already under way still
  // completes its callers' futures but no longer fills the cache.
  template <class Predicate>
  void erase_if(Predicate predicate) EXCLUDES(mutex_) {
    MutexLock lock(mutex_);
    for (auto it = entries_.begin(); it != entries_.end();) {
      if (predicate(it->first)) {
        unlink(*it);
        it = entries_.erase(it);
      } else {
        ++it;
      }
    }
  }

  void clear() EXCLUDES(mutex_) {
    MutexLock lock(mutex_);
    entries_.clear();
    newest_ = oldest_ = nullptr;
  }

  std::size_t size() const EXCLUDES(mutex_) {
    MutexLock lock(mutex_);
    return entries_.size();
  }

  std::uint64_t evictions() const noexcept { return evictions_.load(); }

 private:
  enum class State { pending, value, not_found };

  struct Entry {
    SchemaRecord value;           // State::value: the schema (still served while refreshing)
    Future<CachedSchema> future;  // the fetch or refresh in flight, or the remembered 404
    State state = State::pending;
    bool refreshing = false;
    std::uint64_t generation = 0;  // of the fetch in flight, or of the last store
    Clock::time_point fresh_until, stale_until;
    // The recency list, threaded through the entries (a separate list would cost a node
    // per entry): the neighbours used more and less recently.
    std::pair<const Key, Entry>* newer = nullptr;
    std::pair<const Key, Entry>* older = nullptr;
  };
  using Slot = std::pair<const Key, Entry>;

  void link_newest(Slot& slot) REQUIRES(mutex_) {
    slot.second.older = newest_;
    slot.second.newer = nullptr;
    (newest_ ? newest_->second.newer : oldest_) = &slot;
    newest_ = &slot;
  }

  void unlink(Slot& slot) REQUIRES(mutex_) {
    Entry& entry = slot.second;
    (entry.newer ? entry.newer->second.older : newest_) = entry.older;
    (entry.older ? entry.older->second.newer : oldest_) = entry.newer;
    entry.newer = entry.older = nullptr;
  }

  void touch(Slot& slot) REQUIRES(mutex_) {
    if (newest_ == &slot) return;
    unlink(slot);
    link_newest(slot);
  }

  Entry& insert(const Key& key, State state, Freshness freshness) REQUIRES(mutex_) {
    auto [it, inserted] = entries_.try_emplace(key);
    link_newest(*it);
    Entry& entry = it->second;
    entry.state = state;
    entry.generation = ++next_generation_;
    entry.fresh_until = freshness.fresh_until;
    entry.stale_until = freshness.stale_until;
    return entry;
  }

  // Pending and refreshing entries are never evicted: that would split collapsed callers.
  void evict_over_limit() REQUIRES(mutex_) {
    Slot* slot = oldest_;
    while (entries_.size() > max_entries_ && slot != nullptr) {
      Slot* next = slot->second.newer;
      if (slot->second.state != State::pending && !slot->second.refreshing) {
        unlink(*slot);
        entries_.erase(entries_.find(slot->first));
        evictions_.fetch_add(1);
      }
      slot = next;
    }
  }

  const std::size_t max_entries_;
  mutable Mutex mutex_;
  std::unordered_map<Key, Entry, Hash> entries_ GUARDED_BY(mutex_);
  // The ends of the recency list; entries_ is node-based, so its entries never move.
  Slot* newest_ GUARDED_BY(mutex_) = nullptr;
  Slot* oldest_ GUARDED_BY(mutex_) = nullptr;
  std::uint64_t next_generation_ GUARDED_BY(mutex_) = 0;
  std::atomic<std::uint64_t> evictions_{0};
};

}  // namespace apicurio::detail
