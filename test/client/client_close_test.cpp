// close() and the destructor: bounded, idempotent, and every pending future fails.
#include "client_fixture.hpp"
#include "stress_support.hpp"
#include "thread_census.hpp"
#include "worker_pool.hpp"

#include <catch2/catch.hpp>

#include <map>
#include <memory>
#include <thread>

using namespace apicurio;
using apicurio::testing::avro_named;
using apicurio::testing::ClientFixture;
using apicurio::testing::kAvro;
using std::chrono::milliseconds;
using std::chrono::seconds;

namespace {

// True once none of `threads` is listed any more. A joined thread leaves /proc a moment after
// its joiner wakes (the kernel reaps it just after), hence the short grace.
bool gone(const std::map<int, std::string>& threads) {
  return apicurio::testing::eventually(
      [&] {
        auto now = apicurio::testing::threads_now();
        for (const auto& entry : threads) {
          if (now.count(entry.first)) return false;
        }
        return true;
      },
      milliseconds(200));
}

}  // namespace

TEST_CASE_METHOD(ClientFixture, "close with 500 requests in flight is quick and fails them all") {
  for (int i = 0; i < 500; ++i)
    registry.add_version("default", "a-" + std::to_string(i), kAvro);
  registry.add_fault(emulator::Fault::stall("*", emulator::Fault::kForever));
  RegistryClient client(options());
  std::vector<Future<CachedSchema>> futures;
  for (int i = 0; i < 500; ++i)
    futures.push_back(client.get_schema("a-" + std::to_string(i)));
  std::this_thread::sleep_for(std::chrono::milliseconds(200));
  auto started = std::chrono::steady_clock::now();
  client.close();
  auto took = std::chrono::steady_clock::now() - started;
  CHECK(took < std::chrono::seconds(2));
  for (auto& f : futures) {
    REQUIRE(f.wait_for(std::chrono::seconds(0)) == std::future_status::ready);
    CHECK_THROWS_AS(f.get(), ClientClosedError);
  }
}

TEST_CASE_METHOD(ClientFixture, "calls after close fail with ClientClosedError") {
  registry.add_version("default", "A", kAvro);
  RegistryClient client(options());
  client.close();
  client.close();  // idempotent
  CHECK_THROWS_AS(client.get_schema("A").get(), ClientClosedError);
  CHECK_THROWS_AS(client.get_schema_by_content_id(1).get(), ClientClosedError);
  CHECK_THROWS_AS(client.register_schema("A", kAvro).get(), ClientClosedError);
}

TEST_CASE_METHOD(ClientFixture, "the destructor fails pending futures") {
  registry.add_fault(emulator::Fault::stall("*", emulator::Fault::kForever));
  Future<CachedSchema> pending;
  {
    RegistryClient client(options());
    pending = client.get_schema("A");
  }
  CHECK_THROWS_AS(pending.get(), ClientClosedError);
}

TEST_CASE_METHOD(ClientFixture, "close from many threads at once") {
  registry.add_fault(emulator::Fault::stall("*", emulator::Fault::kForever));
  RegistryClient client(options());
  auto f = client.get_schema("A");
  std::vector<std::thread> closers;
  for (int i = 0; i < 8; ++i)
    closers.emplace_back([&] { client.close(); });
  for (auto& t : closers)
    t.join();
  CHECK_THROWS_AS(f.get(), ClientClosedError);
}

TEST_CASE_METHOD(ClientFixture, "close from a continuation does not deadlock") {
  registry.add_version("default", "A", avro_named("A"));
  RegistryClient client(options());
  auto closed = client.get_schema("A").then([&](const CachedSchema& s) {
    client.close();
    return s.artifact_id;
  });
  CHECK(closed.get() == "A");
  CHECK_THROWS_AS(client.get_schema("B").get(), ClientClosedError);
}

