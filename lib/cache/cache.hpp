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
#include <iterator>
#include <memory>
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

// What settle() did, for the metrics. kept_newer: a put() made while the fetch ran left a
// value at least as new as (or disproving) the fetch's answer, and the entry keeps it.
enum class SettleEffect { ignored, stored, remembered_not_found, dropped, kept_stale, kept_newer };

// A bounded LRU map from Key to a schema record, a remembered 404, or the fetch under way.
// Every member may be called from any thread; none blocks on I/O or calls user code.
//
// Within a key, data only moves forward: a value replaces another only if its globalId is not
// smaller (within an artifact globalIds only grow; the other caches key by id, where they are
// equal or, for contents, a record of a version replaces a content-only one), whether it comes
// from a fetch's settle or from put().
//
// The bound counts every entry: values, remembered 404s and fetches under way. Entries with a
// fetch under way are never evicted (their callers share them), so the map may exceed the
// bound by the number of fetches in flight, and only while they are; they push completed
// entries out, and once settled are evicted like any other.
template <class Key, class Hash = std::hash<Key>>
class SchemaCache {
 public:
  // Whether a 404 is still worth remembering when its fetch settles is judged by `time`.
  explicit SchemaCache(std::size_t max_entries, TimeSource time = {})
      : max_entries_(max_entries), time_(std::move(time)) {}

  Lookup lookup(const Key& key, Clock::time_point now, const std::shared_ptr<Executor>& executor)
      APICURIO_EXCLUDES(mutex_) {
    MutexLock lock(mutex_);
    auto found = entries_.find(key);
    if (found != entries_.end()) {
      Entry& entry = found->second;
      switch (entry.state) {
        case State::pending:
          return {LookupOutcome::joined, entry.future, nullptr, entry.generation, {}};
        case State::not_found:
          if (now < entry.fresh_until) {
            touch(*found);
            return {LookupOutcome::negative_hit, entry.future, nullptr, entry.generation, {}};
          }
          break;
        case State::value:
          if (now < entry.fresh_until) {
            touch(*found);
            return {LookupOutcome::hit, {}, entry.value, entry.generation, {}, false,
                    entry.fresh_until};
          }
          if (now < entry.stale_until) {
            touch(*found);
            // One refresh at a time, and after a failed one none before its retry time.
            if (entry.refreshing || now < entry.retry_at) {
              return {LookupOutcome::stale_hit, {}, entry.value, entry.generation, {}};
            }
            Promise<CachedSchema> promise(executor);
            entry.refreshing = true;
            entry.future = promise.get_future();
            entry.generation = ++next_generation_;
            return {LookupOutcome::stale_hit, {},  entry.value, entry.generation,
                    std::move(promise),       true};
          }
          // Past its staleness bound the value may not be served: wait for the registry,
          // unless the fetch under way was asked before a put() made the value (its answer
          // may be older): then ask again, and that fetch no longer settles the entry.
          if (entry.refreshing && !entry.overtaken) {
            touch(*found);
            return {LookupOutcome::joined, entry.future, nullptr, entry.generation, {}};
          }
          break;
      }
      remove(found);
    }
    Promise<CachedSchema> promise(executor);
    Entry& entry = insert(key, State::pending, {});
    entry.future = promise.get_future();
    Lookup started{LookupOutcome::started, entry.future, nullptr, entry.generation,
                   std::move(promise)};
    evict_over_limit();
    return started;
  }

  // Records the outcome of the fetch that `generation` started. A value (`value`, for
  // FetchOutcome::ok) is kept per `freshness`, unless the entry holds a newer one; a 404 is
  // remembered until `not_found_until` (if later than now) and otherwise dropped; any other
  // failure drops a first fetch but keeps a stale value, served stale (never past its
  // staleness bound) and refreshed again from `retry_refresh_at`. A value put() while the
  // fetch ran survives the fetch's failure or 404. Ignored if the entry was invalidated or
  // replaced meanwhile.
  SettleEffect settle(const Key& key, std::uint64_t generation, FetchOutcome outcome,
                      SchemaRecord value, Freshness freshness, Clock::time_point not_found_until,
                      Clock::time_point retry_refresh_at) APICURIO_EXCLUDES(mutex_) {
    MutexLock lock(mutex_);
    auto found = entries_.find(key);
    if (found == entries_.end() || found->second.generation != generation) {
      return SettleEffect::ignored;
    }
    Entry& entry = found->second;
    const bool refresh = entry.refreshing;
    const bool overtaken = entry.overtaken;
    entry.refreshing = entry.overtaken = false;
    if (outcome == FetchOutcome::ok && value) {
      // The fetch may have been answered before what put() learnt meanwhile, and of the same
      // version put() had the fuller record (a registration's, not a fetch by id's). Without a
      // put, the fetch's answer is the newest news, even of a smaller globalId: latest moves
      // back when the newest version is deleted.
      const bool newer_kept =
          overtaken && entry.value && entry.value->global_id >= value->global_id;
      if (!newer_kept) entry.value = std::move(value);
      store_value(*found, freshness);
      evict_over_limit();
      return newer_kept ? SettleEffect::kept_newer : SettleEffect::stored;
    }
    if (overtaken && entry.state == State::value) {
      entry.future = {};
      return SettleEffect::kept_newer;
    }
    if (outcome == FetchOutcome::failed && refresh) {
      entry.future = {};
      entry.retry_at = retry_refresh_at;
      return SettleEffect::kept_stale;
    }
    // A 404 that a put() during the fetch contradicts is not remembered.
    if (outcome == FetchOutcome::not_found && !overtaken && not_found_until > time_.now()) {
      // The fetch's future, failed with the 404, answers until then.
      entry.value = nullptr;
      entry.state = State::not_found;
      entry.fresh_until = not_found_until;
      link(*found);
      evict_over_limit();
      return SettleEffect::remembered_not_found;
    }
    remove(found);
    return SettleEffect::dropped;
  }

