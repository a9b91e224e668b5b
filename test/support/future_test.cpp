// The future: blocking use, continuations, executors and when_all.
#include <apicurio/future.hpp>

#include "worker_pool.hpp"

#include <catch2/catch.hpp>

#include <atomic>
#include <chrono>
#include <future>
#include <memory>
#include <stdexcept>
#include <string>
#include <thread>
#include <type_traits>
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

// The ways post() can throw: before touching the task, after destroying it, after running
// it, after keeping a copy that it runs later.
enum class PostFault { kRefuse, kDrop, kRunThenThrow, kKeepThenThrow };

class ThrowingExecutor : public Executor {
 public:
  explicit ThrowingExecutor(PostFault f) : fault(f) {}
  void post(std::function<void()> task) override {
    switch (fault) {
      case PostFault::kRefuse:
        break;
      case PostFault::kDrop: {
        auto gone = std::move(task);
        break;
      }
      case PostFault::kRunThenThrow:
        task();
        break;
      case PostFault::kKeepThenThrow:
        kept.push_back(std::move(task));
        break;
    }
    throw std::runtime_error("executor refuses");
  }
  const PostFault fault;
  std::vector<std::function<void()>> kept;
};

// Copying throws while `armed`; moving never does.
struct CopyBomb {
  static inline bool armed = false;
  CopyBomb() = default;
  CopyBomb(const CopyBomb&) {
    if (armed) throw std::runtime_error("copy failed");
  }
  CopyBomb(CopyBomb&&) noexcept = default;
  CopyBomb& operator=(const CopyBomb&) = default;
  CopyBomb& operator=(CopyBomb&&) noexcept = default;
};

