// The implementation behind future.hpp: the state a Future and its Promise share, and the
// continuations waiting on it. Not API: include <apicurio/future.hpp>.
#pragma once

#include <apicurio/executor.hpp>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <exception>
#include <functional>
#include <future>
#include <memory>
#include <mutex>
#include <optional>
#include <type_traits>
#include <utility>
#include <vector>

namespace apicurio {

template <class T>
class Result;

namespace detail {

struct Unit {};
template <class T>
using Stored = std::conditional_t<std::is_void_v<T>, Unit, T>;

// A continuation's body, type-erased without requiring a copyable callable (a continuation
// may own a unique_ptr; std::move_only_function is C++23). It is shared rather than moved
// into Executor::post, which takes a copyable std::function: the posted function holds a
// reference, so the body survives a post() that throws (whatever post did with its
// argument) and dispatch can still run it; `claimed_` makes it run at most once, however
// many copies post() made or ran.
class Task {
 public:
  virtual ~Task() = default;
  // Runs the body unless it already ran (or is running). The library's bodies never throw.
  void run_once() {
    if (!claimed_.exchange(true, std::memory_order_acq_rel)) invoke();
  }

 private:
  virtual void invoke() = 0;
  std::atomic<bool> claimed_{false};
};

template <class F>
class TaskOf final : public Task {
 public:
  explicit TaskOf(F&& fn) : fn_(std::move(fn)) {}

 private:
  void invoke() override {
    (*fn_)();
    // What the body captured dies on the thread that ran it, right away, as when the body
    // was moved into post(): never later on the completing thread (the client's event
    // thread), which may still hold a reference.
    fn_.reset();
  }
  std::optional<F> fn_;
};

template <class F>
std::shared_ptr<Task> make_task(F fn) {
  return std::make_shared<TaskOf<F>>(std::move(fn));
}

// A continuation and the executor it must run on (null: run where it is dispatched).
struct Callback {
  std::shared_ptr<Executor> executor;
  std::shared_ptr<Task> task;
};

// Never throws. If post() throws, the task runs here instead (unless post already ran it):
// losing it would leave its future pending for ever. Posting costs one allocation for the
// std::function; if even that fails, the task runs here too.
inline void dispatch(Callback& cb) noexcept {
  const std::shared_ptr<Task> task = std::move(cb.task);
  if (cb.executor) {
    try {
      cb.executor->post([task] { task->run_once(); });
      return;
    } catch (...) {
    }
  }
  try {
    task->run_once();
  } catch (...) {
    // The library's tasks complete their own future with whatever they meet, so nothing
    // reaches here; were something to, the continuations after this one must still run.
  }
}

// Thrown into the future of a continuation that returned an invalid Future: a std::future_error
// (no_state), as any use of an invalid future throws, whose message names the cause.
class InvalidFutureReturned final : public std::future_error {
 public:
  InvalidFutureReturned() : std::future_error(std::future_errc::no_state) {}
  const char* what() const noexcept override {
    return "apicurio: a continuation returned an invalid Future (default-constructed or moved "
           "from)";
  }
};

template <class T>
class SharedState {
 public:
  explicit SharedState(std::shared_ptr<Executor> executor) : executor_(std::move(executor)) {}

  // Stores the outcome and dispatches the continuations outside the lock. Returns false if
  // the state was already complete (the first outcome wins).
  bool complete(Result<T>&& result) {
    std::optional<Callback> first;
    std::vector<Callback> more;
    {
      std::lock_guard<std::mutex> lock(mutex_);
      if (result_) return false;
      result_.emplace(std::move(result));
      ready_.store(true, std::memory_order_release);
      first.swap(first_callback_);
      more.swap(more_callbacks_);
    }
    ready_cv_.notify_all();
    // dispatch never throws, so one continuation cannot keep the others from running.
    if (first) dispatch(*first);
    for (auto& cb : more)
      dispatch(cb);
    return true;
  }

  void add_callback(Callback cb) {
    {
      std::lock_guard<std::mutex> lock(mutex_);
      if (!result_) {
        if (!first_callback_) {
          first_callback_.emplace(std::move(cb));
        } else {
          more_callbacks_.push_back(std::move(cb));
        }
        return;
      }
    }
    dispatch(cb);
  }

  bool is_ready() const noexcept { return ready_.load(std::memory_order_acquire); }

  void wait() const {
    if (is_ready()) return;
    std::unique_lock<std::mutex> lock(mutex_);
    ready_cv_.wait(lock, [&] { return result_.has_value(); });
  }

  // Waits until complete or `left()`, the time left in nanoseconds, is not positive. Long
  // double, so that a far deadline on any clock (max(), or a coarse duration's max()) neither
  // overflows here nor in the standard library, which adds a wait's timeout to
  // steady_clock::now() and converts other clocks' deadlines the same way: each wait is at
  // most a day, and a spurious or early wakeup just goes round again. `left` reads a clock
  // that may be a user's, so never under the lock.
  template <class Left>
  bool wait_while(Left left) const {
    constexpr long double kDayNs = 86'400e9L;
    for (;;) {
      if (is_ready()) return true;
      const long double ns = left();
      if (!(ns > 0)) return is_ready();  // also for NaN
      const auto step = static_cast<std::int64_t>(ns < kDayNs ? ns : kDayNs) + 1;
      std::unique_lock<std::mutex> lock(mutex_);
      if (result_) return true;
      ready_cv_.wait_for(lock, std::chrono::nanoseconds(step));
    }
  }

  // Only after is_ready() or wait(): the outcome never changes once set.
  const Result<T>& result() const noexcept { return *result_; }
  const std::shared_ptr<Executor>& executor() const noexcept { return executor_; }

 private:
  const std::shared_ptr<Executor> executor_;
  mutable std::mutex mutex_;
  mutable std::condition_variable ready_cv_;
  std::atomic<bool> ready_{false};
  std::optional<Result<T>> result_;  // guarded by mutex_ until ready_ is set, then immutable
  // Guarded by mutex_; in the order they were added. Most futures get one continuation at
  // most, which then needs no allocation of its own.
  std::optional<Callback> first_callback_;
  std::vector<Callback> more_callbacks_;
};

// The value set_value(args...) stores: T(args...) as std::optional::emplace would build it
// (braces would pick std::vector's initializer_list constructor for (3, 5) and refuse a
// narrowing argument), braces only for an aggregate that has no such constructor.
template <class T, class... Args>
Stored<T> make_stored(Args&&... args) {
  if constexpr (std::is_constructible_v<Stored<T>, Args&&...>) {
    return Stored<T>(std::forward<Args>(args)...);
  } else {
    return Stored<T>{std::forward<Args>(args)...};
  }
}

template <class Rep, class Period>
long double nanos(const std::chrono::duration<Rep, Period>& d) noexcept {
  return std::chrono::duration<long double, std::nano>(d).count();
}

template <class T>
const std::shared_ptr<SharedState<T>>& checked(const std::shared_ptr<SharedState<T>>& state) {
  if (!state) throw std::future_error(std::future_errc::no_state);
  return state;
}

}  // namespace detail
}  // namespace apicurio
