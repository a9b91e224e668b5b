// The future: blocking use, continuations, executors and when_all.
#include <apicurio/future.hpp>

#include "worker_pool.hpp"

#include <catch2/catch.hpp>

#include <atomic>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

using namespace apicurio;

namespace {

// Counts the tasks it runs and runs them on its own thread.
class CountingExecutor : public Executor {
 public:
  void post(std::function<void()> task) override {
    posted++;
    pool.post(std::move(task));
  }
  std::atomic<int> posted{0};
  detail::WorkerPool pool{1};
};

}  // namespace

TEST_CASE("get, wait_for and valid behave as shared_future") {
  Future<int> invalid;
  CHECK_FALSE(invalid.valid());
  CHECK_THROWS_AS(invalid.get(), std::future_error);

  Promise<int> promise;
  Future<int> f = promise.get_future();
  CHECK(f.valid());
  CHECK(f.wait_for(std::chrono::milliseconds(1)) == std::future_status::timeout);
  std::thread setter([&] { promise.set_value(42); });
  CHECK(f.get() == 42);
  setter.join();
  Future<int> copy = f;
  CHECK(copy.get() == 42);
  CHECK(f.wait_for(std::chrono::seconds(0)) == std::future_status::ready);
  CHECK_FALSE(promise.set_value(7));  // the first completion wins
}

TEST_CASE("errors are rethrown by get and a broken promise fails its future") {
  Promise<int> promise;
  auto f = promise.get_future();
  promise.set_error(std::make_exception_ptr(std::runtime_error("boom")));
  CHECK_THROWS_WITH(f.get(), "boom");
  CHECK_FALSE(f.result().ok());

  Future<int> orphan;
  { orphan = Promise<int>().get_future(); }
  CHECK_THROWS_AS(orphan.get(), std::future_error);
}

TEST_CASE("set_result completes with a value or an error, once") {
  Promise<std::string> valued;
  CHECK(valued.set_result(Result<std::string>::success("schema")));
  CHECK(valued.get_future().get() == "schema");
  CHECK_FALSE(valued.set_result(Result<std::string>::success("again")));
  CHECK(valued.get_future().get() == "schema");

  Promise<std::string> failed;
  CHECK(failed.set_result(
      Result<std::string>::failure(std::make_exception_ptr(std::runtime_error("boom")))));
  CHECK_THROWS_WITH(failed.get_future().get(), "boom");
}

TEST_CASE("continuations attached before completion run in the order they were attached") {
  Promise<int> promise;  // no executor: each runs where the promise completes
  std::vector<int> order;
  for (int i = 0; i < 4; ++i) {
    promise.get_future().then_result(nullptr,
                                     [&order, i](const Result<int>&) { order.push_back(i); });
  }
  promise.set_value(1);
  CHECK(order == std::vector<int>{0, 1, 2, 3});
}

TEST_CASE("then before and after completion runs once on the executor") {
  auto executor = std::make_shared<CountingExecutor>();
  Promise<int> promise(executor);
  auto before = promise.get_future().then([](const int& v) { return v + 1; });
  promise.set_value(1);
  auto after = promise.get_future().then([](const int& v) { return std::to_string(v); });
  CHECK(before.get() == 2);
  CHECK(after.get() == "1");
  CHECK(executor->posted == 2);
}

TEST_CASE("then from many threads runs every continuation exactly once") {
  auto pool = std::make_shared<detail::WorkerPool>(2);
  Promise<int> promise(pool);
  auto f = promise.get_future();
  std::atomic<int> runs{0};
  std::vector<std::thread> threads;
  std::vector<Future<void>> continuations(64);
  for (int i = 0; i < 64; ++i) {
    threads.emplace_back([&, i] { continuations[i] = f.then([&](const int&) { runs++; }); });
    if (i == 32) promise.set_value(5);
  }
  for (auto& t : threads)
    t.join();
  for (auto& c : continuations)
    c.get();
  CHECK(runs == 64);
}

TEST_CASE("a throwing continuation fails the future it returns") {
  auto f = make_ready_future(1).then([](const int&) -> int { throw std::runtime_error("bad"); });
  CHECK_THROWS_WITH(f.get(), "bad");
  // A failure skips value continuations and reaches result continuations.
  auto skipped = f.then([](const int& v) { return v * 2; });
  CHECK_THROWS_WITH(skipped.get(), "bad");
  auto seen = f.then_result([](const Result<int>& r) { return r.ok() ? 0 : -1; });
  CHECK(seen.get() == -1);
}

TEST_CASE("chains several deep, with void and with returned futures") {
  auto pool = std::make_shared<detail::WorkerPool>(2);
  Promise<int> promise(pool);
  std::atomic<int> side{0};
  auto chain = promise.get_future()
                   .then([](const int& v) { return v * 2; })
                   .then([&](const int& v) { side = v; })
                   .then([&] { return make_ready_future(std::string("x") + std::to_string(side)); })
                   .then([](const std::string& s) { return s + "!"; });
  promise.set_value(21);
  CHECK(chain.get() == "x42!");
}

TEST_CASE("then on a given executor uses it") {
  auto mine = std::make_shared<CountingExecutor>();
  auto f = make_ready_future(3).then(
      mine, [](const int& v) { return std::this_thread::get_id() != std::thread::id() ? v : 0; });
  CHECK(f.get() == 3);
  CHECK(mine->posted == 1);
  // The continuation's future inherits the executor for what follows.
  f.then([](const int&) {}).get();
  CHECK(mine->posted == 2);
}

TEST_CASE("when_all gives every value or the first error by position") {
  std::vector<Promise<int>> promises(3);
  std::vector<Future<int>> futures;
  for (auto& p : promises)
    futures.push_back(p.get_future());
  auto all = when_all(futures);
  auto settled = when_all_settled(futures);
  promises[2].set_value(3);
  promises[1].set_error(std::make_exception_ptr(std::runtime_error("second")));
  CHECK_FALSE(all.is_ready());
  promises[0].set_value(1);
  CHECK_THROWS_WITH(all.get(), "second");
  auto outcomes = settled.get();
  REQUIRE(outcomes.size() == 3);
  CHECK(outcomes[0].value() == 1);
  CHECK_FALSE(outcomes[1].ok());
  CHECK(outcomes[2].value() == 3);

  std::vector<Future<int>> good = {make_ready_future(1), make_ready_future(2)};
  CHECK(when_all(good).get() == std::vector<int>{1, 2});
  CHECK(when_all(std::vector<Future<int>>{}).get().empty());
}

TEST_CASE("10,000 pending continuations need no thread each") {
  auto pool = std::make_shared<detail::WorkerPool>(2);
  Promise<int> promise(pool);
  std::vector<Future<int>> chained;
  for (int i = 0; i < 10000; ++i) {
    chained.push_back(promise.get_future().then([i](const int& v) { return v + i; }));
  }
  CHECK(pool->thread_count() == 2);
  promise.set_value(1);
  auto all = when_all(chained).get();
  CHECK(all.size() == 10000);
  CHECK(all[9999] == 10000);
}
