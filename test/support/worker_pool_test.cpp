// The worker pool: a thread that cannot start fails the constructor cleanly, and so does the
// client's. Runs with the fail_pthread_create shim preloaded (see test/meson.build).
#include "worker_pool.hpp"
#include "stress_support.hpp"
#include "thread_census.hpp"

#include <apicurio/registry.hpp>

#include <catch2/catch.hpp>

#include <dlfcn.h>

#include <future>
#include <system_error>
#include <thread>

using namespace apicurio;
using std::chrono::seconds;

namespace {

// Makes thread creation fail once `succeed_first` more threads have started.
void fail_thread_start_after(int succeed_first) {
  using Arm = void (*)(int);
  auto arm = reinterpret_cast<Arm>(dlsym(RTLD_DEFAULT, "apicurio_test_fail_pthread_create"));
  REQUIRE(arm != nullptr);  // the shim must be preloaded
  arm(succeed_first);
}

// The thread count before the test. A first thread is started and joined, since runtimes
// (ThreadSanitizer's) start a helper thread of their own with the first one.
std::size_t baseline() {
  std::thread([] {}).join();
  return apicurio::testing::thread_count();
}

bool back_to(std::size_t count) {
  return apicurio::testing::eventually([&] { return apicurio::testing::thread_count() == count; },
                                       std::chrono::milliseconds(5000));
}

}  // namespace

TEST_CASE("a pool whose third thread cannot start throws system_error and leaves none running") {
  const std::size_t start = baseline();
  fail_thread_start_after(2);
  CHECK_THROWS_AS(detail::WorkerPool(4), std::system_error);
  CHECK(back_to(start));
}

TEST_CASE("a client whose threads cannot start throws system_error and leaves none running") {
  ClientOptions options;
  options.url = "http://127.0.0.1:1";
  const std::size_t start = baseline();
  bool built = false;
  for (int succeed_first = 0; !built && succeed_first < 16; ++succeed_first) {
    CAPTURE(succeed_first);
    fail_thread_start_after(succeed_first);
    try {
      RegistryClient client(options);
      built = true;
    } catch (const std::system_error&) {
    }
    fail_thread_start_after(-1);
    CHECK(back_to(start));
  }
  CHECK(built);
}

TEST_CASE("a pool runs every queued task before its threads end") {
  std::atomic<int> ran{0};
  {
    detail::WorkerPool pool(2);
    for (int i = 0; i < 1000; ++i)
      pool.post([&] { ++ran; });
  }
  CHECK(ran == 1000);
}
