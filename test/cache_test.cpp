#include "cache.hpp"

#include <catch2/catch.hpp>

using namespace apicurio;
using namespace apicurio::detail;
using std::chrono::seconds;

namespace {
CachedSchema schema_with(std::int64_t id) {
  CachedSchema s;
  s.global_id = id;
  return s;
}
SchemaRecord record_with(std::int64_t id) {
  return std::make_shared<const CachedSchema>(schema_with(id));
}
const auto kNever = Clock::time_point::max();
const auto kLongAgo = Clock::time_point::min();

SettleEffect settle_ok(SchemaCache<std::int64_t>& cache, std::int64_t key, Lookup& lookup,
                       std::int64_t value, Freshness freshness = {}) {
  lookup.promise->set_value(schema_with(value));
  return cache.settle(key, lookup.generation, FetchOutcome::ok, record_with(value), freshness,
                      kLongAgo, kNever);
}
}  // namespace

TEST_CASE("a miss starts, a second lookup joins, settle makes it a hit") {
  SchemaCache<std::int64_t> cache(10);
  auto now = Clock::now();
  Lookup first = cache.lookup(1, now, nullptr);
  REQUIRE(first.outcome == LookupOutcome::started);
  Lookup second = cache.lookup(1, now, nullptr);
  CHECK(second.outcome == LookupOutcome::joined);
  CHECK(settle_ok(cache, 1, first, 1) == SettleEffect::stored);
  Lookup third = cache.lookup(1, now, nullptr);
  CHECK(third.outcome == LookupOutcome::hit);
  CHECK(third.value->global_id == 1);
  CHECK(second.future.get().global_id == 1);
}

TEST_CASE("failures are dropped; a 404 is remembered only while not_found_until lasts") {
  SchemaCache<std::int64_t> cache(10);
  auto now = Clock::now();
  Lookup a = cache.lookup(1, now, nullptr);
  CHECK(cache.settle(1, a.generation, FetchOutcome::failed, nullptr, {}, now + seconds(5),
                     kNever) == SettleEffect::dropped);
  CHECK(cache.lookup(1, now, nullptr).outcome == LookupOutcome::started);

  Lookup b = cache.lookup(2, now, nullptr);
  CHECK(cache.settle(2, b.generation, FetchOutcome::not_found, nullptr, {},
                     Clock::now() + seconds(5), kNever) == SettleEffect::remembered_not_found);
  CHECK(cache.lookup(2, Clock::now(), nullptr).outcome == LookupOutcome::negative_hit);
  CHECK(cache.lookup(2, Clock::now() + seconds(6), nullptr).outcome == LookupOutcome::started);

  Lookup c = cache.lookup(3, now, nullptr);
  CHECK(cache.settle(3, c.generation, FetchOutcome::not_found, nullptr, {}, kLongAgo, kNever) ==
        SettleEffect::dropped);
}

TEST_CASE("an expired value is served stale while one refresh runs") {
  SchemaCache<std::int64_t> cache(10);
  auto now = Clock::now();
  Lookup first = cache.lookup(1, now, nullptr);
  settle_ok(cache, 1, first, 1, {now + seconds(1), kNever});
  auto later = now + seconds(2);
  Lookup stale = cache.lookup(1, later, nullptr);
  CHECK(stale.outcome == LookupOutcome::stale_hit);
  REQUIRE(stale.promise.has_value());
  CHECK(stale.refresh);
  CHECK(stale.value->global_id == 1);
  Lookup during = cache.lookup(1, later, nullptr);
  CHECK(during.outcome == LookupOutcome::stale_hit);
  CHECK_FALSE(during.promise.has_value());  // one refresh only
  CHECK(settle_ok(cache, 1, stale, 2, {later + seconds(10), kNever}) == SettleEffect::stored);
  Lookup fresh = cache.lookup(1, later, nullptr);
  CHECK(fresh.outcome == LookupOutcome::hit);
  CHECK(fresh.value->global_id == 2);
}

