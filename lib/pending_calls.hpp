// The promises of every call that has not completed, so that close() can fail them all.
#pragma once

#include "thread_annotations.hpp"

#include <apicurio/errors.hpp>
#include <apicurio/future.hpp>
#include <apicurio/schema.hpp>

#include <cstdint>
#include <optional>
#include <unordered_map>
#include <vector>

namespace apicurio::detail {

// Any thread may call every member. Promises are completed outside the lock, so the
// continuations they dispatch never run under it.
class PendingCalls {
 public:
  using Id = std::uint64_t;

  // Takes `promise` and keeps it until complete() or fail_all(). Once fail_all() has run,
  // fails the promise with ClientClosedError at once and returns nullopt. Throws
  // std::bad_alloc, and then leaves `promise` with the caller, untouched.
  std::optional<Id> add(Promise<CachedSchema>& promise) EXCLUDES(mutex_) {
    {
      MutexLock lock(mutex_);
      if (!closed_) {
        // Room first: a rehash that throws after the node took the promise would destroy it.
        // (Grown as an insert would grow it, doubling, and never shrunk.)
        if (static_cast<double>(promises_.size() + 1) >
            static_cast<double>(promises_.bucket_count()) * promises_.max_load_factor()) {
          promises_.reserve(2 * promises_.size() + 1);
        }
        Id id = next_id_ + 1;
        promises_.emplace(id, std::move(promise));  // a node that cannot be had throws first
        next_id_ = id;
        return id;
      }
    }
    promise.set_error(std::make_exception_ptr(ClientClosedError()));
    return std::nullopt;
  }

  // Completes the call `id` unless fail_all() got to it first.
  void complete(Id id, Result<CachedSchema>&& result) EXCLUDES(mutex_) {
    std::optional<Promise<CachedSchema>> promise;
    {
      MutexLock lock(mutex_);
      auto found = promises_.find(id);
      if (found == promises_.end()) return;
      promise.emplace(std::move(found->second));
      promises_.erase(found);
    }
    promise->set_result(std::move(result));
  }

  // Fails every pending call with `error`; later add() calls fail at once.
  void fail_all(const std::exception_ptr& error) EXCLUDES(mutex_) {
    std::unordered_map<Id, Promise<CachedSchema>> taken;
    {
      MutexLock lock(mutex_);
      closed_ = true;
      taken.swap(promises_);
    }
    for (auto& [id, promise] : taken)
      promise.set_error(error);
  }

 private:
  mutable Mutex mutex_;
  std::unordered_map<Id, Promise<CachedSchema>> promises_ GUARDED_BY(mutex_);
  Id next_id_ GUARDED_BY(mutex_) = 0;
  bool closed_ GUARDED_BY(mutex_) = false;
};

}  // namespace apicurio::detail
