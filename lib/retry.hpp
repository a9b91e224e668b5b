// When to retry an HTTP attempt and how long to wait first.
#pragma once

#include "event_loop.hpp"

#include <chrono>
#include <cstdint>
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

// The wait before retry number `retry` (0 for the first): a Retry-After the server sent,
// capped at max_backoff, or else a uniform draw in [0, min(backoff * 2^retry, max_backoff)].
std::chrono::milliseconds retry_delay(const RetryPolicy& policy, std::int64_t retry,
                                      long retry_after_seconds, std::mt19937_64& random);

}  // namespace apicurio::detail