TEST_CASE_METHOD(ClientFixture,
                 "close on the event thread stops the client; the destructor joins") {
  registry.add_version("default", "A", avro_named("A"));
  registry.add_version("default", "B", avro_named("B"));
  // A slow reply, so that the continuation is attached first and runs where the reply lands.
  registry.add_fault(
      emulator::Fault::delay_reply("version-metadata", std::chrono::milliseconds(200)));
  registry.add_fault(emulator::Fault::stall("version-metadata", emulator::Fault::kForever));
  auto client = std::make_unique<RegistryClient>(options());
  const auto caller = std::this_thread::get_id();
  Future<CachedSchema> a = client->get_schema("A");
  // B is sent once A has reached the registry, so that A gets the delay and B the stall:
  // requests to an http:// registry do not queue behind each other.
  for (int i = 0; i < 1000 && registry.count("version-metadata") == 0; ++i)
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  REQUIRE(registry.count("version-metadata") == 1);
  Future<CachedSchema> b = client->get_schema("B");
  auto closed = a.then(nullptr, [&](const CachedSchema&) {
    client->close();  // on the event thread: must neither throw nor wait for itself
    return std::this_thread::get_id();
  });
  CHECK(closed.get() != caller);
  CHECK_THROWS_AS(b.get(), ClientClosedError);
  CHECK_THROWS_AS(client->get_schema("A").get(), ClientClosedError);
  client.reset();  // here, off the event thread: joins it
}

TEST_CASE_METHOD(ClientFixture,
                 "a second concurrent close returns only once the client is closed") {
  registry.add_version("default", "A", avro_named("A"));
  registry.add_fault(emulator::Fault::stall("global-id-content", emulator::Fault::kForever));
  const auto before = apicurio::testing::threads_now();
  auto client = std::make_unique<RegistryClient>(options());
  std::map<int, std::string> threads;
  // Transfer, event, two workers (each names itself once it runs).
  REQUIRE(apicurio::testing::eventually(
      [&] { return (threads = apicurio::testing::library_threads_since(before)).size() == 4; },
      seconds(10)));
  // A first exchange, so that later requests need not wait to learn the server's protocol.
  CHECK_THROWS_AS(client->get_schema("W").get(), SchemaNotFoundError);
  Future<CachedSchema> stalled = client->get_schema_by_global_id(4242);
  // Holds the event thread in one turn, so that the first close() is still joining it when
  // the second one runs.
  std::atomic<bool> holding{false};
  auto hold = client->get_schema("A").then(nullptr, [&](const CachedSchema&) {
    holding = true;
    std::this_thread::sleep_for(seconds(1));
  });
  REQUIRE(apicurio::testing::eventually([&] { return holding.load(); }, seconds(10)));
  std::thread first([&] { client->close(); });
  std::this_thread::sleep_for(milliseconds(100));  // lets the first close() begin
  client->close();
  // Closed means: every pending future has failed and the threads are joined.
  REQUIRE(stalled.wait_for(seconds(0)) == std::future_status::ready);
  CHECK_THROWS_AS(stalled.get(), ClientClosedError);
  CHECK(gone(threads));
  client.reset();  // while the first close() may still be on its way out
  first.join();
  CHECK(hold.wait_for(seconds(10)) == std::future_status::ready);
}

TEST_CASE_METHOD(ClientFixture, "close joins the client's worker pool") {
  registry.add_version("default", "A", avro_named("A"));
  const auto before = apicurio::testing::threads_now();
  RegistryClient client(options());
  std::map<int, std::string> threads;
  REQUIRE(apicurio::testing::eventually(
      [&] { return (threads = apicurio::testing::library_threads_since(before)).size() == 4; },
      seconds(10)));
  CHECK(client.get_schema("A").then([](const CachedSchema& s) { return s.artifact_id; }).get() ==
        "A");
  client.close();
  CHECK(gone(threads));
  // Continuations attached once the pool has stopped still run (on the attaching thread).
  auto late =
      client.get_schema("A").then_result([](const Result<CachedSchema>& r) { return r.ok(); });
  REQUIRE(late.wait_for(seconds(10)) == std::future_status::ready);
  CHECK_FALSE(late.get());
}

