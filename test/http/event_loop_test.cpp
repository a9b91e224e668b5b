// The event loop's two threads: curl is driven on the transfer thread, everything else (tasks,
// timers, transfer outcomes) runs on the event thread, and stop() drops what is left unrun.
#include "event_loop.hpp"

#include <apicurio/testing/emulator.hpp>

#include <apicurio/registry.hpp>

#include <curl/curl.h>
#include <pthread.h>
#include <sys/wait.h>
#include <unistd.h>
#include <catch2/catch.hpp>

#include <atomic>
#include <future>
#include <stdexcept>
#include <thread>
#include <vector>

using namespace std::chrono_literals;
using apicurio::detail::Clock;
using apicurio::detail::EventLoop;
using apicurio::detail::HttpRequest;
using apicurio::detail::HttpResponse;
using apicurio::detail::ManualClock;
using apicurio::detail::SharedRequest;
using apicurio::detail::TimeSource;
using apicurio::detail::TransferSink;
using apicurio::detail::TransportSettings;
namespace emulator = apicurio::emulator;

namespace {

std::string this_thread_name() {
  char name[16] = {};
  pthread_getname_np(pthread_self(), name, sizeof name);
  return name;
}

// Hands its transfer's outcome, and the thread it ended on, to the test.
struct RecordingSink final : TransferSink {
  std::promise<std::pair<HttpResponse, std::string>> ended;
  void transfer_done(HttpResponse&& response) override {
    ended.set_value({std::move(response), this_thread_name()});
  }
};

// Counts its calls in a counter that outlives it.
struct CountingSink final : TransferSink {
  explicit CountingSink(std::atomic<int>& calls) : calls(calls) {}
  std::atomic<int>& calls;
  void transfer_done(HttpResponse&&) override { calls.fetch_add(1); }
};

SharedRequest get(const std::string& url) {
  auto request = std::make_shared<HttpRequest>();
  request->url = url;
  return request;
}

// Runs `f` on the event thread and returns what it returned.
template <class F>
auto on_event_thread(EventLoop& loop, F f) {
  std::packaged_task<decltype(f())()> task(std::move(f));
  auto result = task.get_future();
  REQUIRE(loop.post([&task] { task(); }));
  return result.get();
}

const char* kSchema = R"({"type":"string"})";

}  // namespace

TEST_CASE("curl runs on the transfer thread; the outcome comes back on the event thread") {
  emulator::Emulator registry;
  registry.add_version("default", "A", kSchema);
  TransportSettings settings;
  std::string hook_thread;  // written by the hook, read once the transfer has ended
  settings.transport.configure_handle = [&hook_thread](CURL*) { hook_thread = this_thread_name(); };
  EventLoop loop(settings);
  auto sink = std::make_shared<RecordingSink>();
  auto ended = sink->ended.get_future();
  const std::string url = registry.base_url() + "/groups/default/artifacts/A/versions/1/content";
  on_event_thread(loop, [&] {
    loop.start_transfer(get(url), 0ms, sink);
    return 0;
  });
  auto [response, thread] = ended.get();
  CHECK(response.status == 200);
  CHECK(response.body == kSchema);
  CHECK(thread == "apicurio-event");
  CHECK(hook_thread == "apicurio-curl");
  CHECK(loop.attempts_started() == 1);
}

TEST_CASE("a transfer that cannot start fails later, on the event thread, never inline") {
  emulator::Emulator registry;
  TransportSettings settings;
  settings.transport.configure_handle = [](CURL*) { throw std::runtime_error("hook refused"); };
  EventLoop loop(settings);
  auto sink = std::make_shared<RecordingSink>();
  auto ended = sink->ended.get_future();
  // The sink can only run on the event thread, which is busy with this very task: a failure
  // reported from inside start_transfer would already be there.
  const bool pending_after_start = on_event_thread(loop, [&] {
    loop.start_transfer(get(registry.base_url() + "/system/info"), 0ms, sink);
    return ended.wait_for(0s) == std::future_status::timeout;
  });
  CHECK(pending_after_start);
  auto [response, thread] = ended.get();
  REQUIRE(response.error);
  CHECK_THROWS_WITH(std::rethrow_exception(response.error), "hook refused");
  CHECK(thread == "apicurio-event");
}

