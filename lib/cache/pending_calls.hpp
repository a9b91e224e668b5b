// The promises of every call that has not completed, so that close() can fail them all.
#pragma once

#include "thread_annotations.hpp"

#include <apicurio/errors.hpp>
#include <apicurio/future.hpp>
#include <apicurio/schema.hpp>

#include <condition_variable>
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
  std::optional<Id> add(Promise<CachedSchema>& promise) APICURIO_EXCLUDES(mutex_) {
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
  void complete(Id id, Result<CachedSchema>&& result) APICURIO_EXCLUDES(mutex_) {
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

  // Fails every pending call with `error`; later add() calls fail at once. With
  // `wait_for_others`, returns only once the calls another thread's fail_all() took have
  // failed too (so that a second close() returns once every future has failed), unless this
  // thread is itself inside a fail_all() (a continuation run inline that closes a client):
  // that one may be waiting up the stack.
  void fail_all(const std::exception_ptr& error, bool wait_for_others = true)
      APICURIO_EXCLUDES(mutex_) {
    std::unordered_map<Id, Promise<CachedSchema>> taken;
    {
      MutexLock lock(mutex_);
      closed_ = true;
      taken.swap(promises_);
      ++failing_;
    }
    ++failing_here();
    for (auto& [id, promise] : taken)
      promise.set_error(error);
    --failing_here();
    {
      MutexLock lock(mutex_);
      --failing_;
      failed_.notify_all();
      if (wait_for_others && failing_here() == 0) {
        lock.wait(failed_, [this]() APICURIO_NO_THREAD_SAFETY_ANALYSIS { return failing_ == 0; });
      }
    }
  }

 private:
  mutable Mutex mutex_;
  std::unordered_map<Id, Promise<CachedSchema>> promises_ APICURIO_GUARDED_BY(mutex_);
  Id next_id_ APICURIO_GUARDED_BY(mutex_) = 0;
  bool closed_ APICURIO_GUARDED_BY(mutex_) = false;
  // fail_all() calls still failing the calls they took; failed_ signals when one ends.
  std::size_t failing_ APICURIO_GUARDED_BY(mutex_) = 0;
  std::condition_variable failed_;

  // How many fail_all() calls (of any client) this thread is inside.
  static int& failing_here() noexcept {
    thread_local int depth = 0;
    return depth;
  }
};

}  // namespace apicurio::detail
