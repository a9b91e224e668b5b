// retry_delay and Retry-After parsing at the edges: zero, dates, and values that overflow.
#include "retry.hpp"

#include <catch2/catch.hpp>

#include <chrono>
#include <ctime>
#include <limits>

using apicurio::detail::parse_retry_after;
using apicurio::detail::retry_delay;
using apicurio::detail::RetryPolicy;
using std::chrono::milliseconds;

namespace {
constexpr long kLongMax = std::numeric_limits<long>::max();
}  // namespace

TEST_CASE("a Retry-After too large to count in milliseconds is capped at retry_max_backoff") {
  std::mt19937_64 random(1);
  RetryPolicy policy{3, milliseconds(10), milliseconds(20000)};
  CHECK(retry_delay(policy, 0, 9300000000000000L, random) == milliseconds(20000));
  CHECK(retry_delay(policy, 0, kLongMax, random) == milliseconds(20000));
  policy.max_backoff = milliseconds::max();
  CHECK(retry_delay(policy, 0, 9300000000000000L, random) == milliseconds::max());
}

TEST_CASE("Retry-After: 0 is an immediate retry, not an absent header") {
  std::mt19937_64 random(1);
  RetryPolicy policy{3, milliseconds(10000), milliseconds(20000)};
  CHECK(parse_retry_after("0", 1000) == 0);
  CHECK(retry_delay(policy, 0, 0, random) == milliseconds(0));
}

TEST_CASE("Retry-After in seconds parses, saturating what does not fit") {
  CHECK(parse_retry_after("120", 1000) == 120);
  CHECK(parse_retry_after(" 7 ", 1000) == 7);
  CHECK(parse_retry_after("9300000000000000", 1000) == 9300000000000000L);
  CHECK(parse_retry_after("99999999999999999999999", 1000) == kLongMax);
  CHECK(parse_retry_after("", 1000) == -1);
  CHECK(parse_retry_after("soon", 1000) == -1);
  CHECK(parse_retry_after("-5", 1000) == -1);  // not delay-seconds, not a date
}

TEST_CASE("Retry-After as an HTTP-date: the past means now, the future counts from now") {
  // Wed, 21 Oct 2015 07:28:00 GMT
  const std::time_t date = 1445412480;
  CHECK(parse_retry_after("Wed, 21 Oct 2015 07:28:00 GMT", date - 30) == 30);
  CHECK(parse_retry_after("Wed, 21 Oct 2015 07:28:00 GMT", date) == 0);
  CHECK(parse_retry_after("Wed, 21 Oct 2015 07:28:00 GMT", date + 3600) == 0);
  CHECK(parse_retry_after("Fri, 31 Dec 9999 23:59:59 GMT", date) > 0);
}

TEST_CASE("backoff doubling saturates instead of wrapping with a large retry_max_backoff") {
  std::mt19937_64 random(7);
  const RetryPolicy policy{100, milliseconds(3'000'000'000'000'000'000), milliseconds::max()};
  for (std::int64_t retry : {1, 2, 5, 7, 10, 62, 1000}) {
    INFO("retry " << retry);
    bool past_backoff = false;
    for (int i = 0; i < 50; ++i) {
      const milliseconds delay = retry_delay(policy, retry, -1, random);
      CHECK(delay.count() >= 0);
      past_backoff = past_backoff || delay > policy.backoff;
    }
    CHECK(past_backoff);  // the ceiling is max_backoff: 2/3 of the draws pass backoff
  }
}

TEST_CASE("backoff draws stay within [0, ceiling] with zero and many retries") {
  std::mt19937_64 random(3);
  const RetryPolicy zero{1000, milliseconds(0), milliseconds(0)};
  CHECK(retry_delay(zero, 999, -1, random) == milliseconds(0));
  const RetryPolicy capped{std::numeric_limits<std::int64_t>::max(), milliseconds(1),
                           milliseconds(50)};
  for (int i = 0; i < 100; ++i) {
    const milliseconds delay =
        retry_delay(capped, std::numeric_limits<std::int64_t>::max() - 1, -1, random);
    CHECK(delay >= milliseconds(0));
    CHECK(delay <= milliseconds(50));
  }
}
