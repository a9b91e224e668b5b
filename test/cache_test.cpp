#include "cache.hpp"

#include <catch2/catch.hpp>

using namespace apicurio;
using namespace apicurio::detail;

namespace {
CachedSchema schema_with(std::int64_t id) {
  CachedSchema s;
  s.global_id = id;
  return s;
}
}  // namespace

TEST_CASE("a miss starts, a second lookup joins, settle makes it a hit") {
  SchemaCache<std::int64_t> cache(10);
  auto now = Clock::now();
  Lookup first = cache.lookup(1, now, nullptr);
  REQUIRE(first.outcome == LookupOutcome::started);
  Lookup second = cache.lookup(1, now, nullptr);
  CHECK(second.outcome == LookupOutcome::joined);
  first.promise->set_value(schema_with(1));
  cache.settle(1, first.generation, true, Clock::time_point::max());
  Lookup third = cache.lookup(1, now, nullptr);
  CHECK(third.outcome == LookupOutcome::hit);
  CHECK(third.future.get().global_id == 1);
  CHECK(second.future.get().global_id == 1);
}

TEST_CASE("failures are dropped and expiry restarts") {
  SchemaCache<std::int64_t> cache(10);
  auto now = Clock::now();
  Lookup a = cache.lookup(1, now, nullptr);
  cache.settle(1, a.generation, false, {});
  CHECK(cache.lookup(1, now, nullptr).outcome == LookupOutcome::started);
  cache.put(2, make_ready_future(schema_with(2)), now + std::chrono::seconds(1));
  CHECK(cache.lookup(2, now, nullptr).outcome == LookupOutcome::hit);
  CHECK(cache.lookup(2, now + std::chrono::seconds(2), nullptr).outcome == LookupOutcome::started);
}

TEST_CASE("a stale generation does not settle a newer entry") {
  SchemaCache<std::int64_t> cache(10);
  auto now = Clock::now();
  Lookup old = cache.lookup(1, now, nullptr);
  cache.erase_if([](std::int64_t) { return true; });
  Lookup fresh = cache.lookup(1, now, nullptr);
  cache.settle(1, old.generation, false, {});
  CHECK(cache.lookup(1, now, nullptr).outcome == LookupOutcome::joined);
  CHECK(fresh.generation != old.generation);
}

TEST_CASE("eviction takes the least recently used completed entry, never a pending one") {
  SchemaCache<std::int64_t> cache(2);
  auto now = Clock::now();
  Lookup pending = cache.lookup(99, now, nullptr);
  cache.put(1, make_ready_future(schema_with(1)), Clock::time_point::max());
  cache.put(2, make_ready_future(schema_with(2)), Clock::time_point::max());
  CHECK(cache.size() == 2);
  CHECK(cache.lookup(99, now, nullptr).outcome == LookupOutcome::joined);
  CHECK(cache.evictions() == 1);
  CHECK(cache.lookup(1, now, nullptr).outcome == LookupOutcome::started);
}
