// The library's future: a copyable handle to a value or error that arrives later, like
// std::shared_future, plus continuations (then, then_result) that run on an executor and
// never block a thread per pending future.
//
// Threads: every member of Future and Promise may be called from any thread, concurrently
// on copies of one future; so may the free functions and Result's static and const members.
// A continuation runs on the executor given to then() (by default the executor of the future
// it is attached to: the client's worker pool for the client's futures); when that executor
// is null, or its post() throws, it runs on the thread that completes the future (inside
// set_value, set_error or a Promise's destructor or move assignment; for the client's
// futures, often its event thread) or, if the future is already complete, on the thread that
// attaches it, inside then() or then_result(). The library never runs a continuation while it holds
// a lock.
//
// Blocking: only get, wait, wait_for, wait_until and result wait for a future; every other
// function returns without waiting, apart from running such an inline continuation.
//
// Throwing: each function throws what its comment says; any that allocates (then,
// then_result, Promise's constructor, set_value, make_ready_future, when_all, ...) may also
// throw std::bad_alloc. What a continuation throws fails the future that
// continuation returned; it never escapes into the thread that ran it, and every other
// continuation of the same future still runs.
#pragma once

#include <apicurio/detail/future_state.hpp>
#include <apicurio/executor.hpp>

#include <chrono>
#include <exception>
#include <future>
#include <memory>
#include <optional>
#include <type_traits>
#include <utility>
#include <vector>

namespace apicurio {

template <class T>
class Future;
template <class T>
class Promise;

/// The outcome of a completed future: a value or an error.
template <class T>
class Result {
 public:
  /// A result holding `value`. Throws what moving the value throws.
  static Result success(detail::Stored<T> value) {
    Result r;
    r.value_.emplace(std::move(value));
    return r;
  }
  /// A result holding `error`, which must not be null. Never throws.
  static Result failure(std::exception_ptr error) {
    Result r;
    r.error_ = std::move(error);
    return r;
  }
  /// True when the result holds a value rather than an error.
  bool ok() const noexcept { return error_ == nullptr; }
  /// The value (nothing for Result<void>); throws the stored error when !ok().
  decltype(auto) value() const {
    if (error_) std::rethrow_exception(error_);
    if constexpr (!std::is_void_v<T>) return static_cast<const T&>(*value_);
  }
  /// The error, or null when ok().
  const std::exception_ptr& error() const noexcept { return error_; }

 private:
  Result() = default;
  std::optional<detail::Stored<T>> value_;
  std::exception_ptr error_;
};

}  // namespace apicurio

#include <apicurio/detail/future_impl.hpp>

namespace apicurio {

/// A copyable handle to a value that arrives later. Behaves as std::shared_future<T> for
/// get, wait, wait_for, wait_until and valid; adds is_ready and continuations.
template <class T>
class Future {
 public:
  /// The type get() delivers.
  using value_type = T;

  /// An invalid future (valid() is false). Never throws.
  Future() = default;

  /// True unless default-constructed or moved from. Any thread; never blocks.
  bool valid() const noexcept { return state_ != nullptr; }

  /// True once a value or error is stored. Any thread; never blocks.
  /// Throws std::future_error(no_state) on an invalid future.
  bool is_ready() const { return detail::checked(state_)->is_ready(); }

  /// Blocks until complete; returns the value or throws the stored error (an apicurio::Error
  /// for the client's futures). Any thread except one that the completion itself needs: an
  /// executor thread it must run on, or the client's event thread (where a continuation
  /// attached with a null executor may run). Throws std::future_error(no_state) on an invalid
  /// future.
  decltype(auto) get() const {
    detail::checked(state_)->wait();
    return state_->result().value();
  }

  /// Blocks until complete. Any thread, as for get(). Throws std::future_error on an invalid
  /// future.
  void wait() const { detail::checked(state_)->wait(); }

  /// Blocks until complete or the timeout passes. Any thread. Never returns deferred. The
  /// timeout saturates: any length (max() included) waits that long or without bound, never
  /// wraps; zero or negative only checks. Throws std::future_error on an invalid future.
  template <class Rep, class Period>
  std::future_status wait_for(const std::chrono::duration<Rep, Period>& timeout) const {
    using std::chrono::steady_clock;
    const auto start = steady_clock::now();
    const long double total = detail::nanos(timeout);  // max() waits without bound
    return status(detail::checked(state_)->wait_while(
        [&] { return total - detail::nanos(steady_clock::now() - start); }));
  }