  // Stores a completed schema, known to be current, unless the key has a value for which
  // `replaces(old)` is false or whose globalId is larger. A fetch of the key under way still
  // completes its callers' futures, but lookups from now on get this value, and the fetch's
  // settle keeps it unless it brings a newer one. `replaces` runs under the cache's lock: it
  // must be quick and must not call back.
  template <class Replaces>
  void put(const Key& key, SchemaRecord value, Freshness freshness, Replaces replaces)
      APICURIO_EXCLUDES(mutex_) {
    MutexLock lock(mutex_);
    auto found = entries_.find(key);
    if (found == entries_.end()) {
      insert(key, State::value, freshness).value = std::move(value);
      evict_over_limit();
      return;
    }
    const Entry& old = found->second;
    if (old.state == State::value && !replaces(*old.value)) return;
    if (old.value && old.value->global_id > value->global_id) return;
    overwrite(*found, std::move(value), freshness);
    evict_over_limit();
  }

  void put(const Key& key, SchemaRecord value, Freshness freshness) APICURIO_EXCLUDES(mutex_) {
    put(key, std::move(value), freshness, [](const CachedSchema&) { return true; });
  }

  // Stores `value`, a version that exists but may not be what the key names now (a version
  // that FIND_OR_CREATE_VERSION found or made, for the key of latest), only where it is known
  // to be newer: over a value with a smaller globalId, or, for a fetch under way, in place of
  // an answer with a smaller globalId when it settles. Drops a remembered 404, which `value`
  // disproves, and makes the 404 of a fetch under way not remembered.
  void put_if_newer(const Key& key, SchemaRecord value, Freshness freshness)
      APICURIO_EXCLUDES(mutex_) {
    MutexLock lock(mutex_);
    auto found = entries_.find(key);
    if (found == entries_.end()) return;
    Entry& entry = found->second;
    switch (entry.state) {
      case State::not_found:
        remove(found);
        return;
      case State::pending:
        // Held, not served, until the fetch settles (see settle()).
        if (!entry.value || entry.value->global_id < value->global_id) {
          entry.value = std::move(value);
        }
        entry.overtaken = true;
        return;
      case State::value:
        if (entry.value->global_id < value->global_id) {
          overwrite(*found, std::move(value), freshness);
          evict_over_limit();
        }
        return;
    }
  }

  // Drops the remembered 404s whose key satisfies `predicate`.
  template <class Predicate>
  void forget_not_found_if(Predicate predicate) APICURIO_EXCLUDES(mutex_) {
    MutexLock lock(mutex_);
    for (auto it = entries_.begin(); it != entries_.end();) {
      auto next = std::next(it);
      if (it->second.state == State::not_found && predicate(it->first)) remove(it);
      it = next;
    }
  }

  // Drops the remembered 404 of `key`, if any.
  void forget_not_found(const Key& key) APICURIO_EXCLUDES(mutex_) {
    MutexLock lock(mutex_);
    auto found = entries_.find(key);
    if (found != entries_.end() && found->second.state == State::not_found) remove(found);
  }

