// The event loop at the edges the network and curl reach only rarely: a resolver that takes
// far longer than any timeout, and curl multi calls that fail. Needs the loop-faults shim
// (LD_PRELOAD, as meson test sets it): see shims/loop_faults.cpp.
#include "client_fixture.hpp"
#include "event_loop.hpp"

#include <curl/curl.h>
#include <dlfcn.h>
#include <catch2/catch.hpp>

#include <atomic>
#include <filesystem>
#include <future>
#include <memory>
#include <string>
#include <system_error>
#include <thread>
#include <vector>

using namespace std::chrono_literals;
using apicurio::detail::Clock;
using apicurio::detail::EventLoop;
using apicurio::detail::HttpRequest;
using apicurio::detail::HttpResponse;
using apicurio::detail::SharedRequest;
using apicurio::detail::TransferSink;
using apicurio::detail::TransportSettings;
using apicurio::emulator::Fault;
namespace emulator = apicurio::emulator;

namespace {

// Longer than any wait the loop should need, shorter than the shim's 20 s resolution: a
// future not ready by then is a hang.
constexpr auto kHang = 10s;

template <class F>
F shim(const char* name) {
  auto f = reinterpret_cast<F>(dlsym(RTLD_DEFAULT, name));
  if (!f) FAIL("needs LD_PRELOAD=<build>/test/libloop-faults.so, as `meson test` sets it");
  return f;
}

void fail_calls(const char* function, int times) {
  shim<void (*)(const char*, int)>("apicurio_shim_fail")(function, times);
}

long slow_lookups() {
  return shim<long (*)()>("apicurio_shim_slow_lookups")();
}

struct FutureSink final : TransferSink {
  std::promise<HttpResponse> ended;
  void transfer_done(HttpResponse&& response) override { ended.set_value(std::move(response)); }
};

SharedRequest get(const std::string& url) {
  auto request = std::make_shared<HttpRequest>();
  request->url = url;
  return request;
}

// Starts a GET on the event thread; its outcome comes through the returned future.
std::future<HttpResponse> start(EventLoop& loop, const std::string& url,
                                std::chrono::milliseconds timeout = 0ms) {
  auto sink = std::make_shared<FutureSink>();
  auto ended = sink->ended.get_future();
  REQUIRE(loop.post([&loop, url, timeout, sink] { loop.start_transfer(get(url), timeout, sink); }));
  return ended;
}

std::string slow_url(const emulator::Emulator& registry) {
  return "http://slow-dns.test:" + std::to_string(registry.port()) +
         "/apis/registry/v3/system/info";
}

void wait_for_slow_lookup(long before) {
  const auto give_up = Clock::now() + kHang;
  while (slow_lookups() == before && Clock::now() < give_up)
    std::this_thread::sleep_for(1ms);
  REQUIRE(slow_lookups() > before);
}

}  // namespace

TEST_CASE("a slow DNS answer fails its transfer at its timeout and stalls no other transfer") {
  emulator::Emulator registry;
  EventLoop loop({});
  const std::string fast = registry.base_url() + "/system/info";
  const long before = slow_lookups();
  auto slow = start(loop, slow_url(registry), 300ms);
  wait_for_slow_lookup(before);
  auto during = start(loop, fast);
  REQUIRE(during.wait_for(kHang) == std::future_status::ready);
  CHECK(during.get().status == 200);
  REQUIRE(slow.wait_for(kHang) == std::future_status::ready);
  CHECK(slow.get().transport == CURLE_OPERATION_TIMEDOUT);
  auto after = start(loop, fast);
  REQUIRE(after.wait_for(kHang) == std::future_status::ready);
  CHECK(after.get().status == 200);
}

TEST_CASE("stop() returns while a DNS resolution is still running") {
  emulator::Emulator registry;
  auto loop = std::make_unique<EventLoop>(TransportSettings{});
  const long before = slow_lookups();
  auto slow = start(*loop, slow_url(registry), 60s);
  wait_for_slow_lookup(before);
  auto stopped = std::async(std::launch::async, [&loop] { loop.reset(); });
  CHECK(stopped.wait_for(kHang) == std::future_status::ready);
}

TEST_CASE_METHOD(apicurio::testing::ClientFixture,
                 "a registry name that resolves slowly fails the call at request_timeout, "
                 "and close() returns") {
  auto o = options();
  o.url = "http://slow-dns.test:" + std::to_string(registry.port()) + "/apis/registry/v3";
  o.request_timeout = 300ms;
  o.max_retries = 0;
  apicurio::RegistryClient client(o);
  auto call = client.get_schema("A");
  REQUIRE(call.wait_for(kHang) == std::future_status::ready);
  try {
    call.get();
    FAIL("expected RegistryConnectionError");
  } catch (const apicurio::RegistryConnectionError& e) {
    CHECK(e.failure() == apicurio::ConnectionFailure::timeout);
  }
  const long before = slow_lookups();
  auto pending = client.get_schema("B");
  wait_for_slow_lookup(before);
  auto closed = std::async(std::launch::async, [&client] { client.close(); });
  REQUIRE(closed.wait_for(kHang) == std::future_status::ready);
  CHECK_THROWS_AS(pending.get(), apicurio::ClientClosedError);
}