TEST_CASE("tasks run in the order posted; timers at or after their time, earliest first") {
  EventLoop loop({});
  struct Ran {
    int what;
    Clock::time_point at;
    std::string thread;
  };
  std::vector<Ran> ran;  // event thread only, until `done` is ready
  std::promise<void> done;
  const auto now = Clock::now();
  on_event_thread(loop, [&] {
    loop.add_timer(now + 40ms, [&] {
      ran.push_back({40, Clock::now(), this_thread_name()});
      done.set_value();
    });
    loop.add_timer(now + 20ms, [&] { ran.push_back({20, Clock::now(), this_thread_name()}); });
    return 0;
  });
  for (int i = 1; i <= 3; ++i)
    loop.post([&ran, i] { ran.push_back({i, Clock::now(), this_thread_name()}); });
  done.get_future().get();
  REQUIRE(ran.size() == 5);
  for (int i = 0; i < 3; ++i)
    CHECK(ran[i].what == i + 1);
  CHECK(ran[3].what == 20);
  CHECK(ran[3].at >= now + 20ms);
  CHECK(ran[4].what == 40);
  CHECK(ran[4].at >= now + 40ms);
  for (const auto& r : ran)
    CHECK(r.thread == "apicurio-event");
}

TEST_CASE("stopping drops transfers in flight and releases their sinks without calling them") {
  emulator::Emulator registry;
  auto loop = std::make_unique<EventLoop>(TransportSettings{});
  // A first reply tells curl the server speaks HTTP/1.1; until then it sends one request and
  // waits to learn whether the others could share its connection.
  auto first = std::make_shared<RecordingSink>();
  auto first_ended = first->ended.get_future();
  on_event_thread(*loop, [&] {
    loop->start_transfer(get(registry.base_url() + "/system/info"), 0ms, first);
    return 0;
  });
  first_ended.get();
  registry.clear_requests();
  registry.add_fault(emulator::Fault::stall("*", emulator::Fault::kForever));
  std::atomic<int> calls{0};
  std::vector<std::weak_ptr<CountingSink>> released;
  on_event_thread(*loop, [&] {
    for (int i = 0; i < 3; ++i) {
      auto sink = std::make_shared<CountingSink>(calls);
      released.push_back(sink);
      loop->start_transfer(get(registry.base_url() + "/system/info"), 0ms, sink);
    }
    return 0;
  });
  const auto give_up = Clock::now() + 10s;
  while (registry.requests().size() < 3 && Clock::now() < give_up)
    std::this_thread::sleep_for(1ms);
  REQUIRE(registry.requests().size() == 3);
  CHECK(loop->in_flight() == 3);
  loop->stop();
  CHECK_FALSE(loop->post([] {}));
  loop.reset();
  CHECK(calls == 0);
  for (const auto& sink : released)
    CHECK(sink.expired());
}

namespace {

// Runs `first` on a new thread and, while that thread still lives, `second` on another: the
// two take over the stacks, and so the ids, of the two threads a stop() has just joined.
template <class F, class G>
void on_two_new_threads(F first, G second) {
  std::promise<void> first_ran, second_ran;
  std::thread one([&] {
    first();
    first_ran.set_value();
    second_ran.get_future().wait();
  });
  first_ran.get_future().wait();
  std::thread two([&] {
    second();
    second_ran.set_value();
  });
  two.join();
  one.join();
}

}  // namespace

TEST_CASE("a thread started after stop() is never taken for the event thread, even with its id") {
  // glibc hands a joined thread's id to the next thread created: a loop that compared ids
  // would take such a thread for its event thread, and its destructor would abort.
  bool reused = false;
  bool mistaken = false;
  for (int i = 0; i < 20 && !reused; ++i) {
    auto loop = std::make_unique<EventLoop>(TransportSettings{});
    const auto event_id = on_event_thread(*loop, [] { return std::this_thread::get_id(); });
    loop->stop();
    auto check = [&] {
      reused = reused || std::this_thread::get_id() == event_id;
      mistaken = mistaken || loop->on_event_thread();
    };
    on_two_new_threads(check, [&] {
      check();
      if (!mistaken) loop.reset();  // where the old check aborted
    });
    loop.reset();
  }
  REQUIRE(reused);  // else this test proves nothing
  CHECK_FALSE(mistaken);
}