TEST_CASE("a failed refresh keeps the stale value until retry time; a 404 drops it") {
  SchemaCache<std::int64_t> cache(10);
  auto now = Clock::now();
  Lookup first = cache.lookup(1, now, nullptr);
  settle_ok(cache, 1, first, 1, {now + seconds(1), kNever});
  Lookup refresh = cache.lookup(1, now + seconds(2), nullptr);
  CHECK(cache.settle(1, refresh.generation, FetchOutcome::failed, nullptr, {}, kLongAgo,
                     now + seconds(3)) == SettleEffect::kept_stale);
  Lookup kept = cache.lookup(1, now + seconds(2), nullptr);
  CHECK(kept.outcome == LookupOutcome::hit);  // not refreshed again before retry time
  CHECK(kept.value->global_id == 1);
  Lookup again = cache.lookup(1, now + seconds(4), nullptr);
  CHECK(again.outcome == LookupOutcome::stale_hit);
  REQUIRE(again.promise.has_value());
  CHECK(cache.settle(1, again.generation, FetchOutcome::not_found, nullptr, {}, kLongAgo, kNever) ==
        SettleEffect::dropped);
  CHECK(cache.lookup(1, now + seconds(4), nullptr).outcome == LookupOutcome::started);
}

TEST_CASE("past its staleness bound a value is not served") {
  SchemaCache<std::int64_t> cache(10);
  auto now = Clock::now();
  Lookup first = cache.lookup(1, now, nullptr);
  settle_ok(cache, 1, first, 1, {now + seconds(1), now + seconds(2)});
  CHECK(cache.lookup(1, now + seconds(3), nullptr).outcome == LookupOutcome::started);
}

TEST_CASE("a stale generation does not settle a newer entry") {
  SchemaCache<std::int64_t> cache(10);
  auto now = Clock::now();
  Lookup old = cache.lookup(1, now, nullptr);
  cache.erase_if([](std::int64_t) { return true; });
  Lookup fresh = cache.lookup(1, now, nullptr);
  CHECK(cache.settle(1, old.generation, FetchOutcome::failed, nullptr, {}, kLongAgo, kNever) ==
        SettleEffect::ignored);
  CHECK(cache.lookup(1, now, nullptr).outcome == LookupOutcome::joined);
  CHECK(fresh.generation != old.generation);
}

TEST_CASE("eviction takes the least recently used completed entry, never a pending one") {
  SchemaCache<std::int64_t> cache(2);
  auto now = Clock::now();
  Lookup pending = cache.lookup(99, now, nullptr);
  cache.put(1, record_with(1), {});
  cache.put(2, record_with(2), {});
  CHECK(cache.size() == 2);
  CHECK(cache.lookup(99, now, nullptr).outcome == LookupOutcome::joined);
  CHECK(cache.evictions() == 1);
  CHECK(cache.lookup(1, now, nullptr).outcome == LookupOutcome::started);
}

TEST_CASE("put keeps an existing value unless the caller's test says to replace it") {
  SchemaCache<std::int64_t> cache(10);
  auto now = Clock::now();
  cache.put(1, record_with(1), {});
  cache.put(1, record_with(2), {}, [](const CachedSchema& old) { return old.global_id < 0; });
  CHECK(cache.peek(1, now)->global_id == 1);
  cache.put(1, record_with(3), {}, [](const CachedSchema& old) { return old.global_id == 1; });
  CHECK(cache.peek(1, now)->global_id == 3);
  Lookup pending = cache.lookup(2, now, nullptr);
  cache.put(2, record_with(4), {});  // a fetch under way settles the key itself
  CHECK(cache.lookup(2, now, nullptr).outcome == LookupOutcome::joined);
  CHECK(cache.peek(2, now) == nullptr);
}

TEST_CASE("a hit makes an entry the most recently used; eviction follows recency") {
  SchemaCache<std::int64_t> cache(3);
  auto now = Clock::now();
  for (std::int64_t key = 1; key <= 3; ++key)
    cache.put(key, record_with(key), {});
  CHECK(cache.lookup(1, now, nullptr).outcome == LookupOutcome::hit);  // order: 1 3 2
  cache.put(4, record_with(4), {});                                    // evicts 2
  CHECK(cache.peek(2, now) == nullptr);
  CHECK(cache.lookup(3, now, nullptr).outcome == LookupOutcome::hit);  // order: 3 4 1
  cache.put(5, record_with(5), {});                                    // evicts 1
  CHECK(cache.peek(1, now) == nullptr);
  cache.erase_if([](std::int64_t key) { return key == 4; });  // order: 5 3
  cache.put(6, record_with(6), {});
  cache.put(7, record_with(7), {});  // evicts 3
  CHECK(cache.peek(3, now) == nullptr);
  for (std::int64_t key : {5, 6, 7})
    CHECK(cache.peek(key, now) != nullptr);
  CHECK(cache.evictions() == 3);
  cache.clear();
  cache.put(8, record_with(8), {});
  CHECK(cache.size() == 1);
}
