// The per-thread front cache: hits counted from every thread, per-thread state dropped when
// its thread ends, and no copy keeping the client's executor alive.
#include "front_cache.hpp"
#include "worker_pool.hpp"

#include <catch2/catch.hpp>

#include <atomic>
#include <thread>
#include <vector>

using namespace apicurio;
using apicurio::detail::Clock;
using apicurio::detail::FrontCache;

namespace {

CachedSchema schema_named(const std::string& artifact) {
  CachedSchema schema;
  schema.artifact_id = artifact;
  schema.global_id = 1;
  return schema;
}

}  // namespace

TEST_CASE("hits of short-lived threads are counted after the threads end, and forgotten") {
  auto executor = std::make_shared<detail::WorkerPool>(1);
  FrontCache front(executor);
  const int threads = 2000;
  for (int i = 0; i < threads; ++i) {
    std::thread([&] {
      front.store("key", schema_named("A"), Clock::time_point::max(), front.epoch());
      REQUIRE(front.find("key", Operation::get_schema));
    }).join();
  }
  CHECK(front.hits()[static_cast<std::size_t>(Operation::get_schema)] == threads);
  CHECK(front.threads_tracked() == 0);
}

TEST_CASE("copies keep nothing of the client's executor alive") {
  auto executor = std::make_shared<detail::WorkerPool>(1);
  std::weak_ptr<detail::WorkerPool> watched = executor;
  FrontCache front(executor);
  front.store("key", schema_named("A"), Clock::time_point::max(), front.epoch());
  auto hit = front.find("key", Operation::get_schema);
  REQUIRE(hit);
  // While the executor exists, continuations of a copy run on it.
  CHECK(hit->then([](const CachedSchema& s) { return s.global_id; }).get() == 1);
  executor.reset();
  CHECK(watched.expired());
  // Once it is gone they run on the attaching thread, rather than never.
  const auto here = std::this_thread::get_id();
  CHECK(hit->then([](const CachedSchema&) { return std::this_thread::get_id(); }).get() == here);
}

TEST_CASE("a per-thread copy is never served once its value is no longer fresh") {
  FrontCache front(nullptr);
  // Each round stores a copy fresh for 1 ms and asks for it the moment that has passed by
  // the clock the shared caches use: the copy must be gone, whatever clock the copies read.
  for (int round = 0; round < 50; ++round) {
    const auto fresh_until = Clock::now() + std::chrono::milliseconds(1);
    front.store("k", schema_named("A"), fresh_until, front.epoch());
    while (Clock::now() < fresh_until) {
    }
    CHECK_FALSE(front.find("k", Operation::get_schema).has_value());
  }
}

TEST_CASE("a copy made before the shared caches changed is not served") {
  FrontCache front(nullptr);
  const std::uint64_t epoch = front.epoch();
  front.store("k", schema_named("A"), Clock::time_point::max(), epoch);
  CHECK(front.find("k", Operation::get_schema).has_value());
  front.invalidate();
  CHECK_FALSE(front.find("k", Operation::get_schema).has_value());
  front.store("k", schema_named("A"), Clock::time_point::max(), epoch);  // read before the change
  CHECK_FALSE(front.find("k", Operation::get_schema).has_value());
}

TEST_CASE("threads ending while the totals are read and the client goes") {
  for (int round = 0; round < 20; ++round) {
    auto executor = std::make_shared<detail::WorkerPool>(1);
    auto front = std::make_unique<FrontCache>(executor);
    std::atomic<int> started{0};
    std::vector<std::thread> threads;
    for (int i = 0; i < 8; ++i) {
      threads.emplace_back([&front, &started] {
        FrontCache* f = front.get();
        f->store("key", schema_named("A"), Clock::time_point::max(), f->epoch());
        for (int j = 0; j < 100; ++j)
          f->find("key", Operation::get_schema);
        ++started;
      });
    }
    while (started.load() < 4) {
      auto hits = front->hits();
      CHECK(hits[static_cast<std::size_t>(Operation::get_schema)] <= 800);
    }
    // Some threads may still be ending (their copies folding into the totals) as it goes.
    while (started.load() < 8)
      std::this_thread::yield();
    front.reset();
    for (auto& t : threads)
      t.join();
  }
}