TEST_CASE(
    "a failing curl_multi_poll or curl_multi_perform fails the transfers in flight, naming "
    "the call; the loop goes on") {
  const std::string call =
      GENERATE(std::string("curl_multi_poll"), std::string("curl_multi_perform"));
  emulator::Emulator registry;
  EventLoop loop({});
  const std::string url = registry.base_url() + "/system/info";
  registry.add_fault(Fault::delay_reply("*", 60s));
  auto in_flight = start(loop, url);
  const auto give_up = Clock::now() + kHang;
  while (registry.requests().empty() && Clock::now() < give_up)
    std::this_thread::sleep_for(1ms);
  REQUIRE(registry.requests().size() == 1);
  fail_calls(call.c_str(), 1);
  REQUIRE(in_flight.wait_for(kHang) == std::future_status::ready);
  HttpResponse failed = in_flight.get();
  CHECK(failed.transport != 0);
  CHECK_THAT(failed.transport_error, Catch::Contains(call));
  auto next = start(loop, url);
  REQUIRE(next.wait_for(kHang) == std::future_status::ready);
  CHECK(next.get().status == 200);
}

TEST_CASE("a transfer whose curl_multi_add_handle failed leaves its handle to no later transfer") {
  emulator::Emulator registry;
  EventLoop loop({});
  const std::string url = registry.base_url() + "/system/info";
  fail_calls("curl_multi_add_handle", 1);
  auto failed = start(loop, url);
  REQUIRE(failed.wait_for(kHang) == std::future_status::ready);
  CHECK_THAT(failed.get().transport_error, Catch::Contains("curl_multi_add_handle"));
  for (int i = 0; i < 3; ++i) {
    auto next = start(loop, url);
    REQUIRE(next.wait_for(kHang) == std::future_status::ready);
    HttpResponse response = next.get();
    CHECK(response.transport_error == "");
    CHECK(response.status == 200);
  }
}

TEST_CASE("a curl_multi_poll that always fails fails each transfer and never spins") {
  emulator::Emulator registry;
  EventLoop loop({});
  const std::string url = registry.base_url() + "/system/info";
  fail_calls("curl_multi_poll", -1);
  const long polls_before = shim<long (*)()>("apicurio_shim_polls")();
  registry.add_fault(Fault::delay_reply("*", 60s, Fault::kForever));
  for (int i = 0; i < 3; ++i) {
    auto call = start(loop, url);
    REQUIRE(call.wait_for(kHang) == std::future_status::ready);
    CHECK_THAT(call.get().transport_error, Catch::Contains("curl_multi_poll"));
  }
  std::this_thread::sleep_for(500ms);
  const long polls = shim<long (*)()>("apicurio_shim_polls")() - polls_before;
  fail_calls("curl_multi_poll", 0);
  // A spin detector, not a speed test: a spinning thread polls millions of times in 0.5 s.
  CHECK(polls < 1000);
  loop.stop();
}

TEST_CASE("an EventLoop whose second thread cannot start throws and leaves no thread running") {
  const auto threads = [] {
    std::size_t count = 0;
    for (const auto& entry : std::filesystem::directory_iterator("/proc/self/task")) {
      (void)entry;
      ++count;
    }
    return count;
  };
  const std::size_t before = threads();
  shim<void (*)(int)>("apicurio_shim_fail_thread_start")(1);  // the first starts, not the second
  CHECK_THROWS_AS(EventLoop(TransportSettings{}), std::system_error);
  CHECK(threads() == before);
}

TEST_CASE("an EventLoop refuses to start when curl lacks an option it relies on") {
  auto refuse = shim<void (*)(int)>("apicurio_shim_refuse_option");
  // As with a libcurl older than 7.85.0, which the library was not built against.
  refuse(CURLOPT_PROTOCOLS_STR);
  CHECK_THROWS_WITH(EventLoop(TransportSettings{}), Catch::Contains("CURLOPT_PROTOCOLS_STR"));
  refuse(CURLOPT_QUICK_EXIT);
  CHECK_THROWS_WITH(EventLoop(TransportSettings{}), Catch::Contains("CURLOPT_QUICK_EXIT"));
  refuse(-1);
  CHECK_NOTHROW(EventLoop(TransportSettings{}));
}
