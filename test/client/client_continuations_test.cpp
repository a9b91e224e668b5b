// Continuations on the client's futures: where they run, close(), and calling back in.
#include "client_fixture.hpp"
#include "worker_pool.hpp"

#include <catch2/catch.hpp>

#include <pthread.h>

#include <atomic>
#include <mutex>
#include <set>
#include <stdexcept>
#include <string>
#include <thread>

using namespace apicurio;
using apicurio::emulator::Fault;
using apicurio::testing::avro_named;
using apicurio::testing::ClientFixture;
using apicurio::testing::kAvro;

namespace {

std::string this_thread_name() {
  char name[16] = {};
  pthread_getname_np(pthread_self(), name, sizeof name);
  return name;
}

// An executor that records the threads it runs tasks on.
class RecordingExecutor : public Executor {
 public:
  void post(std::function<void()> task) override {
    posted++;
    pool.post([this, task = std::move(task)] {
      {
        std::lock_guard<std::mutex> lock(mutex);
        threads.insert(std::this_thread::get_id());
      }
      task();
    });
  }
  std::atomic<int> posted{0};
  std::mutex mutex;
  std::set<std::thread::id> threads;
  detail::WorkerPool pool{2};
};

// An executor whose post() always throws.
class RefusingExecutor : public Executor {
 public:
  void post(std::function<void()>) override {
    refused++;
    throw std::runtime_error("executor refuses");
  }
  std::atomic<int> refused{0};
};

}  // namespace

TEST_CASE_METHOD(ClientFixture, "continuations still run when the client's executor throws") {
  registry.add_version("default", "A", kAvro);
  registry.add_fault(Fault::delay_reply("version-metadata", std::chrono::milliseconds(100)));
  auto o = options();
  auto executor = std::make_shared<RefusingExecutor>();
  o.executor = executor;
  RegistryClient client(o);
  // Attached before the reply: it runs where the future completes.
  auto id = client.get_schema("A").then([](const CachedSchema& s) { return s.global_id; });
  REQUIRE(id.wait_for(std::chrono::seconds(10)) == std::future_status::ready);
  CHECK(id.get() > 0);
  // Attached after: it runs here, inside then().
  auto version = client.get_schema("A").then([](const CachedSchema& s) { return s.version; });
  REQUIRE(version.is_ready());
  CHECK(version.get() == "1");
  CHECK(executor->refused >= 2);
}

TEST_CASE_METHOD(ClientFixture,
                 "continuations run on the client's pool, not the caller or event thread") {
  registry.add_version("default", "A", kAvro);
  auto o = options();
  auto executor = std::make_shared<RecordingExecutor>();
  o.executor = executor;
  RegistryClient client(o);
  auto id = client.get_schema("A").then([](const CachedSchema& s) { return s.global_id; });
  CHECK(id.get() > 0);
  CHECK(executor->posted == 1);
  CHECK(executor->threads.count(std::this_thread::get_id()) == 0);
  // Already complete: then() posts at once.
  auto again = client.get_schema("A").then([](const CachedSchema& s) { return s.version; });
  CHECK(again.get() == "1");
  CHECK(executor->posted == 2);
}

TEST_CASE_METHOD(ClientFixture, "the client's threads carry names that say whose they are") {
  registry.add_version("default", "A", kAvro);
  // A slow reply, so that both continuations are attached before it lands.
  registry.add_fault(
      emulator::Fault::delay_reply("version-metadata", std::chrono::milliseconds(200)));
  RegistryClient client(options());
  Future<CachedSchema> a = client.get_schema("A");
  auto on_event_thread = a.then(nullptr, [](const CachedSchema&) { return this_thread_name(); });
  auto on_pool = a.then([](const CachedSchema&) { return this_thread_name(); });
  CHECK(on_event_thread.get() == "apicurio-event");
  CHECK(on_pool.get() == "apicurio-worker");
}

TEST_CASE_METHOD(ClientFixture, "a continuation may call the client again") {
  registry.add_version("default", "A", kAvro);
  registry.add_version("default", "B", avro_named("B"));
  RegistryClient client(options());
  auto chained = client.get_schema("A")
                     .then([&](const CachedSchema&) { return client.get_schema("B"); })
                     .then([&](const CachedSchema& b) {
                       // Blocking on a cached value inside a continuation is fine too.
                       return b.artifact_id + "+" + client.get_schema("A").get().artifact_id;
                     });
  CHECK(chained.get() == "B+A");
}

TEST_CASE_METHOD(ClientFixture, "continuations of futures failed by close still run") {
  registry.add_fault(Fault::stall("*", Fault::kForever));
  RegistryClient client(options());
  std::atomic<int> saw_closed{0};
  std::vector<Future<void>> done;
  for (int i = 0; i < 20; ++i) {
    done.push_back(
        client.get_schema("a-" + std::to_string(i)).then_result([&](const Result<CachedSchema>& r) {
          try {
            r.value();
          } catch (const ClientClosedError&) {
            saw_closed++;
          }
        }));
  }
  client.close();
  for (auto& f : done)
    f.get();
  CHECK(saw_closed == 20);
}

TEST_CASE_METHOD(ClientFixture, "when_all over a batch, and when_all_settled past a failure") {
  for (int i = 0; i < 50; ++i)
    registry.add_version("default", "a-" + std::to_string(i), kAvro);
  RegistryClient client(options());
  std::vector<std::string> ids;
  for (int i = 0; i < 50; ++i)
    ids.push_back("a-" + std::to_string(i));
  auto all = when_all(client.get_schemas(ids)).get();
  REQUIRE(all.size() == 50);
  CHECK(all[49].artifact_id == "a-49");

  ids.push_back("missing");
  CHECK_THROWS_AS(when_all(client.get_schemas(ids)).get(), SchemaNotFoundError);
  auto settled = when_all_settled(client.get_schemas(ids)).get();
  REQUIRE(settled.size() == 51);
  CHECK(settled[0].ok());
  CHECK_FALSE(settled[50].ok());
  CHECK_THROWS_AS(settled[50].value(), SchemaNotFoundError);
}

TEST_CASE_METHOD(ClientFixture, "continuations outlive the client") {
  registry.add_version("default", "A", kAvro);
  registry.add_fault(Fault::delay_reply("version-metadata", std::chrono::milliseconds(100)));
  Future<std::string> later;
  {
    RegistryClient client(options());
    later = client.get_schema("A").then([](const CachedSchema& s) { return s.artifact_id; });
  }
  // The client closed before the reply: the continuation ran with ClientClosedError.
  CHECK_THROWS_AS(later.get(), ClientClosedError);
}

TEST_CASE_METHOD(ClientFixture,
                 "close with an executor that always throws runs every continuation once") {
  registry.add_fault(Fault::stall("*", Fault::kForever));
  auto o = options();
  auto executor = std::make_shared<RefusingExecutor>();
  o.executor = executor;
  auto client = std::make_unique<RegistryClient>(o);
  std::atomic<int> ran{0};
  std::vector<Future<int>> chained;
  for (int i = 0; i < 50; ++i) {
    chained.push_back(client->get_schema("A-" + std::to_string(i))
                          .then_result([&](const Result<CachedSchema>& r) {
                            ++ran;
                            client->close();  // again, from inside close()
                            return r.ok() ? 1 : 0;
                          }));
  }
  client->close();
  for (auto& f : chained) {
    REQUIRE(f.wait_for(std::chrono::seconds(10)) == std::future_status::ready);
    CHECK(f.get() == 0);
  }
  CHECK(ran == 50);
  client.reset();
}
