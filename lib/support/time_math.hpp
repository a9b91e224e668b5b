// Saturating time arithmetic. Every duration a user or a server gives passes through these
// before it meets a clock, a multiplication or curl's `long`: none wraps, each saturates at
// the end of time (or at the largest value the destination holds). Any thread; never throws.
#pragma once

#include <chrono>
#include <cstdint>
#include <limits>

namespace apicurio::detail {

using Millis = std::chrono::milliseconds;

// `d` in milliseconds, saturated at Millis::max() (and at min() for negative durations).
template <class Rep, class Period>
constexpr Millis saturating_millis(std::chrono::duration<Rep, Period> d) noexcept {
  using Wide = std::chrono::duration<long double, std::milli>;
  const long double ms = std::chrono::duration_cast<Wide>(d).count();
  if (ms >= static_cast<long double>(Millis::max().count())) return Millis::max();
  if (ms <= static_cast<long double>(Millis::min().count())) return Millis::min();
  return std::chrono::duration_cast<Millis>(d);
}

// `seconds` (as a server sends them: Retry-After, expires_in) in milliseconds, saturated.
constexpr Millis seconds_to_millis(std::int64_t seconds) noexcept {
  constexpr std::int64_t kMax = std::numeric_limits<Millis::rep>::max() / 1000;
  if (seconds >= kMax) return Millis::max();
  if (seconds <= -kMax) return Millis::min();
  return Millis(seconds * 1000);
}

// `from + d`, saturated at the clock's max() (or min() for a negative d). Every comparison
// is made before the addition, so that nothing overflows on the way.
template <class Clock, class Dur>
constexpr typename Clock::time_point saturating_after(typename Clock::time_point from,
                                                      Dur d) noexcept {
  using TP = typename Clock::time_point;
  using CD = typename Clock::duration;
  const Millis ms = saturating_millis(d);
  if (ms >= std::chrono::duration_cast<Millis>(CD::max())) return TP::max();
  if (ms <= std::chrono::duration_cast<Millis>(CD::min())) return TP::min();
  const CD step = std::chrono::duration_cast<CD>(ms);
  if (step.count() >= 0) return from > TP::max() - step ? TP::max() : from + step;
  return from < TP::min() - step ? TP::min() : from + step;
}

// `d * factor`, saturated at Millis::max() or Millis::min().
constexpr Millis saturating_multiply(Millis d, std::int64_t factor) noexcept {
  Millis::rep product = 0;
  if (__builtin_mul_overflow(d.count(), factor, &product)) {
    return (d.count() < 0) != (factor < 0) ? Millis::min() : Millis::max();
  }
  return Millis(product);
}

// A duration as curl's `long` milliseconds, saturated at LONG_MAX; negative becomes 0.
inline long curl_millis(Millis d) noexcept {
  if (d.count() <= 0) return 0;
  if (d.count() >= static_cast<Millis::rep>(std::numeric_limits<long>::max())) {
    return std::numeric_limits<long>::max();
  }
  return static_cast<long>(d.count());
}

}  // namespace apicurio::detail
