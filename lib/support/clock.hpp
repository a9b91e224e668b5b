// Where the library reads the time: the steady clock, or, in tests, a ManualClock that moves
// only when the test advances it (after folly's ManualTimekeeper), so that a test of a TTL,
// a backoff, a Retry-After or a token's lifetime waits for no real time and cannot flake on
// a loaded machine. Users never see this: a test hands a ManualClock to the clients it builds
// through ClientClockScope. Bounds that curl enforces itself (connect and request timeouts)
// stay in real time.
#pragma once

#include "thread_annotations.hpp"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <utility>

namespace apicurio::detail {

using Clock = std::chrono::steady_clock;

// Time for tests: starts at the steady clock's now and moves only by advance(). Each event
// loop built on it attaches a waker, and reports its timers, so that a test can wait for a
// timer to be set before it moves time past it.
class ManualClock {
 public:
  ManualClock() : now_(Clock::now().time_since_epoch().count()) {}
  ManualClock(const ManualClock&) = delete;
  ManualClock& operator=(const ManualClock&) = delete;

  // Any thread; never blocks.
  Clock::time_point now() const noexcept {
    return Clock::time_point(Clock::duration(now_.load(std::memory_order_acquire)));
  }

  // Any thread. Moves time forward by `by` (negative: not at all) and wakes every attached
  // loop, which then runs the timers now due. Never blocks on I/O; never throws but
  // std::bad_alloc.
  void advance(Clock::duration by) APICURIO_EXCLUDES(mutex_) {
    MutexLock lock(mutex_);
    if (by.count() > 0) now_.fetch_add(by.count(), std::memory_order_acq_rel);
    for (auto& waker : wakers_)
      waker.second.wake();
  }

  // Any thread but a loop's event thread (which would wait for itself). Blocks until the
  // attached loops hold at least `count` timers in all, none of them due, for at most `limit`
  // of real time; returns whether they did. A due timer is one its loop has yet to run (time
  // moved past it): waiting for it keeps a test from moving time faster than the loops follow,
  // and from counting a timer that is about to go.
  bool wait_for_timers(std::size_t count,
                       std::chrono::milliseconds limit = std::chrono::seconds(10))
      APICURIO_EXCLUDES(mutex_) {
    MutexLock lock(mutex_);
    return lock.wait_until(changed_, Clock::now() + limit,
                           [&]() APICURIO_NO_THREAD_SAFETY_ANALYSIS {
                             return none_due() && pending_timers() >= count;
                           });
  }

  // Any thread. How many timers the attached loops hold.
  std::size_t timers() const APICURIO_EXCLUDES(mutex_) {
    MutexLock lock(mutex_);
    return pending_timers();
  }

  // Any thread but a loop's event thread. Blocks, for at most `limit` of real time, until no
  // loop holds a due timer and some loop holds one at a finite time: returns the earliest,
  // or nullopt.
  std::optional<Clock::time_point> wait_for_next_timer(
      std::chrono::milliseconds limit = std::chrono::seconds(10)) APICURIO_EXCLUDES(mutex_) {
    MutexLock lock(mutex_);
    std::optional<Clock::time_point> next;
    lock.wait_until(changed_, Clock::now() + limit, [&]() APICURIO_NO_THREAD_SAFETY_ANALYSIS {
      next.reset();
      const auto at = now();
      for (const auto& waker : wakers_) {
        if (waker.second.earliest <= at) return false;
        if (waker.second.earliest != Clock::time_point::max())
          next = std::min(next.value_or(Clock::time_point::max()), waker.second.earliest);
      }
      return next.has_value();
    });
    return next;
  }

  // Any thread. Moves time to `when` (if later) and wakes the loops, as advance() does.
  void advance_to(Clock::time_point when) APICURIO_EXCLUDES(mutex_) {
    const auto at = now();
    if (when > at) advance(when - at);
  }

  // The event loop's side. attach() and detach() from any thread but never with the loop's
  // own lock held: advance() calls `wake` under this clock's lock.
  void attach(const void* loop, std::function<void()> wake) APICURIO_EXCLUDES(mutex_) {
    MutexLock lock(mutex_);
    wakers_[loop] = Waker{std::move(wake), 0, Clock::time_point::max()};
  }
  void detach(const void* loop) APICURIO_EXCLUDES(mutex_) {
    {
      MutexLock lock(mutex_);
      wakers_.erase(loop);
    }
    changed_.notify_all();
  }
  // `earliest`: its first timer's deadline, max() when it has none.
  void report_timers(const void* loop, std::size_t count, Clock::time_point earliest)
      APICURIO_EXCLUDES(mutex_) {
    {
      MutexLock lock(mutex_);
      auto found = wakers_.find(loop);
      if (found == wakers_.end()) return;
      found->second.timers = count;
      found->second.earliest = earliest;
    }
    changed_.notify_all();
  }

 private:
  struct Waker {
    std::function<void()> wake;
    std::size_t timers = 0;
    Clock::time_point earliest = Clock::time_point::max();
  };
  bool none_due() const APICURIO_REQUIRES(mutex_) {
    const auto at = now();
    for (const auto& waker : wakers_) {
      if (waker.second.earliest <= at) return false;
    }
    return true;
  }
  std::size_t pending_timers() const APICURIO_REQUIRES(mutex_) {
    std::size_t sum = 0;
    for (const auto& waker : wakers_)
      sum += waker.second.timers;
    return sum;
  }

  std::atomic<Clock::rep> now_;
  mutable Mutex mutex_;
  std::condition_variable changed_;
  std::map<const void*, Waker> wakers_ APICURIO_GUARDED_BY(mutex_);
};

// The time one client (its loop, caches, retries and token renewal) reads: the steady clock
// unless a test gave a ManualClock. Cheap to copy; now() is one branch more than
// Clock::now().
class TimeSource {
 public:
  TimeSource() = default;
  explicit TimeSource(std::shared_ptr<ManualClock> manual) : manual_(std::move(manual)) {}

  // Any thread; never blocks.
  Clock::time_point now() const noexcept { return manual_ ? manual_->now() : Clock::now(); }
  // The test's clock, or null for the steady clock.
  ManualClock* manual() const noexcept { return manual_.get(); }

 private:
  std::shared_ptr<ManualClock> manual_;
};

// Tests only: clients built on this thread while a scope lives read `clock`, and keep it for
// their whole life. Scopes nest; each restores the one before it.
class ClientClockScope {
 public:
  explicit ClientClockScope(std::shared_ptr<ManualClock> clock);
  ~ClientClockScope();
  ClientClockScope(const ClientClockScope&) = delete;
  ClientClockScope& operator=(const ClientClockScope&) = delete;

 private:
  TimeSource previous_;
};

// Any thread. The time a client built now on this thread reads (see ClientClockScope).
TimeSource time_for_new_client();

}  // namespace apicurio::detail