  /// Blocks until complete or the deadline passes, on any clock: a far deadline (max(), also
  /// of a coarse duration) waits without bound, a past one only checks. Any thread. Throws
  /// std::future_error on an invalid future.
  template <class Clock, class Duration>
  std::future_status wait_until(const std::chrono::time_point<Clock, Duration>& deadline) const {
    const long double end = detail::nanos(deadline.time_since_epoch());  // max(): no bound
    return status(detail::checked(state_)->wait_while(
        [&] { return end - detail::nanos(Clock::now().time_since_epoch()); }));
  }

  /// The outcome, blocking until there is one. Any thread, as for get(). Never throws the
  /// stored error; throws std::future_error on an invalid future.
  const Result<T>& result() const {
    wait();
    return state_->result();
  }

  /// Runs f(value) once this future has a value and returns a future of what f returns
  /// (if f returns a `Future<U>`, a `Future<U>` that completes with it). If this future fails,
  /// f does not run and the returned future fails with the same error; if f throws, the
  /// returned future fails with what it threw; if f returns an invalid Future, it fails with
  /// std::future_error(no_state) whose what() says so. f may be move-only (capture a
  /// unique_ptr); it runs exactly once, on this future's executor (on the completing or
  /// attaching thread instead if that executor's post() throws). Any thread; never blocks (but
  /// f runs inline, before then() returns, when this future is already complete and its
  /// executor is null). Throws std::future_error on an invalid future.
  template <class F>
  auto then(F&& f) const {
    return then(detail::checked(state_)->executor(), std::forward<F>(f));
  }

  /// As then(f), with f running on `executor` (null: on the completing or attaching thread).
  template <class F>
  auto then(std::shared_ptr<Executor> executor, F&& f) const {
    auto adapt = [fn = std::forward<F>(f)](const Result<T>& r) mutable {
      if constexpr (std::is_void_v<T>) {
        r.value();
        return fn();
      } else {
        return fn(r.value());
      }
    };
    return then_result(std::move(executor), std::move(adapt));
  }

  /// Runs f(const Result<T>&) once this future completes, with a value or an error, so a
  /// job can go on past a failure. Otherwise as then(f).
  template <class F>
  auto then_result(F&& f) const {
    return then_result(detail::checked(state_)->executor(), std::forward<F>(f));
  }

  /// As then_result(f), with f running on `executor`.
  template <class F>
  auto then_result(std::shared_ptr<Executor> executor, F&& f) const {
    using R = std::invoke_result_t<std::decay_t<F>&, const Result<T>&>;
    using U = typename detail::Unwrap<R>::type;
    auto source = detail::checked(state_);
    auto target = std::make_shared<detail::SharedState<U>>(executor);
    auto task =
        detail::make_task([source, target, fn = std::decay_t<F>(std::forward<F>(f))]() mutable {
          detail::complete_with(target, fn, source->result());
        });
    source->add_callback({std::move(executor), std::move(task)});
    return Future<U>(target);
  }

  /// The executor continuations use by default. Any thread; never blocks. Throws
  /// std::future_error on an invalid future.
  const std::shared_ptr<Executor>& executor() const { return detail::checked(state_)->executor(); }

 private:
  template <class>
  friend class Future;
  template <class>
  friend class Promise;
  friend struct detail::FutureAccess;

  // For the library: wraps a shared state. Never throws.
  explicit Future(std::shared_ptr<detail::SharedState<T>> state) : state_(std::move(state)) {}

  // For the library: completes `target` with this future's outcome when it has one,
  // on the completing thread (at once, if this future is complete). Throws std::future_error
  // on an invalid future.
  template <class U>
  void forward_to(const std::shared_ptr<detail::SharedState<U>>& target) const {
    auto source = detail::checked(state_);
    source->add_callback({nullptr, detail::make_task([source, target] {
                            // Copying the outcome may throw: the target must complete anyway.
                            std::exception_ptr error;
                            try {
                              target->complete(Result<T>(source->result()));
                            } catch (...) {
                              error = std::current_exception();
                            }
                            if (error) target->complete(Result<T>::failure(std::move(error)));
                          })});
  }

  static std::future_status status(bool ready) noexcept {
    return ready ? std::future_status::ready : std::future_status::timeout;
  }