struct Disarm {
  ~Disarm() { CopyBomb::armed = false; }
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

TEST_CASE("a continuation runs exactly once when Executor::post throws") {
  for (auto fault : {PostFault::kRefuse, PostFault::kDrop, PostFault::kRunThenThrow,
                     PostFault::kKeepThenThrow}) {
    CAPTURE(static_cast<int>(fault));
    auto executor = std::make_shared<ThrowingExecutor>(fault);
    Promise<int> promise(executor);
    int before_runs = 0;
    auto before = promise.get_future().then([&](const int& v) {
      before_runs++;
      return v + 1;
    });
    promise.set_value(1);
    // Attached after completion, to a future that inherits the throwing executor.
    int after_runs = 0;
    auto after = before.then([&](const int& v) {
      after_runs++;
      return v + 1;
    });
    CHECK(before.is_ready());
    CHECK(after.is_ready());
    // A copy post() kept must not run the continuation a second time. (Running one may make
    // the executor keep more.)
    for (std::size_t i = 0; i < executor->kept.size(); ++i) {
      auto task = executor->kept[i];
      task();
    }
    CHECK(before_runs == 1);
    CHECK(after_runs == 1);
    REQUIRE(after.wait_for(std::chrono::seconds(10)) == std::future_status::ready);
    CHECK(after.get() == 3);
  }
}

TEST_CASE("a continuation returning an invalid future fails the future then returned") {
  auto pool = std::make_shared<detail::WorkerPool>(1);
  auto on_pool = make_ready_future(1, pool).then([](const int&) { return Future<int>(); });
  REQUIRE(on_pool.wait_for(std::chrono::seconds(10)) == std::future_status::ready);
  CHECK_THROWS_WITH(on_pool.get(), Catch::Contains("invalid Future"));
  try {
    on_pool.get();
  } catch (const std::future_error& e) {
    CHECK(e.code() == std::future_errc::no_state);
  }

  Promise<int> promise;  // no executor: it runs inside set_value
  auto inline_run = promise.get_future().then(nullptr, [](const int&) { return Future<int>(); });
  CHECK_NOTHROW(promise.set_value(1));
  REQUIRE(inline_run.is_ready());
  CHECK_THROWS_AS(inline_run.get(), std::future_error);
}

TEST_CASE("a continuation returning an invalid future inside a promise's destructor") {
  Future<int> abandoned;
  {
    Promise<int> promise;
    abandoned =
        promise.get_future().then_result(nullptr, [](const Result<int>&) { return Future<int>(); });
  }  // the destructor completes the future and runs the continuation: it must not terminate
  REQUIRE(abandoned.is_ready());
  CHECK_THROWS_WITH(abandoned.get(), Catch::Contains("invalid Future"));
}

TEST_CASE("when one continuation fails to complete the future's other continuations still run") {
  Promise<int> promise;
  int ran = 0;
  auto first = promise.get_future().then_result(nullptr, [&](const Result<int>&) { ran++; });
  auto broken = promise.get_future().then(nullptr, [](const int&) { return Future<int>(); });
  auto last = promise.get_future().then_result(nullptr, [&](const Result<int>&) { ran++; });
  CHECK_NOTHROW(promise.set_value(1));
  CHECK(ran == 2);
  CHECK(first.is_ready());
  CHECK(broken.is_ready());
  CHECK(last.is_ready());
}

TEST_CASE("a returned future whose value fails to copy fails the outer future") {
  Disarm disarm;
  Promise<CopyBomb> inner;
  auto outer = make_ready_future(1).then([&](const int&) { return inner.get_future(); });
  CopyBomb::armed = true;
  CHECK_NOTHROW(inner.set_value(CopyBomb{}));
  REQUIRE(outer.is_ready());
  CHECK_THROWS_WITH(outer.result().value(), "copy failed");
}

TEST_CASE("when_all and when_all_settled fail rather than hang when copying a value throws") {
  Disarm disarm;
  std::vector<Future<CopyBomb>> inputs = {make_ready_future(CopyBomb{}),
                                          make_ready_future(CopyBomb{})};
  CopyBomb::armed = true;
  auto all = when_all(inputs);
  REQUIRE(all.is_ready());
  CHECK_THROWS_WITH(all.result().value(), "copy failed");
  auto settled = when_all_settled(inputs);
  REQUIRE(settled.is_ready());
  CHECK_THROWS_WITH(settled.result().value(), "copy failed");
}

TEST_CASE("when_all with an invalid input attaches nothing to the valid ones") {
  auto executor = std::make_shared<CountingExecutor>();
  Promise<int> promise(executor);
  const auto uses = executor.use_count();
  std::vector<Future<int>> inputs = {promise.get_future(), Future<int>()};
  CHECK_THROWS_AS(when_all(inputs), std::future_error);
  CHECK_THROWS_AS(when_all_settled(inputs), std::future_error);
  CHECK(executor.use_count() == uses);  // no pending when_all state holds the executor
}

TEST_CASE("self-move-assignment leaves a promise and its future as they were") {
  Promise<int> promise;
  auto f = promise.get_future();
  Promise<int>& same = promise;
  promise = std::move(same);
  CHECK_FALSE(f.is_ready());
  CHECK(promise.set_value(3));
  CHECK(f.get() == 3);
}

TEST_CASE("completing a moved-from promise throws no_state") {
  Promise<int> from;
  Promise<int> to(std::move(from));
  CHECK_THROWS_AS(from.set_value(1), std::future_error);
  CHECK_THROWS_AS(from.set_error(std::make_exception_ptr(std::runtime_error("x"))),
                  std::future_error);
  CHECK_FALSE(from.get_future().valid());
}

TEST_CASE("a continuation may complete its own future's promise again") {
  Promise<int> promise;
  bool second = true;
  auto f = promise.get_future().then(nullptr, [&](const int&) { second = promise.set_value(2); });
  promise.set_value(1);
  f.get();
  CHECK_FALSE(second);
  CHECK(promise.get_future().get() == 1);
}

namespace {

// Waits with `wait` on a future completed by another thread after `delay`, or as soon as the
// wait returns: a wait that returns at once costs no delay, one that wrongly blocks sees the
// value.
template <class Wait>
std::future_status wait_completed_later(Wait wait, std::chrono::milliseconds delay) {
  Promise<int> promise;
  auto f = promise.get_future();
  std::promise<void> returned;
  std::thread setter([&promise, waited = returned.get_future(), delay] {
    waited.wait_for(delay);
    promise.set_value(1);
  });
  auto status = wait(f);
  returned.set_value();
  setter.join();
  return status;
}

}  // namespace

TEST_CASE("waits with far or unbounded deadlines wait for the value") {
  using namespace std::chrono;
  using F = Future<int>;
  constexpr auto later = milliseconds(30);
  const auto ready = std::future_status::ready;
  CHECK(wait_completed_later([](F& f) { return f.wait_for(milliseconds::max()); }, later) == ready);
  CHECK(wait_completed_later([](F& f) { return f.wait_for(hours::max()); }, later) == ready);
  CHECK(wait_completed_later([](F& f) { return f.wait_for(nanoseconds::max()); }, later) == ready);
  CHECK(wait_completed_later([](F& f) { return f.wait_for(duration<double>(1e30)); }, later) ==
        ready);
  CHECK(wait_completed_later([](F& f) { return f.wait_until(steady_clock::time_point::max()); },
                             later) == ready);
  CHECK(wait_completed_later([](F& f) { return f.wait_until(system_clock::time_point::max()); },
                             later) == ready);
  CHECK(wait_completed_later(
            [](F& f) { return f.wait_until(time_point<system_clock, hours>::max()); }, later) ==
        ready);
  CHECK(wait_completed_later(
            [](F& f) { return f.wait_until(time_point<steady_clock, seconds>::max()); }, later) ==
        ready);
}

TEST_CASE("waits with past or negative deadlines return at once") {
  using namespace std::chrono;
  using F = Future<int>;
  // Completed only after a second, so that a wait which wrongly blocks returns ready.
  constexpr auto later = milliseconds(500);
  const auto timeout = std::future_status::timeout;
  CHECK(wait_completed_later([](F& f) { return f.wait_for(milliseconds::min()); }, later) ==
        timeout);
  CHECK(wait_completed_later([](F& f) { return f.wait_for(hours::min()); }, later) == timeout);
  CHECK(wait_completed_later([](F& f) { return f.wait_until(steady_clock::time_point::min()); },
                             later) == timeout);
  CHECK(wait_completed_later([](F& f) { return f.wait_until(system_clock::time_point::min()); },
                             later) == timeout);
  CHECK(wait_completed_later(
            [](F& f) { return f.wait_until(time_point<system_clock, hours>::min()); }, later) ==
        timeout);
}

TEST_CASE("then accepts a move-only continuation capturing a unique_ptr") {
  // Without an executor: it runs inline, inside set_value.
  Promise<int> promise;
  auto inline_run = promise.get_future().then(
      nullptr, [buffer = std::make_unique<int>(40)](const int& v) { return *buffer + v; });
  promise.set_value(2);
  CHECK(inline_run.get() == 42);

  // On an executor, before and after completion, and through then_result.
  auto executor = std::make_shared<CountingExecutor>();
  Promise<int> later(executor);
  auto before = later.get_future().then(
      [buffer = std::make_unique<std::string>("a")](const int&) { return *buffer; });
  later.set_value(1);
  auto after = later.get_future().then_result(
      [buffer = std::make_unique<std::string>("b")](const Result<int>& r) {
        return *buffer + std::to_string(r.value());
      });
  CHECK(before.get() == "a");
  CHECK(after.get() == "b1");
  CHECK(executor->posted == 2);

  // A move-only value produced by the continuation itself travels too (through a Future).
  auto moved = make_ready_future(1, executor).then([p = std::make_unique<int>(7)](const int&) {
    return make_ready_future(std::make_shared<int>(*p));
  });
  CHECK(*moved.get() == 7);
}

TEST_CASE("what a continuation captured dies on the thread that ran it") {
  struct Witness {
    std::atomic<std::thread::id>* died_on;
    explicit Witness(std::atomic<std::thread::id>* d) : died_on(d) {}
    Witness(Witness&& other) noexcept : died_on(std::exchange(other.died_on, nullptr)) {}
    ~Witness() {
      if (died_on) died_on->store(std::this_thread::get_id());
    }
  };
  auto executor = std::make_shared<CountingExecutor>();
  for (int i = 0; i < 20; ++i) {
    std::atomic<std::thread::id> died_on{};
    std::atomic<std::thread::id> ran_on{};
    Promise<int> promise(executor);
    auto f = promise.get_future().then(
        [w = Witness(&died_on), &ran_on](const int&) { ran_on = std::this_thread::get_id(); });
    promise.set_value(1);  // here, on this thread: it posts the continuation
    f.get();
    // The captures die just after the body completes f: wait for that.
    while (died_on.load() == std::thread::id())
      std::this_thread::yield();
    CHECK(died_on.load() == ran_on.load());
  }
}

TEST_CASE("set_value with several arguments constructs the value as T(args...) would") {
  Promise<std::vector<int>> vector;
  CHECK(vector.set_value(3, 5));
  CHECK(vector.get_future().get() == std::vector<int>(3, 5));
  Promise<std::string> text;
  CHECK(text.set_value(2, 'x'));
  CHECK(text.get_future().get() == "xx");
  // A narrowing conversion compiles, as it would in T(arg).
  Promise<int> narrowed;
  CHECK(narrowed.set_value(std::size_t{7}));
  CHECK(narrowed.get_future().get() == 7);
}

TEST_CASE("a continuation runs once when two executor threads run copies of it at once") {
  // post() runs the task on two threads at the same moment: one of them runs the body.
  struct TwiceAtOnce : Executor {
    void post(std::function<void()> task) override {
      std::thread a(task);
      std::thread b(task);
      a.join();
      b.join();
    }
  };
  auto executor = std::make_shared<TwiceAtOnce>();
  for (int i = 0; i < 50; ++i) {
    std::atomic<int> runs{0};
    Promise<int> promise(executor);
    auto f = promise.get_future().then([&runs](const int& v) {
      runs++;
      return v + 1;
    });
    promise.set_value(i);
    CHECK(f.get() == i + 1);
    CHECK(runs == 1);
  }
}

namespace {
template <class F, class State, class = void>
struct CanForward : std::false_type {};
template <class F, class State>
struct CanForward<F, State,
                  std::void_t<decltype(std::declval<const F&>().forward_to(std::declval<State>()))>>
    : std::true_type {};
}  // namespace

TEST_CASE(
    "a future's shared state stays the library's: no public raw-state constructor or "
    "forward_to") {
  using State = std::shared_ptr<detail::SharedState<int>>;
  CHECK_FALSE(std::is_constructible_v<Future<int>, State>);
  CHECK_FALSE(CanForward<Future<int>, const State&>::value);
  // What users build futures with still works.
  Promise<int> promise;
  Future<int> future = promise.get_future();
  promise.set_value(7);
  CHECK(future.then([](int v) { return make_ready_future(v + 1); }).get() == 8);
}
