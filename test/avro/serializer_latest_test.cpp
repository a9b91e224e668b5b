// SchemaChoice::latest follows the artifact: a version registered later is written once the
// client's latest_ttl has passed, a registry that fails keeps the version in use (the
// client's stale-while-error), and a deleted artifact stops the serializer. Bounded waits
// only: nothing here asserts how fast a refresh is.
#include "client_fixture.hpp"

#include <apicurio/avro.hpp>

#include <catch2/catch.hpp>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

using namespace apicurio;
using namespace apicurio::avro;
using namespace std::chrono_literals;

namespace {

const std::string kUser = R"({"type":"record","name":"User","namespace":"com.example","fields":[)"
                          R"({"name":"id","type":"long"},{"name":"name","type":"string"}]})";
// Another content, the same record structure: records of one serialize under both.
const std::string kUserV2 = R"({"type":"record","name":"User","namespace":"com.example",)"
                            R"("doc":"v2","fields":[)"
                            R"({"name":"id","type":"long"},{"name":"name","type":"string"}]})";
const std::string kUserJson = R"({"id":42,"name":"Ada"})";

struct Fixture : testing::ClientFixture {
  ClientOptions short_ttl() const {
    ClientOptions o = options();
    o.latest_ttl = 50ms;
    return o;
  }
  RegistryClient client{short_ttl()};
};

// Runs each task on one thread of its own, 5 ms after it is posted, so that a continuation's
// future is never ready when the call that made it returns. Runs what is queued, then stops.
class SlowExecutor : public Executor {
 public:
  SlowExecutor() : worker_([this] { run(); }) {}
  ~SlowExecutor() override {
    {
      std::lock_guard<std::mutex> lock(mutex_);
      stop_ = true;
    }
    wake_.notify_one();
    worker_.join();
  }
  void post(std::function<void()> task) override {
    {
      std::lock_guard<std::mutex> lock(mutex_);
      tasks_.push_back(std::move(task));
    }
    wake_.notify_one();
  }

 private:
  void run() {
    std::unique_lock<std::mutex> lock(mutex_);
    for (;;) {
      wake_.wait(lock, [this] { return stop_ || !tasks_.empty(); });
      if (tasks_.empty()) return;
      std::function<void()> task = std::move(tasks_.front());
      tasks_.pop_front();
      lock.unlock();
      std::this_thread::sleep_for(5ms);
      task();
      lock.lock();
    }
  }

  std::mutex mutex_;
  std::condition_variable wake_;
  std::deque<std::function<void()>> tasks_;
  bool stop_ = false;
  std::thread worker_;
};

SerializerOptions latest() {
  SerializerOptions o;
  o.choice = SchemaChoice::latest;
  return o;
}

std::int64_t written_id(Serializer& serializer, const std::string& topic = "orders") {
  Serialized out;
  serializer.serialize_json(topic, kUserJson, out);
  return read_frame(Framing::confluent4, out.bytes).id;
}

// Calls `done` every 10 ms until it is true or 10 s have passed; returns its last answer.
template <class Done>
bool eventually(Done done) {
  const auto deadline = std::chrono::steady_clock::now() + 10s;
  while (!done()) {
    if (std::chrono::steady_clock::now() > deadline) return false;
    std::this_thread::sleep_for(10ms);
  }
  return true;
}

}  // namespace

TEST_CASE_METHOD(Fixture, "latest: a newer version is written once latest_ttl has passed",
                 "[serializer][latest]") {
  const auto v1 = registry.add_version("default", "orders-value", kUser);
  Serializer serializer(client, latest());
  REQUIRE(written_id(serializer) == v1.content_id);

  const auto v2 = registry.add_version("default", "orders-value", kUserV2);
  CHECK(eventually([&] { return written_id(serializer) == v2.content_id; }));
  CHECK(serializer.schema("orders").registered().version == "2");
  CHECK(eventually([&] {
    Future<Schema> prepared = serializer.prepare("orders");
    return prepared.wait_for(10s) == std::future_status::ready &&
           prepared.get().registered().content_id == v2.content_id;
  }));
  auto async = serializer.serialize_json_async("orders", kUserJson);
  REQUIRE(async.wait_for(10s) == std::future_status::ready);
  CHECK(read_frame(Framing::confluent4, async.get().bytes).id == v2.content_id);
}

TEST_CASE_METHOD(Fixture, "latest: every thread moves to the newer version",
                 "[serializer][latest]") {
  registry.add_version("default", "orders-value", kUser);
  Serializer serializer(client, latest());
  written_id(serializer);
  const auto v2 = registry.add_version("default", "orders-value", kUserV2);
  bool moved = false;
  std::thread other([&] {  // a thread that resolved nothing before v2
    moved = eventually([&] { return written_id(serializer) == v2.content_id; });
  });
  CHECK(eventually([&] { return written_id(serializer) == v2.content_id; }));
  other.join();
  CHECK(moved);
}