  std::shared_ptr<detail::SharedState<T>> state_;
};

/// The writing end of a Future. Move-only. Any thread may complete it; only the first
/// completion counts. A promise destroyed before completion fails its future with
/// std::future_error(broken_promise).
template <class T>
class Promise {
 public:
  /// Continuations of the future run on `executor` unless then() names another. Throws
  /// std::bad_alloc only.
  explicit Promise(std::shared_ptr<Executor> executor = nullptr)
      : state_(std::make_shared<detail::SharedState<T>>(std::move(executor))) {}
  /// Takes over `other`'s future; `other` is left without one. Never throws.
  Promise(Promise&&) noexcept = default;
  /// Takes over `other`'s future, then abandons this promise's previous one (see the class
  /// comment; its continuations may run here). Moving a promise onto itself changes nothing.
  /// Never throws.
  Promise& operator=(Promise&& other) noexcept {
    if (this != &other) {
      auto previous = std::move(state_);
      state_ = std::move(other.state_);
      abandon(previous);
    }
    return *this;
  }
  Promise(const Promise&) = delete;
  Promise& operator=(const Promise&) = delete;
  /// Abandons the future (see the class comment). Never throws.
  ~Promise() { abandon(state_); }

  /// The future this promise completes; every call returns a handle to the same one (an
  /// invalid one after a move). Never throws.
  Future<T> get_future() const { return Future<T>(state_); }

  /// Completes with a value built as T(args...) (braces for an aggregate); false if already
  /// complete. Continuations are dispatched from here.
  /// Throws what constructing the value throws, and std::future_error(no_state) on a
  /// moved-from promise; never what a continuation throws.
  template <class... Args>
  bool set_value(Args&&... args) {
    return detail::checked(state_)->complete(
        Result<T>::success(detail::make_stored<T>(std::forward<Args>(args)...)));
  }
  /// Completes with an error; false if already complete. Throws std::future_error(no_state)
  /// on a moved-from promise.
  bool set_error(std::exception_ptr error) {
    return detail::checked(state_)->complete(Result<T>::failure(std::move(error)));
  }
  /// Completes with `result`, a value or an error, without copying it; false if already
  /// complete. Throws std::future_error(no_state) on a moved-from promise.
  bool set_result(Result<T> result) { return detail::checked(state_)->complete(std::move(result)); }

 private:
  static void abandon(const std::shared_ptr<detail::SharedState<T>>& state) noexcept {
    if (state && !state->is_ready()) {
      state->complete(Result<T>::failure(
          std::make_exception_ptr(std::future_error(std::future_errc::broken_promise))));
    }
  }
  std::shared_ptr<detail::SharedState<T>> state_;
};

/// A future that already holds `value`. Throws what copying or moving `value` throws.
template <class T>
Future<std::decay_t<T>> make_ready_future(T&& value, std::shared_ptr<Executor> executor = nullptr) {
  Promise<std::decay_t<T>> promise(std::move(executor));
  promise.set_value(std::forward<T>(value));
  return promise.get_future();
}

/// A future that already holds `error`.
template <class T>
Future<T> make_failed_future(std::exception_ptr error,
                             std::shared_ptr<Executor> executor = nullptr) {
  Promise<T> promise(std::move(executor));
  promise.set_error(std::move(error));
  return promise.get_future();
}

/// A future of every value, in input order. It completes once every input has; if any
/// failed, it fails with the error of the first failed input in input order. Continuations
/// run on the first input's executor. Any thread; never blocks. Throws std::future_error if
/// an input is invalid.
template <class T>
Future<std::vector<T>> when_all(const std::vector<Future<T>>& futures) {
  return detail::gather<T, std::vector<T>>(
      futures, [](const auto& target, const std::vector<const Result<T>*>& results) {
        std::vector<T> values;
        values.reserve(results.size());
        for (const Result<T>* r : results) {
          if (!r->ok()) {
            target->complete(Result<std::vector<T>>::failure(r->error()));
            return;
          }
          values.push_back(r->value());
        }
        target->complete(Result<std::vector<T>>::success(std::move(values)));
      });
}

/// A future of every outcome, in input order: each item's value or error. Never fails.
/// Otherwise as when_all.
template <class T>
Future<std::vector<Result<T>>> when_all_settled(const std::vector<Future<T>>& futures) {
  return detail::gather<T, std::vector<Result<T>>>(
      futures, [](const auto& target, const std::vector<const Result<T>*>& results) {
        std::vector<Result<T>> outcomes;
        outcomes.reserve(results.size());
        for (const Result<T>* r : results)
          outcomes.push_back(*r);
        target->complete(Result<std::vector<Result<T>>>::success(std::move(outcomes)));
      });
}

}  // namespace apicurio
