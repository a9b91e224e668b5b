#include "cache.hpp"

#include <catch2/catch.hpp>

#include <algorithm>
#include <vector>

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
  CHECK(kept.outcome == LookupOutcome::stale_hit);  // still stale, not a fresh hit
  CHECK_FALSE(kept.promise.has_value());            // not refreshed again before retry time
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
  cache.put(1, record_with(0), {});  // a smaller globalId never replaces a larger one
  CHECK(cache.peek(1, now)->global_id == 3);
}

TEST_CASE("put_if_newer stores only what is known to be newer") {
  SchemaCache<std::int64_t> cache(10);
  auto now = Clock::now();
  cache.put_if_newer(1, record_with(5), {});  // nothing known of the key: maybe not the newest
  CHECK(cache.size() == 0);
  cache.put(1, record_with(5), {});
  cache.put_if_newer(1, record_with(4), {});
  CHECK(cache.peek(1, now)->global_id == 5);
  cache.put_if_newer(1, record_with(6), {});
  CHECK(cache.peek(1, now)->global_id == 6);

  // A remembered 404 is disproved.
  Lookup missing = cache.lookup(2, now, nullptr);
  cache.settle(2, missing.generation, FetchOutcome::not_found, nullptr, {},
               Clock::now() + seconds(60), kNever);
  cache.put_if_newer(2, record_with(5), {});
  CHECK(cache.lookup(2, now, nullptr).outcome == LookupOutcome::started);

  // During a fetch it is held, not served, and replaces an older answer when the fetch settles.
  Lookup older = cache.lookup(3, now, nullptr);
  cache.put_if_newer(3, record_with(7), {});
  CHECK(cache.lookup(3, now, nullptr).outcome == LookupOutcome::joined);
  CHECK(settle_ok(cache, 3, older, 5) == SettleEffect::kept_newer);
  CHECK(cache.peek(3, now)->global_id == 7);
  Lookup newer = cache.lookup(4, now, nullptr);
  cache.put_if_newer(4, record_with(7), {});
  CHECK(settle_ok(cache, 4, newer, 8) == SettleEffect::stored);
  CHECK(cache.peek(4, now)->global_id == 8);
  Lookup gone = cache.lookup(5, now, nullptr);
  cache.put_if_newer(5, record_with(7), {});
  CHECK(cache.settle(5, gone.generation, FetchOutcome::not_found, nullptr, {},
                     Clock::now() + seconds(60), kNever) == SettleEffect::dropped);
  CHECK(cache.lookup(5, now, nullptr).outcome == LookupOutcome::started);
}

TEST_CASE("without a put meanwhile, a refresh's answer wins even with a smaller globalId") {
  // Latest moves back when the newest version is deleted.
  SchemaCache<std::int64_t> cache(10);
  auto now = Clock::now();
  Lookup first = cache.lookup(1, now, nullptr);
  settle_ok(cache, 1, first, 7, {now + seconds(1), kNever});
  Lookup refresh = cache.lookup(1, now + seconds(2), nullptr);
  REQUIRE(refresh.promise.has_value());
  CHECK(settle_ok(cache, 1, refresh, 5, {now + seconds(10), kNever}) == SettleEffect::stored);
  CHECK(cache.peek(1, now + seconds(2))->global_id == 5);
}

