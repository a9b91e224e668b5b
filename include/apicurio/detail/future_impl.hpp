// The implementation behind future.hpp's continuations and combinators: completing a
// continuation's future, forwarding one future into another, and gathering many. Not API:
// include <apicurio/future.hpp>.
#pragma once

#include <apicurio/detail/future_state.hpp>

#include <atomic>
#include <cstddef>
#include <exception>
#include <memory>
#include <type_traits>
#include <utility>
#include <vector>

namespace apicurio {

template <class T>
class Future;

namespace detail {

template <class T>
struct IsFuture : std::false_type {};
template <class T>
struct IsFuture<Future<T>> : std::true_type {};
template <class T>
struct Unwrap {
  using type = T;
};
template <class T>
struct Unwrap<Future<T>> {
  using type = T;
};

// What the library does with a Future that users may not: make one from a shared state, and
// forward its outcome into another state. Future befriends this struct alone.
struct FutureAccess {
  template <class T>
  static Future<T> make(std::shared_ptr<SharedState<T>> state) {
    return Future<T>(std::move(state));
  }
  template <class T, class U>
  static void forward(const Future<T>& source, const std::shared_ptr<SharedState<U>>& target) {
    source.forward_to(target);
  }
};

// Runs fn on the value of `source` and completes `target` with what it returns (unwrapping
// a returned Future), or with what it throws: in every case `target` completes, even when
// moving the value in or attaching to the returned future throws.
template <class U, class Fn, class Arg>
void complete_with(const std::shared_ptr<SharedState<U>>& target, Fn& fn, const Arg& arg) {
  using R = std::invoke_result_t<Fn&, const Arg&>;
  // Complete with an error outside the catch block: other threads may read the error as soon
  // as it is published, and the exception must not still be "being handled" here by then.
  std::exception_ptr error;
  try {
    if constexpr (IsFuture<R>::value) {
      R returned = fn(arg);
      if (returned.valid()) {
        FutureAccess::forward(returned, target);
      } else {
        error = std::make_exception_ptr(InvalidFutureReturned());
      }
    } else if constexpr (std::is_void_v<R>) {
      fn(arg);
      target->complete(Result<U>::success(Unit{}));
    } else {
      target->complete(Result<U>::success(fn(arg)));
    }
  } catch (...) {
    error = std::current_exception();
  }
  if (error) target->complete(Result<U>::failure(std::move(error)));
}

template <class T, class Out, class Finish>
Future<Out> gather(const std::vector<Future<T>>& futures, Finish finish) {
  // Check every input before attaching to any: a throw half-way would leave continuations on
  // the first inputs that keep the state below alive until those complete, for nothing.
  for (const auto& input : futures) {
    if (!input.valid()) throw std::future_error(std::future_errc::no_state);
  }
  std::shared_ptr<Executor> executor = futures.empty() ? nullptr : futures.front().executor();
  auto target = std::make_shared<SharedState<Out>>(executor);
  if (futures.empty()) {
    finish(target, std::vector<const Result<T>*>{});
    return FutureAccess::make(target);
  }
  struct Pending {
    std::vector<Future<T>> inputs;
    std::atomic<std::size_t> remaining;
  };
  auto pending = std::make_shared<Pending>();
  pending->inputs = futures;
  pending->remaining.store(futures.size());
  for (const auto& input : futures) {
    input.then_result(nullptr, [pending, target, finish](const Result<T>&) {
      if (pending->remaining.fetch_sub(1) != 1) return;
      // Copying a value may throw; the future then_result returns is dropped, so the error
      // must go to `target`, which would otherwise never complete.
      std::exception_ptr error;
      try {
        std::vector<const Result<T>*> results;
        results.reserve(pending->inputs.size());
        for (const auto& f : pending->inputs)
          results.push_back(&f.result());
        finish(target, results);
      } catch (...) {
        error = std::current_exception();
      }
      if (error) target->complete(Result<Out>::failure(std::move(error)));
    });
  }
  return FutureAccess::make(target);
}
}  // namespace detail
}  // namespace apicurio
