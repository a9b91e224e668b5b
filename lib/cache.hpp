// The client's caches: completed schemas and in-flight lookups in one map per key kind, so
// that concurrent misses of one key share one fetch (request collapsing).
#pragma once

#include "event_loop.hpp"
#include "thread_annotations.hpp"

#include <apicurio/future.hpp>
#include <apicurio/schema.hpp>

#include <atomic>
#include <cstdint>
#include <functional>
#include <list>
#include <optional>
#include <string>
#include <unordered_map>

namespace apicurio::detail {

// A lookup by group, artifact and version expression.
struct ArtifactKey {
  std::string group;
  std::string artifact;
  std::string expression;
  bool operator==(const ArtifactKey& o) const {
    return group == o.group && artifact == o.artifact && expression == o.expression;
  }
};

struct ArtifactKeyHash {
  std::size_t operator()(const ArtifactKey& key) const noexcept;
};

enum class LookupOutcome { hit, joined, started };

// The answer to SchemaCache::lookup. For `started`, the caller must complete `promise` and
// then call settle() with `generation`.
struct Lookup {
  LookupOutcome outcome;
  Future<CachedSchema> future;
  std::uint64_t generation = 0;
  std::optional<Promise<CachedSchema>> promise;
};

// A bounded LRU map from Key to a future schema, with per-entry expiry. Every member may be
// called from any thread; none blocks on I/O or calls user code.
template <class Key, class Hash = std::hash<Key>>
class SchemaCache {
 public:
  explicit SchemaCache(std::size_t max_entries) : max_entries_(max_entries) {}

  // A completed entry that has not expired: hit. A pending one: joined. Otherwise a new
  // pending entry replaces whatever was there, and its promise goes to the caller: started.
  Lookup lookup(const Key& key, Clock::time_point now, const std::shared_ptr<Executor>& executor)
      EXCLUDES(mutex_) {
    MutexLock lock(mutex_);
    auto found = entries_.find(key);
    if (found != entries_.end()) {
      Entry& entry = found->second;
      if (!entry.complete) return {LookupOutcome::joined, entry.future, entry.generation, {}};
      if (now < entry.expires) {
        order_.splice(order_.begin(), order_, entry.position);
        return {LookupOutcome::hit, entry.future, entry.generation, {}};
      }
      order_.erase(entry.position);
      entries_.erase(found);
    }
    Promise<CachedSchema> promise(executor);
    Entry& entry = insert(key, promise.get_future(), false, Clock::time_point::max());
    return {LookupOutcome::started, entry.future, entry.generation, std::move(promise)};
  }

  // Records the outcome of the fetch that `generation` started: kept until `expires` on
  // success, dropped on failure (errors are never cached). Ignored if the entry was
  // invalidated or replaced meanwhile.
  void settle(const Key& key, std::uint64_t generation, bool ok, Clock::time_point expires)
      EXCLUDES(mutex_) {
    MutexLock lock(mutex_);
    auto found = entries_.find(key);
    if (found == entries_.end() || found->second.generation != generation) return;
    if (ok) {
      found->second.complete = true;
      found->second.expires = expires;
      evict_over_limit();
    } else {
      order_.erase(found->second.position);
      entries_.erase(found);
    }
  }

  // Stores an already completed schema unless a pending fetch of the key is under way
  // (it will settle with fresher data).
  void put(const Key& key, Future<CachedSchema> ready, Clock::time_point expires) EXCLUDES(mutex_) {
    MutexLock lock(mutex_);
    auto found = entries_.find(key);
    if (found != entries_.end()) {
      if (!found->second.complete) return;
      order_.erase(found->second.position);
      entries_.erase(found);
    }
    insert(key, std::move(ready), true, expires);
    evict_over_limit();
  }

  // The completed, unexpired entry for `key`, if any. Does not count as a use.
  std::optional<Future<CachedSchema>> peek(const Key& key, Clock::time_point now) const
      EXCLUDES(mutex_) {
    MutexLock lock(mutex_);
    auto found = entries_.find(key);
    if (found == entries_.end() || !found->second.complete || now >= found->second.expires) {
      return std::nullopt;
    }
    return found->second.future;
  }

  // Drops every entry whose key satisfies `predicate`. A fetch already under way still
  // completes its callers' futures but no longer fills the cache.
  template <class Predicate>
  void erase_if(Predicate predicate) EXCLUDES(mutex_) {
    MutexLock lock(mutex_);
    for (auto it = entries_.begin(); it != entries_.end();) {
      if (predicate(it->first)) {
        order_.erase(it->second.position);
        it = entries_.erase(it);
      } else {
        ++it;
      }
    }
  }

  void clear() EXCLUDES(mutex_) {
    MutexLock lock(mutex_);
    entries_.clear();
    order_.clear();
  }

  std::size_t size() const EXCLUDES(mutex_) {
    MutexLock lock(mutex_);
    return entries_.size();
  }

  std::uint64_t evictions() const noexcept { return evictions_.load(); }

 private:
  struct Entry {
    Future<CachedSchema> future;
    std::uint64_t generation = 0;
    bool complete = false;
    Clock::time_point expires;
    typename std::list<Key>::iterator position;  // in order_, most recently used first
  };

  Entry& insert(const Key& key, Future<CachedSchema> future, bool complete,
                Clock::time_point expires) REQUIRES(mutex_) {
    order_.push_front(key);
    Entry& entry = entries_[key];
    entry.future = std::move(future);
    entry.generation = ++next_generation_;
    entry.complete = complete;
    entry.expires = expires;
    entry.position = order_.begin();
    return entry;
  }

  // Pending entries are never evicted: that would split collapsed callers.
  void evict_over_limit() REQUIRES(mutex_) {
    auto it = order_.end();
    while (entries_.size() > max_entries_ && it != order_.begin()) {
      --it;
      auto found = entries_.find(*it);
      if (!found->second.complete) continue;
      entries_.erase(found);
      it = order_.erase(it);
      evictions_.fetch_add(1);
    }
  }

  const std::size_t max_entries_;
  mutable Mutex mutex_;
  std::unordered_map<Key, Entry, Hash> entries_ GUARDED_BY(mutex_);
  std::list<Key> order_ GUARDED_BY(mutex_);
  std::uint64_t next_generation_ GUARDED_BY(mutex_) = 0;
  std::atomic<std::uint64_t> evictions_{0};
};

}  // namespace apicurio::detail