TEST_CASE_METHOD(ClientFixture,
                 "destroyed clients leave no thread behind after cache hits on their pool") {
  registry.add_version("default", "A", avro_named("A"));
  const auto before = apicurio::testing::threads_now();
  std::weak_ptr<Executor> pool;
  for (int i = 0; i < 5; ++i) {
    RegistryClient client(options());
    auto first = client.get_schema("A");
    first.get();
    pool = first.executor();
    // Lookups from continuations on the pool: each worker thread then keeps copies of the
    // entry in its front cache, and hits them.
    std::vector<Future<std::int64_t>> hits;
    for (int j = 0; j < 20; ++j) {
      hits.push_back(client.get_schema("A").then([&client](const CachedSchema&) {
        client.get_schema("A").get();
        return client.get_schema("A").get().global_id;
      }));
    }
    for (auto& hit : hits)
      CHECK(hit.get() > 0);
    CHECK(client.get_schema("A").get().artifact_id == "A");  // a hit on this thread too
  }
  CHECK(apicurio::testing::eventually(
      [&] { return apicurio::testing::library_threads_since(before).empty(); }, seconds(10)));
  CHECK(pool.expired());
}

TEST_CASE_METHOD(ClientFixture, "destroying the client in a continuation on its own pool") {
  registry.add_version("default", "A", avro_named("A"));
  registry.add_fault(emulator::Fault::stall("global-id-content", emulator::Fault::kForever));
  const auto before = apicurio::testing::threads_now();
  auto client = std::make_unique<RegistryClient>(options());
  CHECK_THROWS_AS(client->get_schema("W").get(), SchemaNotFoundError);  // as above
  Future<CachedSchema> stalled = client->get_schema_by_global_id(4242);
  auto done = client->get_schema("A").then([&client](const CachedSchema& s) {
    client.reset();  // the pool cannot join the thread this runs on
    return s.artifact_id;
  });
  REQUIRE(done.wait_for(seconds(10)) == std::future_status::ready);
  CHECK(done.get() == "A");
  REQUIRE(stalled.wait_for(seconds(10)) == std::future_status::ready);
  CHECK_THROWS_AS(stalled.get(), ClientClosedError);
  // A continuation attached after the client is gone still runs.
  CHECK(stalled.then_result([](const Result<CachedSchema>& r) { return r.ok(); }).get() == false);
  // The worker it ran on was detached: it ends on its own once its task has returned.
  CHECK(apicurio::testing::eventually(
      [&] { return apicurio::testing::library_threads_since(before).empty(); }, seconds(10)));
}

TEST_CASE_METHOD(ClientFixture, "close and the destructor leave a user's executor running") {
  registry.add_version("default", "A", avro_named("A"));
  auto executor = std::make_shared<detail::WorkerPool>(1);
  auto o = options();
  o.executor = executor;
  Future<CachedSchema> kept;
  {
    RegistryClient client(o);
    kept = client.get_schema("A");
    kept.get();
    CHECK(client.get_schema("A").get().artifact_id == "A");  // a front-cache copy here
    client.close();
  }
  // Continuations of the client's futures still run on the user's executor.
  auto where = kept.then([](const CachedSchema&) { return std::this_thread::get_id(); });
  REQUIRE(where.wait_for(seconds(10)) == std::future_status::ready);
  CHECK(where.get() != std::this_thread::get_id());
}

TEST_CASE_METHOD(ClientFixture,
                 "close fails a call the single worker waits for in a continuation") {
  registry.add_version("default", "A", avro_named("A"));
  registry.add_fault(emulator::Fault::stall("global-id-content", emulator::Fault::kForever));
  auto o = options();
  o.worker_threads = 1;
  RegistryClient client(o);
  CHECK_THROWS_AS(client.get_schema("W").get(), SchemaNotFoundError);
  Future<CachedSchema> stalled = client.get_schema_by_global_id(4242);
  std::atomic<bool> waiting{false};
  auto blocked = client.get_schema("A").then([&](const CachedSchema&) {
    waiting = true;
    try {
      stalled.get();
      return 0;
    } catch (const ClientClosedError&) {
      return 1;
    }
  });
  REQUIRE(apicurio::testing::eventually([&] { return waiting.load(); }, seconds(10)));
  std::thread closer([&] { client.close(); });
  REQUIRE(blocked.wait_for(seconds(10)) == std::future_status::ready);
  CHECK(blocked.get() == 1);
  closer.join();
}

