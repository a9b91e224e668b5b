// The per-thread copies of a client's cache entries.
#include "front_cache.hpp"

#include <catch2/catch.hpp>

using namespace apicurio;
using namespace apicurio::detail;

TEST_CASE("a per-thread copy is never served once its value is no longer fresh") {
  FrontCache front;
  CachedSchema value;
  value.global_id = 1;
  // Each round stores a copy fresh for 1 ms and asks for it the moment that has passed by
  // the clock the shared caches use: the copy must be gone, whatever clock the copies read.
  for (int round = 0; round < 50; ++round) {
    const auto fresh_until = Clock::now() + std::chrono::milliseconds(1);
    front.store("k", value, fresh_until, front.epoch(), nullptr);
    while (Clock::now() < fresh_until) {
    }
    CHECK_FALSE(front.find("k", Operation::get_schema).has_value());
  }
}

TEST_CASE("a copy made before the shared caches changed is not served") {
  FrontCache front;
  CachedSchema value;
  const std::uint64_t epoch = front.epoch();
  front.store("k", value, Clock::time_point::max(), epoch, nullptr);
  CHECK(front.find("k", Operation::get_schema).has_value());
  front.invalidate();
  CHECK_FALSE(front.find("k", Operation::get_schema).has_value());
  front.store("k", value, Clock::time_point::max(), epoch, nullptr);  // read before the change
  CHECK_FALSE(front.find("k", Operation::get_schema).has_value());
}