TEST_CASE(
    "a RegistryClient closed, then destroyed on a thread started after close(), ends cleanly") {
  emulator::Emulator registry;
  registry.add_version("default", "A", kSchema);
  for (int i = 0; i < 20; ++i) {
    apicurio::ClientOptions options;
    options.url = registry.base_url();
    auto client = std::make_unique<apicurio::RegistryClient>(options);
    client->get_schema("A").get();
    client->close();
    on_two_new_threads([] {}, [&client] { client.reset(); });
  }
  SUCCEED("no abort");
}

TEST_CASE("every stop() returns only once both threads are joined, whichever call joins them") {
  EventLoop loop({});
  std::promise<void> gate;
  std::shared_future<void> opened = gate.get_future().share();
  std::atomic<bool> task_done{false};
  std::promise<void> task_began;
  REQUIRE(loop.post([opened, &task_done, &task_began] {
    task_began.set_value();
    opened.wait();
    task_done = true;
  }));
  task_began.get_future().wait();  // a task still queued at stop() would be dropped unrun
  std::atomic<bool> first_saw_done{false};
  std::thread first([&] {
    loop.stop();
    first_saw_done = task_done.load();
  });
  while (loop.post([] {}))  // until the first stop() has begun
    std::this_thread::yield();
  std::thread opener([&gate] {
    std::this_thread::sleep_for(200ms);
    gate.set_value();
  });
  loop.stop();
  const bool second_saw_done = task_done.load();
  first.join();
  opener.join();
  CHECK(first_saw_done);
  CHECK(second_saw_done);
}

TEST_CASE("on a manual clock, timers fire only once it is advanced past them, in order") {
  auto clock = std::make_shared<ManualClock>();
  EventLoop loop({}, TimeSource(clock));
  const auto start = clock->now();
  std::vector<int> ran;  // event thread only; read after the loop stops
  std::promise<void> second;
  const auto seen = on_event_thread(loop, [&] {
    loop.add_timer(start + 2h, [&] {
      ran.push_back(2);
      second.set_value();
    });
    loop.add_timer(start + 1h, [&] { ran.push_back(1); });
    return loop.now();
  });
  CHECK(seen == start);
  REQUIRE(clock->wait_for_timers(2));
  clock->advance(1h - 1ns);
  // A turn of the loop after the advance: the timers have had their chance.
  on_event_thread(loop, [] { return 0; });
  CHECK(clock->timers() == 2);
  clock->advance(1ns);
  REQUIRE(clock->wait_for_timers(1));
  on_event_thread(loop, [] { return 0; });
  CHECK(clock->timers() == 1);
  clock->advance(10h);  // past the second by far: it fires once
  REQUIRE(second.get_future().wait_for(10s) == std::future_status::ready);
  loop.stop();
  CHECK(ran == std::vector<int>{1, 2});
  CHECK(clock->timers() == 0);
}

TEST_CASE("a manual clock that goes back or stands still fires nothing; a loop gone is forgotten") {
  auto clock = std::make_shared<ManualClock>();
  std::atomic<bool> fired{false};
  {
    EventLoop loop({}, TimeSource(clock));
    on_event_thread(loop, [&] {
      loop.add_timer(loop.now() + 1ms, [&fired] { fired = true; });
      return 0;
    });
    clock->advance(-1h);
    clock->advance(0ns);
    on_event_thread(loop, [] { return 0; });
    CHECK_FALSE(fired);
    CHECK(clock->timers() == 1);
  }
  CHECK(clock->timers() == 0);
  clock->advance(1h);  // wakes no loop that is gone
  CHECK_FALSE(fired);
  CHECK_FALSE(clock->wait_for_timers(1, 1ms));
}