TEST_CASE_METHOD(ClientFixture,
                 "a continuation that closes the client then waits for another of its calls") {
  registry.add_version("default", "A", avro_named("A"));
  registry.add_fault(emulator::Fault::stall("global-id-content", emulator::Fault::kForever));
  auto o = options();
  o.worker_threads = 1;
  RegistryClient client(o);
  CHECK_THROWS_AS(client.get_schema("W").get(), SchemaNotFoundError);
  Future<CachedSchema> stalled = client.get_schema_by_global_id(4242);
  auto done = client.get_schema("A").then([&](const CachedSchema&) {
    client.close();
    try {
      stalled.get();
      return 0;
    } catch (const ClientClosedError&) {
      return 1;
    }
  });
  REQUIRE(done.wait_for(seconds(10)) == std::future_status::ready);
  CHECK(done.get() == 1);
  std::thread other([&] { client.close(); });
  other.join();
}

TEST_CASE_METHOD(ClientFixture, "clients made and destroyed on many threads leave no thread") {
  registry.add_version("default", "A", avro_named("A"));
  const auto before = apicurio::testing::threads_now();
  std::vector<std::thread> makers;
  for (int t = 0; t < 4; ++t) {
    makers.emplace_back([&] {
      for (int i = 0; i < 10; ++i) {
        RegistryClient client(options());
        auto f = client.get_schema("A");
        if (i % 2) f.get();
        client.get_schema("A").then([](const CachedSchema& s) { return s.global_id; });
        if (i % 3 == 0) client.close();
      }
    });
  }
  for (auto& t : makers)
    t.join();
  CHECK(apicurio::testing::eventually(
      [&] { return apicurio::testing::library_threads_since(before).empty(); }, seconds(10)));
}

TEST_CASE_METHOD(ClientFixture, "close on a worker and on another thread, then destroy") {
  registry.add_version("default", "A", avro_named("A"));
  registry.add_fault(emulator::Fault::stall("global-id-content", emulator::Fault::kForever));
  const auto before = apicurio::testing::threads_now();
  for (int round = 0; round < 20; ++round) {
    auto client = std::make_unique<RegistryClient>(options());
    Future<CachedSchema> stalled = client->get_schema_by_global_id(4242);
    RegistryClient* raw = client.get();
    auto on_worker = client->get_schema_by_global_id(4242).then_result(
        [raw](const Result<CachedSchema>&) { raw->close(); });
    auto first = client->get_schema("A").then_result([raw](const Result<CachedSchema>&) {
      raw->close();
      return 1;
    });
    std::thread closer([raw] { raw->close(); });
    closer.join();
    client.reset();
    CHECK_THROWS_AS(stalled.get(), ClientClosedError);
    REQUIRE(first.wait_for(seconds(10)) == std::future_status::ready);
    REQUIRE(on_worker.wait_for(seconds(10)) == std::future_status::ready);
  }
  CHECK(apicurio::testing::eventually(
      [&] { return apicurio::testing::library_threads_since(before).empty(); }, seconds(10)));
}

TEST_CASE_METHOD(ClientFixture,
                 "destroying the client on its single worker runs the continuations queued") {
  registry.add_version("default", "A", avro_named("A"));
  registry.add_fault(emulator::Fault::stall("global-id-content", emulator::Fault::kForever));
  const auto before = apicurio::testing::threads_now();
  auto o = options();
  o.worker_threads = 1;
  auto client = std::make_unique<RegistryClient>(o);
  CHECK(client->get_schema("A").get().artifact_id == "A");  // cached: the next one is a hit
  std::vector<Future<bool>> queued;
  for (int i = 0; i < 100; ++i) {
    queued.push_back(client->get_schema_by_global_id(5000 + i).then_result(
        [](const Result<CachedSchema>& r) { return r.ok(); }));
  }
  auto done = client->get_schema("A").then([&client](const CachedSchema& s) {
    client.reset();  // fails the 100 calls: their continuations queue behind this one
    return s.artifact_id;
  });
  REQUIRE(done.wait_for(seconds(10)) == std::future_status::ready);
  CHECK(done.get() == "A");
  for (auto& f : queued) {
    REQUIRE(f.wait_for(seconds(10)) == std::future_status::ready);
    CHECK_FALSE(f.get());
  }
  CHECK(apicurio::testing::eventually(
      [&] { return apicurio::testing::library_threads_since(before).empty(); }, seconds(10)));
}