TEST_CASE("forget_not_found drops remembered 404s only") {
  SchemaCache<std::int64_t> cache(10);
  auto now = Clock::now();
  for (std::int64_t key : {1, 2}) {
    Lookup missing = cache.lookup(key, now, nullptr);
    cache.settle(key, missing.generation, FetchOutcome::not_found, nullptr, {},
                 Clock::now() + seconds(60), kNever);
  }
  cache.put(3, record_with(3), {});
  Lookup pending = cache.lookup(4, now, nullptr);
  cache.forget_not_found(1);
  cache.forget_not_found(3);
  CHECK(cache.lookup(1, now, nullptr).outcome == LookupOutcome::started);
  CHECK(cache.lookup(2, now, nullptr).outcome == LookupOutcome::negative_hit);
  cache.forget_not_found_if([](std::int64_t) { return true; });
  CHECK(cache.lookup(2, now, nullptr).outcome == LookupOutcome::started);
  CHECK(cache.lookup(3, now, nullptr).outcome == LookupOutcome::hit);
  CHECK(cache.lookup(4, now, nullptr).outcome == LookupOutcome::joined);
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

TEST_CASE("a failed refresh never serves the value past its staleness bound") {
  SchemaCache<std::int64_t> cache(10);
  auto now = Clock::now();
  Lookup first = cache.lookup(1, now, nullptr);
  settle_ok(cache, 1, first, 1, {now + seconds(1), now + seconds(2)});
  Lookup refresh = cache.lookup(1, now + seconds(1), nullptr);
  REQUIRE(refresh.promise.has_value());
  // The retry time lies past the staleness bound: it must not stretch it.
  CHECK(cache.settle(1, refresh.generation, FetchOutcome::failed, nullptr, {}, kLongAgo,
                     now + seconds(10)) == SettleEffect::kept_stale);
  Lookup before_retry = cache.lookup(1, now + seconds(1), nullptr);
  CHECK(before_retry.outcome == LookupOutcome::stale_hit);  // stale, never a fresh hit
  CHECK_FALSE(before_retry.promise.has_value());            // no refresh before retry time
  CHECK(cache.lookup(1, now + seconds(3), nullptr).outcome == LookupOutcome::started);
}

TEST_CASE("a settle never replaces a value a put made newer while the fetch ran") {
  SchemaCache<std::int64_t> cache(10);
  auto now = Clock::now();
  SECTION("first fetch") {
    Lookup fetch = cache.lookup(1, now, nullptr);
    cache.put(1, record_with(7), {now + seconds(10), kNever});
    CHECK(cache.lookup(1, now, nullptr).outcome == LookupOutcome::hit);  // visible at once
    settle_ok(cache, 1, fetch, 5, {now + seconds(10), kNever});
  }
  SECTION("refresh") {
    Lookup first = cache.lookup(1, now, nullptr);
    settle_ok(cache, 1, first, 3, {now + seconds(1), kNever});
    Lookup refresh = cache.lookup(1, now + seconds(2), nullptr);
    REQUIRE(refresh.promise.has_value());
    cache.put(1, record_with(7), {now + seconds(10), kNever});
    settle_ok(cache, 1, refresh, 5, {now + seconds(10), kNever});
  }
  Lookup after = cache.lookup(1, now + seconds(2), nullptr);
  CHECK(after.outcome == LookupOutcome::hit);
  REQUIRE(after.value);
  CHECK(after.value->global_id == 7);
}

TEST_CASE("a put during a fetch survives the fetch's failure or 404") {
  SchemaCache<std::int64_t> cache(10);
  auto now = Clock::now();
  Lookup fetch = cache.lookup(1, now, nullptr);
  cache.put(1, record_with(7), {});
  auto outcome = GENERATE(FetchOutcome::failed, FetchOutcome::not_found);
  cache.settle(1, fetch.generation, outcome, nullptr, {}, Clock::now() + seconds(5), kNever);
  REQUIRE(cache.peek(1, now) != nullptr);
  CHECK(cache.peek(1, now)->global_id == 7);
}

TEST_CASE("remembered 404s and pending entries count against the bound") {
  SchemaCache<std::int64_t> cache(10);
  auto now = Clock::now();
  std::size_t largest = 0;
  for (std::int64_t key = 0; key < 1000; ++key) {
    Lookup miss = cache.lookup(key, now, nullptr);
    cache.settle(key, miss.generation, FetchOutcome::not_found, nullptr, {},
                 Clock::now() + seconds(60), kNever);
    largest = std::max(largest, cache.size());
  }
  CHECK(largest <= 10);
  CHECK(cache.evictions() == 990);
  // Pending entries are never evicted (their callers share them), but they push completed
  // entries out, and once settled they are evicted like any other.
  std::vector<Lookup> pending;
  for (std::int64_t key = 1000; key < 1020; ++key)
    pending.push_back(cache.lookup(key, now, nullptr));
  CHECK(cache.size() == 20);
  for (std::int64_t key = 1000; key < 1020; ++key)
    CHECK(cache.lookup(key, now, nullptr).outcome == LookupOutcome::joined);
  for (std::size_t i = 0; i < pending.size(); ++i)
    cache.settle(1000 + std::int64_t(i), pending[i].generation, FetchOutcome::not_found, nullptr,
                 {}, Clock::now() + seconds(60), kNever);
  CHECK(cache.size() == 10);
}

TEST_CASE("of the same version, a settle keeps the record put() stored during the fetch") {
  SchemaCache<std::int64_t> cache(10);
  auto now = Clock::now();
  Lookup fetch = cache.lookup(1, now, nullptr);
  CachedSchema full = schema_with(1);
  full.artifact_id = "A";  // a registration's record knows its artifact; a fetch by id does not
  cache.put(1, std::make_shared<const CachedSchema>(full), {});
  CHECK(settle_ok(cache, 1, fetch, 1) == SettleEffect::kept_newer);
  CHECK(cache.peek(1, now)->artifact_id == "A");
}

TEST_CASE("a negative hit counts as a use for eviction") {
  SchemaCache<std::int64_t> cache(2);
  auto now = Clock::now();
  Lookup missing = cache.lookup(1, now, nullptr);
  cache.settle(1, missing.generation, FetchOutcome::not_found, nullptr, {},
               Clock::now() + seconds(60), kNever);
  cache.put(2, record_with(2), {});
  CHECK(cache.lookup(1, now, nullptr).outcome == LookupOutcome::negative_hit);  // order: 1 2
  cache.put(3, record_with(3), {});                                             // evicts 2
  CHECK(cache.peek(2, now) == nullptr);
  CHECK(cache.lookup(1, now, nullptr).outcome == LookupOutcome::negative_hit);
}

TEST_CASE("past its staleness bound, a value put during a fetch is not answered by that fetch") {
  // latest_ttl = max_stale = 0: a registration's value is stale at once. The fetch under way
  // was asked before it, and may bring an older version: a lookup must ask again.
  SchemaCache<std::int64_t> cache(10);
  auto now = Clock::now();
  Lookup before = cache.lookup(1, now, nullptr);
  cache.put(1, record_with(2), {now, now});
  Lookup after = cache.lookup(1, now + seconds(1), nullptr);
  CHECK(after.outcome == LookupOutcome::started);
  CHECK(settle_ok(cache, 1, before, 1) == SettleEffect::ignored);
  CHECK(settle_ok(cache, 1, after, 2, {now + seconds(10), kNever}) == SettleEffect::stored);
  CHECK(cache.lookup(1, now + seconds(2), nullptr).value->global_id == 2);
}

TEST_CASE("a fetch or refresh settled after erase_if or clear does not come back") {
  SchemaCache<std::int64_t> cache(10);
  auto now = Clock::now();
  Lookup first = cache.lookup(1, now, nullptr);
  settle_ok(cache, 1, first, 1, {now + seconds(1), kNever});
  Lookup refresh = cache.lookup(1, now + seconds(2), nullptr);
  REQUIRE(refresh.refresh);
  Lookup pending = cache.lookup(2, now, nullptr);
  cache.erase_if([](std::int64_t key) { return key == 1; });
  cache.clear();
  CHECK(settle_ok(cache, 1, refresh, 1) == SettleEffect::ignored);
  CHECK(settle_ok(cache, 2, pending, 2) == SettleEffect::ignored);
  CHECK(cache.size() == 0);
}

TEST_CASE("with room for one entry, a refresh under way outlives the bound and settles") {
  SchemaCache<std::int64_t> cache(1);
  auto now = Clock::now();
  Lookup first = cache.lookup(1, now, nullptr);
  settle_ok(cache, 1, first, 1, {now + seconds(1), kNever});
  Lookup refresh = cache.lookup(1, now + seconds(2), nullptr);
  REQUIRE(refresh.refresh);
  cache.put(2, record_with(2), {});  // over the bound: the refreshing entry stays
  CHECK(cache.size() == 1);
  CHECK(cache.lookup(1, now + seconds(2), nullptr).outcome == LookupOutcome::stale_hit);
  CHECK(settle_ok(cache, 1, refresh, 3, {now + seconds(10), kNever}) == SettleEffect::stored);
  CHECK(cache.lookup(1, now + seconds(2), nullptr).value->global_id == 3);
  CHECK(cache.size() == 1);
}

TEST_CASE("put_if_newer of an equal globalId changes nothing") {
  SchemaCache<std::int64_t> cache(10);
  auto now = Clock::now();
  auto kept = record_with(5);
  cache.put(1, kept, {now + seconds(10), kNever});
  cache.put_if_newer(1, record_with(5), {now + seconds(100), kNever});
  CHECK(cache.peek(1, now) == kept);
  CHECK(cache.peek(1, now + seconds(20)) == nullptr);  // its freshness did not move either
}
