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
};

}  // namespace apicurio::testing
