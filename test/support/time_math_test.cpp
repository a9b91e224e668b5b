#include "time_math.hpp"

#include <catch2/catch.hpp>

#include <chrono>
#include <limits>

using apicurio::detail::curl_millis;
using apicurio::detail::Millis;
using apicurio::detail::saturating_after;
using apicurio::detail::saturating_millis;
using apicurio::detail::saturating_multiply;
using apicurio::detail::seconds_to_millis;
using Clock = std::chrono::steady_clock;

TEST_CASE("saturating_millis clamps durations that do not fit in milliseconds") {
  CHECK(saturating_millis(std::chrono::seconds(3)) == Millis(3000));
  CHECK(saturating_millis(std::chrono::seconds::max()) == Millis::max());
  CHECK(saturating_millis(std::chrono::hours::max()) == Millis::max());
  CHECK(saturating_millis(std::chrono::seconds::min()) == Millis::min());
  CHECK(saturating_millis(Millis::max()) == Millis::max());
}

TEST_CASE("seconds_to_millis saturates what a server may send") {
  CHECK(seconds_to_millis(0) == Millis(0));
  CHECK(seconds_to_millis(7) == Millis(7000));
  CHECK(seconds_to_millis(9300000000000000) == Millis::max());
  CHECK(seconds_to_millis(std::numeric_limits<std::int64_t>::max()) == Millis::max());
}

TEST_CASE("saturating_after never wraps past the end of time") {
  const auto now = Clock::now();
  CHECK(saturating_after<Clock>(now, Millis(5)) == now + Millis(5));
  CHECK(saturating_after<Clock>(now, Millis::max()) == Clock::time_point::max());
  CHECK(saturating_after<Clock>(now, std::chrono::seconds::max()) == Clock::time_point::max());
  CHECK(saturating_after<Clock>(Clock::time_point::max(), Millis(1)) == Clock::time_point::max());
  CHECK(saturating_after<Clock>(now, Millis::min()) == Clock::time_point::min());
  CHECK(saturating_after<Clock>(now, Millis(-5)) == now - Millis(5));
}

TEST_CASE("saturating_multiply saturates doubling backoffs") {
  CHECK(saturating_multiply(Millis(100), 4) == Millis(400));
  CHECK(saturating_multiply(Millis::max(), 2) == Millis::max());
  CHECK(saturating_multiply(Millis(1), 0) == Millis(0));
  CHECK(saturating_multiply(Millis(std::int64_t{1} << 40), std::int64_t{1} << 40) == Millis::max());
  CHECK(saturating_multiply(Millis(-3), std::int64_t{1} << 62) == Millis::min());
}

TEST_CASE("curl_millis fits a duration into curl's long, never negative") {
  CHECK(curl_millis(Millis(250)) == 250);
  CHECK(curl_millis(Millis(-1)) == 0);
  CHECK(curl_millis(Millis::max()) == std::numeric_limits<long>::max());
}

// Evaluated by the compiler, which refuses any signed overflow on the way: a time point of a
// running steady_clock lies after its epoch, where `from - min()` does not fit.
TEST_CASE("saturating_after computes without overflow at any time point") {
  using TP = Clock::time_point;
  constexpr TP later(std::chrono::hours(24));
  constexpr TP earlier(-std::chrono::hours(24));
  STATIC_REQUIRE(saturating_after<Clock>(later, Millis(5)) == later + Millis(5));
  STATIC_REQUIRE(saturating_after<Clock>(later, Millis(-5)) == later - Millis(5));
  STATIC_REQUIRE(saturating_after<Clock>(later, Millis::min()) == TP::min());
  STATIC_REQUIRE(saturating_after<Clock>(earlier, Millis(5)) == earlier + Millis(5));
  STATIC_REQUIRE(saturating_after<Clock>(earlier, Millis::max()) == TP::max());
  STATIC_REQUIRE(saturating_after<Clock>(TP::max(), Millis(7)) == TP::max());
  STATIC_REQUIRE(saturating_after<Clock>(TP::min(), Millis(-7)) == TP::min());
}
