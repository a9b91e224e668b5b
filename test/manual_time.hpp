// Clients on a clock that moves only when the test advances it (lib/clock.hpp), for tests of
// TTLs, backoff, Retry-After, token lifetimes and deadlines that must not wait real time.
#pragma once

#include "clock.hpp"

#include <memory>

namespace apicurio::testing {

// Clients built on this thread while it lives read `clock`, and keep it.
struct ManualTime {
  std::shared_ptr<detail::ManualClock> clock = std::make_shared<detail::ManualClock>();
  detail::ClientClockScope scope{clock};

  void advance(detail::Clock::duration by) { clock->advance(by); }
  // Waits (10 s of real time at most) until the clients hold `count` timers, then moves time
  // by `by`: what sleeping past a backoff or a deadline did, without the wait.
  bool advance_after_timers(std::size_t count, detail::Clock::duration by) {
    if (!clock->wait_for_timers(count)) return false;
    clock->advance(by);
    return true;
  }
  // Until `done()`, moves time to each timer the clients set (a backoff, a Retry-After, a
  // deadline) as it is set, and stops before moving time past `limit`. Returns how far time
  // moved.
  template <class Done>
  detail::Clock::duration advance_until(Done done, detail::Clock::duration limit) {
    const auto start = clock->now();
    while (!done()) {
      auto next = clock->wait_for_next_timer(std::chrono::milliseconds(20));
      if (!next) continue;
      if (*next - start > limit) break;
      clock->advance_to(*next);
    }
    return clock->now() - start;
  }
};

}  // namespace apicurio::testing
