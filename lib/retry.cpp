#include "retry.hpp"

#include "reply_errors.hpp"

#include <algorithm>

namespace apicurio::detail {

bool is_retryable(const HttpResponse& response, Idempotency idempotency) noexcept {
  const bool idempotent = idempotency == Idempotency::idempotent;
  if (response.too_large) return false;
  if (response.transport != 0) {
    switch (connection_failure(response.transport)) {
      case ConnectionFailure::refused:
      case ConnectionFailure::dns:
        return true;  // nothing reached the registry
      case ConnectionFailure::timeout:
      case ConnectionFailure::reset:
        return idempotent;  // the registry may have acted on it
      default:
        return false;  // TLS, bad URL, out of memory: a retry would fail the same way
    }
  }
  switch (response.status) {
    case 429:
    case 503:
      return true;  // the registry or a proxy turned it away
    case 502:
    case 504:
      return idempotent;  // a gateway may have forwarded it
    default:
      return false;
  }
}

std::chrono::milliseconds retry_delay(const RetryPolicy& policy, std::int64_t retry,
                                      long retry_after_seconds, std::mt19937_64& random) {
  using std::chrono::milliseconds;
  if (retry_after_seconds >= 0) {
    return std::min(milliseconds(std::int64_t{retry_after_seconds} * 1000), policy.max_backoff);
  }
  // backoff * 2^retry without overflow: stop doubling once past the cap.
  milliseconds ceiling = policy.backoff;
  for (std::int64_t i = 0; i < retry && ceiling < policy.max_backoff; ++i)
    ceiling *= 2;
  ceiling = std::min(ceiling, policy.max_backoff);
  std::uniform_int_distribution<std::int64_t> draw(0, std::max<std::int64_t>(0, ceiling.count()));
  return milliseconds(draw(random));
}

}  // namespace apicurio::detail