TEST_CASE_METHOD(Fixture, "latest: while the registry fails, the version in use goes on",
                 "[serializer][latest]") {
  const auto v1 = registry.add_version("default", "orders-value", kUser);
  Serializer serializer(client, latest());
  REQUIRE(written_id(serializer) == v1.content_id);
  registry.add_fault(emulator::Fault::reply_status("*", 503, emulator::Fault::kForever));
  const auto until = std::chrono::steady_clock::now() + 300ms;  // several latest_ttl
  while (std::chrono::steady_clock::now() < until) {
    REQUIRE(written_id(serializer) == v1.content_id);
    std::this_thread::sleep_for(5ms);
  }
  registry.clear_faults();
}

TEST_CASE_METHOD(Fixture, "latest: a deleted artifact stops the serializer",
                 "[serializer][latest]") {
  registry.add_version("default", "orders-value", kUser);
  Serializer serializer(client, latest());
  written_id(serializer);
  registry.delete_artifact("default", "orders-value");
  CHECK(eventually([&] {
    try {
      written_id(serializer);
      return false;
    } catch (const SchemaNotFoundError&) {
      return true;
    }
  }));
  // And once it is back, the serializer writes with it.
  const auto again = registry.add_version("default", "orders-value", kUserV2);
  CHECK(eventually([&] {
    try {
      return written_id(serializer) == again.content_id;
    } catch (const SchemaNotFoundError&) {
      return false;
    }
  }));
}

TEST_CASE_METHOD(Fixture, "pinned choices never look the version up again",
                 "[serializer][latest]") {
  registry.add_version("default", "orders-value", kUser);
  SerializerOptions pinned;
  pinned.choice = SchemaChoice::explicit_version;
  pinned.version = "1";
  Serializer serializer(client, pinned);
  const std::int64_t first = written_id(serializer);
  registry.add_version("default", "orders-value", kUserV2);
  std::this_thread::sleep_for(120ms);  // past latest_ttl: nothing to refresh for a pin
  registry.clear_requests();
  for (int i = 0; i < 50; ++i)
    CHECK(written_id(serializer) == first);
  CHECK(registry.requests().empty());
}

TEST_CASE("latest: a deleted artifact stops the serializer when continuations run late",
          "[serializer][latest]") {
  testing::ClientFixture fixture;
  auto executor = std::make_shared<SlowExecutor>();  // outlives the client
  ClientOptions o = fixture.options();
  o.latest_ttl = 50ms;
  o.executor = executor;
  {
    RegistryClient client(o);
    fixture.registry.add_version("default", "orders-value", kUser);
    Serializer serializer(client, latest());
    written_id(serializer);
    fixture.registry.delete_artifact("default", "orders-value");
    CHECK(eventually([&] {
      try {
        written_id(serializer);
        return false;
      } catch (const SchemaNotFoundError&) {
        return true;
      }
    }));
    client.close();
  }
}

TEST_CASE_METHOD(testing::ClientFixture, "latest: with latest_ttl 0, one thread moves too",
                 "[serializer][latest]") {
  ClientOptions o = options();
  o.latest_ttl = 0ms;
  RegistryClient client(o);
  registry.add_version("default", "orders-value", kUser);
  Serializer serializer(client, latest());
  written_id(serializer);
  const auto v2 = registry.add_version("default", "orders-value", kUserV2);
  CHECK(eventually([&] { return written_id(serializer) == v2.content_id; }));
}

TEST_CASE_METHOD(testing::ClientFixture,
                 "latest: latest_ttl max() rechecks at most every second, its strategy too",
                 "[serializer][latest]") {
  ClientOptions o = options();
  o.latest_ttl = std::chrono::milliseconds::max();
  RegistryClient client(o);
  registry.add_version("default", "orders-value", kUser);
  auto calls = std::make_shared<std::atomic<int>>(0);
  SerializerOptions so = latest();
  so.strategy = [calls](const StrategyInput& in) {
    ++*calls;
    return topic_id_strategy(in);
  };
  Serializer serializer(client, so);
  const auto until = std::chrono::steady_clock::now() + 300ms;
  while (std::chrono::steady_clock::now() < until) {
    written_id(serializer);
    std::this_thread::sleep_for(2ms);
  }
  CHECK(calls->load() == 1);
}

TEST_CASE_METHOD(Fixture, "latest: a strategy that throws on a recheck leaves the topic working",
                 "[serializer][latest]") {
  const auto v1 = registry.add_version("default", "orders-value", kUser);
  auto calls = std::make_shared<std::atomic<int>>(0);
  SerializerOptions so = latest();
  so.strategy = [calls](const StrategyInput& in) {
    if (++*calls > 1) throw ArtifactStrategyError("the strategy fails from now on");
    return topic_id_strategy(in);
  };
  Serializer serializer(client, so);
  REQUIRE(written_id(serializer) == v1.content_id);
  const auto until = std::chrono::steady_clock::now() + 400ms;  // several rechecks
  while (std::chrono::steady_clock::now() < until) {
    REQUIRE(written_id(serializer) == v1.content_id);
    std::this_thread::sleep_for(5ms);
  }
  CHECK(calls->load() > 1);
}
