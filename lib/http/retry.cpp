#include "retry.hpp"

#include "connection_failure.hpp"
#include "time_math.hpp"

#include <curl/curl.h>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <limits>
#include <string_view>

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
    return std::min(seconds_to_millis(retry_after_seconds), policy.max_backoff);
  }
  // backoff * 2^retry: at most 63 doublings reach the cap (none for a zero backoff).
  milliseconds ceiling = policy.backoff;
  for (std::int64_t i = 0; i < retry && ceiling.count() > 0 && ceiling < policy.max_backoff; ++i)
    ceiling = saturating_multiply(ceiling, 2);
  ceiling = std::min(ceiling, policy.max_backoff);
  std::uniform_int_distribution<std::int64_t> draw(0, std::max<std::int64_t>(0, ceiling.count()));
  return milliseconds(draw(random));
}

long parse_retry_after(const char* value, std::time_t now) noexcept {
  std::string_view text(value);
  const auto first = text.find_first_not_of(" \t");
  if (first == std::string_view::npos) return -1;
  text = text.substr(first, text.find_last_not_of(" \t") - first + 1);
  if (std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; })) {
    long seconds = 0;
    const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), seconds);
    (void)end;
    return error == std::errc::result_out_of_range ? std::numeric_limits<long>::max() : seconds;
  }
  // Every HTTP-date form names its day and month, in under 40 characters; curl parses them all.
  char date_text[64];
  if (text.size() >= sizeof date_text || std::none_of(text.begin(), text.end(), [](char c) {
        return std::isalpha(static_cast<unsigned char>(c)) != 0;
      })) {
    return -1;
  }
  text.copy(date_text, text.size());
  date_text[text.size()] = '\0';
  const std::time_t date = curl_getdate(date_text, nullptr);
  if (date == -1) return -1;
  if (date <= now) return 0;
  const std::time_t ahead = date - now;
  return ahead > std::numeric_limits<long>::max() ? std::numeric_limits<long>::max()
                                                  : static_cast<long>(ahead);
}

}  // namespace apicurio::detail
