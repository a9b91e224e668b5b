// One logical HTTP exchange: attempts, retries with backoff timers, and a deadline.
#pragma once

#include "event_loop.hpp"
#include "retry.hpp"

#include <atomic>
#include <optional>

namespace apicurio::detail {

struct ExchangeOptions {
  RetryPolicy retry;
  Idempotency idempotency = Idempotency::idempotent;
  // No attempt starts, and no attempt runs, past this point.
  std::optional<Clock::time_point> deadline;
};

// Where an exchange counts its attempts (retries included) and its retries.
struct ExchangeCounters {
  std::atomic<std::uint64_t>& attempts;
  std::atomic<std::uint64_t>& retries;
};

// Gets an exchange's final response, with the request as it was sent.
using ExchangeDone = std::function<void(HttpResponse&&, const HttpRequest& sent)>;

// Event thread only. Sends `request`, retrying retryable failures per `options` on timers of
// `loop` (no thread sleeps), and calls `done` on the event thread with the final response:
// a success, a failure that is not retryable, or the last failure once retries or the
// deadline run out. Never throws but std::bad_alloc.
void send_with_retries(EventLoop& loop, HttpRequest&& request, const ExchangeOptions& options,
                       ExchangeCounters counters, ExchangeDone done);

}  // namespace apicurio::detail
