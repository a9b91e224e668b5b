// When to retry an HTTP attempt and how long to wait first.
#pragma once

#include "event_loop.hpp"

#include <chrono>
#include <cstdint>
#include <ctime>
#include <random>

namespace apicurio::detail {

struct RetryPolicy {
  std::int64_t max_retries = 3;
  std::chrono::milliseconds backoff{1000};
  std::chrono::milliseconds max_backoff{20000};
};

// Whether a request may be sent twice. A non-idempotent request (CREATE_VERSION) is retried
// only when the registry surely did not process it.
enum class Idempotency { idempotent, non_idempotent };

// True when `response` is a failure worth retrying: transport errors and 429, 502, 503, 504
// for idempotent requests; connection refused, host not resolved, 429 and 503 for the rest.
bool is_retryable(const HttpResponse& response, Idempotency idempotency) noexcept;

// The wait before retry number `retry` (0 for the first): a Retry-After the server sent
// (`retry_after_seconds` >= 0; 0 retries at once), capped at max_backoff, or else a uniform
// draw in [0, min(backoff * 2^retry, max_backoff)]. Saturates, never wraps. Any thread.
std::chrono::milliseconds retry_delay(const RetryPolicy& policy, std::int64_t retry,
                                      long retry_after_seconds, std::mt19937_64& random);

// A Retry-After header's value as seconds from `now` (seconds since the epoch): delay-seconds
// saturated at LONG_MAX, or an HTTP-date (0 when it has passed); -1 when it is neither. Any
// thread; never throws.
long parse_retry_after(const char* value, std::time_t now) noexcept;

}  // namespace apicurio::detail