  // The value for `key` if it is fresh at `now` (Clock::time_point::min() as `now`: any value,
  // stale or fresh). Does not count as a use.
  SchemaRecord peek(const Key& key, Clock::time_point now) const APICURIO_EXCLUDES(mutex_) {
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
  void erase_if(Predicate predicate) APICURIO_EXCLUDES(mutex_) {
    MutexLock lock(mutex_);
    for (auto it = entries_.begin(); it != entries_.end();) {
      auto next = std::next(it);
      if (predicate(it->first)) remove(it);
      it = next;
    }
  }

  void clear() APICURIO_EXCLUDES(mutex_) {
    MutexLock lock(mutex_);
    entries_.clear();
    newest_ = oldest_ = nullptr;
  }

  // Entries of every kind, fetches under way included.
  std::size_t size() const APICURIO_EXCLUDES(mutex_) {
    MutexLock lock(mutex_);
    return entries_.size();
  }

  std::uint64_t evictions() const noexcept { return evictions_.load(); }

 private:
  enum class State { pending, value, not_found };

  struct Entry {
    // State::value: the schema (still served while refreshing). State::pending: null, or a
    // version put_if_newer() learnt of while the fetch runs, held for its settle.
    SchemaRecord value;
    Future<CachedSchema> future;  // the fetch or refresh in flight, or the remembered 404
    State state = State::pending;
    // A fetch under way will settle this entry (its generation is the entry's). A pending
    // entry's fetch is always under way: the flag is for value entries.
    bool refreshing = false;
    // put() or put_if_newer() wrote the entry while that fetch ran.
    bool overtaken = false;
    std::uint64_t generation = 0;  // of the fetch in flight, or of the last store
    Clock::time_point fresh_until, stale_until;
    // After a failed refresh: no other one before this (it is served stale meanwhile).
    Clock::time_point retry_at = Clock::time_point::min();
    // The recency list, threaded through the entries (a separate list would cost a node
    // per entry): the neighbours used more and less recently. Pending entries, which
    // eviction skips, are not on it, so that many fetches in flight do not slow it.
    std::pair<const Key, Entry>* newer = nullptr;
    std::pair<const Key, Entry>* older = nullptr;
  };
  using Slot = std::pair<const Key, Entry>;
  using Iterator = typename std::unordered_map<Key, Entry, Hash>::iterator;

  bool linked(const Slot& slot) const APICURIO_REQUIRES(mutex_) {
    return slot.second.newer || slot.second.older || newest_ == &slot;
  }

  void link_newest(Slot& slot) APICURIO_REQUIRES(mutex_) {
    slot.second.older = newest_;
    slot.second.newer = nullptr;
    (newest_ ? newest_->second.newer : oldest_) = &slot;
    newest_ = &slot;
  }

  void link(Slot& slot) APICURIO_REQUIRES(mutex_) {
    if (!linked(slot)) link_newest(slot);
  }

  void unlink(Slot& slot) APICURIO_REQUIRES(mutex_) {
    if (!linked(slot)) return;
    Entry& entry = slot.second;
    (entry.newer ? entry.newer->second.older : newest_) = entry.older;
    (entry.older ? entry.older->second.newer : oldest_) = entry.newer;
    entry.newer = entry.older = nullptr;
  }

  void touch(Slot& slot) APICURIO_REQUIRES(mutex_) {
    if (newest_ == &slot) return;
    unlink(slot);
    link_newest(slot);
  }

  void remove(Iterator it) APICURIO_REQUIRES(mutex_) {
    unlink(*it);
    entries_.erase(it);
  }

  // Makes the slot's entry hold its `value` as a completed value per `freshness`. The caller
  // evicts once done with the entry (eviction may take it).
  void store_value(Slot& slot, Freshness freshness) APICURIO_REQUIRES(mutex_) {
    Entry& entry = slot.second;
    entry.future = {};
    entry.state = State::value;
    entry.fresh_until = freshness.fresh_until;
    entry.stale_until = freshness.stale_until;
    entry.retry_at = Clock::time_point::min();
    touch(slot);
  }

  // Replaces what the slot holds with `value`; the caller evicts. An entry whose fetch is under way
  // keeps that fetch's generation and future, so that its settle still comes here (see settle()).
  void overwrite(Slot& slot, SchemaRecord value, Freshness freshness) APICURIO_REQUIRES(mutex_) {
    Entry& entry = slot.second;
    const bool fetching = entry.state == State::pending || entry.refreshing;
    Future<CachedSchema> fetch = std::move(entry.future);
    entry.value = std::move(value);
    store_value(slot, freshness);
    if (fetching) {
      entry.future = std::move(fetch);
      entry.refreshing = entry.overtaken = true;
    } else {
      entry.generation = ++next_generation_;
    }
  }

  Entry& insert(const Key& key, State state, Freshness freshness) APICURIO_REQUIRES(mutex_) {
    auto [it, inserted] = entries_.try_emplace(key);
    if (state != State::pending) link_newest(*it);
    Entry& entry = it->second;
    entry.state = state;
    entry.generation = ++next_generation_;
    entry.fresh_until = freshness.fresh_until;
    entry.stale_until = freshness.stale_until;
    return entry;
  }

  // Entries with a fetch under way are never evicted: that would split collapsed callers.
  void evict_over_limit() APICURIO_REQUIRES(mutex_) {
    Slot* slot = oldest_;
    while (entries_.size() > max_entries_ && slot != nullptr) {
      Slot* next = slot->second.newer;
      if (!slot->second.refreshing) {
        remove(entries_.find(slot->first));
        evictions_.fetch_add(1);
      }
      slot = next;
    }
  }

  const std::size_t max_entries_;
  const TimeSource time_;
  mutable Mutex mutex_;
  std::unordered_map<Key, Entry, Hash> entries_ APICURIO_GUARDED_BY(mutex_);
  // The ends of the recency list; entries_ is node-based, so its entries never move.
  Slot* newest_ APICURIO_GUARDED_BY(mutex_) = nullptr;
  Slot* oldest_ APICURIO_GUARDED_BY(mutex_) = nullptr;
  std::uint64_t next_generation_ APICURIO_GUARDED_BY(mutex_) = 0;
  std::atomic<std::uint64_t> evictions_{0};
};

}  // namespace apicurio::detail