TEST_CASE("a clock scope gives its clock to what is built on its thread only, and nests") {
  using apicurio::detail::ClientClockScope;
  using apicurio::detail::time_for_new_client;
  auto outer = std::make_shared<ManualClock>();
  auto inner = std::make_shared<ManualClock>();
  CHECK(time_for_new_client().manual() == nullptr);
  {
    ClientClockScope a(outer);
    CHECK(time_for_new_client().manual() == outer.get());
    ManualClock* elsewhere = outer.get();  // what another thread sees; Catch asserts here only
    std::thread([&elsewhere] { elsewhere = time_for_new_client().manual(); }).join();
    CHECK(elsewhere == nullptr);
    {
      ClientClockScope b(inner);
      CHECK(time_for_new_client().manual() == inner.get());
    }
    CHECK(time_for_new_client().manual() == outer.get());
  }
  CHECK(time_for_new_client().manual() == nullptr);
  const auto before = outer->now();
  outer->advance(-1h);
  CHECK(outer->now() == before);
  outer->advance(1ns);
  CHECK(outer->now() == before + 1ns);
}

TEST_CASE("a timer at the end of time never fires and delays nothing") {
  EventLoop loop({});
  std::atomic<bool> never{false};
  std::promise<void> soon;
  on_event_thread(loop, [&] {
    loop.add_timer(Clock::time_point::max(), [&never] { never = true; });
    loop.add_timer(Clock::now() + 10ms, [&soon] { soon.set_value(); });
    return 0;
  });
  CHECK(soon.get_future().wait_for(10s) == std::future_status::ready);  // a hang detector
  std::promise<void> posted;
  REQUIRE(loop.post([&posted] { posted.set_value(); }));
  CHECK(posted.get_future().wait_for(10s) == std::future_status::ready);
  loop.stop();
  CHECK_FALSE(never);
}

TEST_CASE("a timer at the start of time fires at once") {
  EventLoop loop({});
  std::promise<void> fired;
  on_event_thread(loop, [&] {
    loop.add_timer(Clock::time_point::min(), [&fired] { fired.set_value(); });
    return 0;
  });
  CHECK(fired.get_future().wait_for(10s) == std::future_status::ready);
}

TEST_CASE("one loop's event thread may destroy another loop") {
  auto other = std::make_unique<EventLoop>(TransportSettings{});
  REQUIRE(on_event_thread(*other, [] { return 0; }) == 0);
  EventLoop loop({});
  CHECK_FALSE(on_event_thread(loop, [&other] {
    const bool mistaken = other->on_event_thread();
    other.reset();
    return mistaken;
  }));
  CHECK_FALSE(other);
}

TEST_CASE("a loop destroyed on its own event thread aborts, saying why") {
  int err[2];
  REQUIRE(pipe(err) == 0);
  const pid_t child = fork();
  REQUIRE(child >= 0);
  if (child == 0) {
    dup2(err[1], STDERR_FILENO);
    auto* loop = new EventLoop(TransportSettings{});
    loop->post([loop] { delete loop; });
    std::this_thread::sleep_for(10s);
    _exit(0);
  }
  close(err[1]);
  std::string said;
  char buffer[256];
  for (ssize_t n; (n = read(err[0], buffer, sizeof buffer)) > 0;)
    said.append(buffer, static_cast<std::size_t>(n));
  close(err[0]);
  int status = 0;
  REQUIRE(waitpid(child, &status, 0) == child);
  // Killed by SIGABRT; under TSan, whose runtime reports the abort, an exit code instead.
  CHECK_FALSE((WIFEXITED(status) && WEXITSTATUS(status) == 0));
  CHECK_THAT(said, Catch::Contains("destroyed on its own event thread"));
}

TEST_CASE("stop() on the transfer thread (from the user's hook) neither throws nor waits") {
  emulator::Emulator registry;
  std::atomic<EventLoop*> self{nullptr};
  std::promise<bool> threw;
  auto stopped = threw.get_future();
  TransportSettings settings;
  settings.transport.configure_handle = [&self, &threw](Curl_easy*) {
    try {
      self.load()->stop();
      threw.set_value(false);
    } catch (...) {
      threw.set_value(true);
    }
  };
  EventLoop loop(settings);
  self = &loop;
  std::atomic<int> calls{0};
  on_event_thread(loop, [&] {
    loop.start_transfer(get(registry.base_url() + "/system/info"), 0ms,
                        std::make_shared<CountingSink>(calls));
    return 0;
  });
  REQUIRE(stopped.wait_for(10s) == std::future_status::ready);  // a hang detector
  CHECK_FALSE(stopped.get());
  CHECK_FALSE(loop.post([] {}));
  loop.stop();  // joins both threads
  CHECK(calls == 0);
}
