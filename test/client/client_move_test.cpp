// Moving a RegistryClient: requests in flight follow the client, a moved-onto client is
// closed as destruction would close it, and a moved-from client fails clearly.
#include "client_fixture.hpp"
#include "thread_census.hpp"

#include <catch2/catch.hpp>

#include <chrono>
#include <future>
#include <thread>
#include <type_traits>
#include <utility>

using namespace apicurio;
using apicurio::emulator::Fault;
using apicurio::testing::ClientFixture;
using apicurio::testing::kAvro;
using std::chrono::milliseconds;
using std::chrono::seconds;

static_assert(std::is_nothrow_move_constructible_v<RegistryClient>);
static_assert(std::is_nothrow_move_assignable_v<RegistryClient>);
static_assert(!std::is_copy_constructible_v<RegistryClient>);

namespace {

// The call's failure message; "" when it did not throw ClientClosedError.
template <typename Call>
std::string closed_message(Call&& call) {
  try {
    call();
  } catch (const ClientClosedError& e) {
    CHECK(e.code() == ErrorCode::closed);
    return e.what();
  }
  return "";
}

void check_moved_from(RegistryClient& moved) {
  for (auto message : {
           closed_message([&] { moved.get_schema("A"); }),
           closed_message([&] { moved.get_schema("A", "1"); }),
           closed_message([&] { moved.get_schema_by_global_id(1); }),
           closed_message([&] { moved.get_schema_by_content_id(1); }),
           closed_message([&] { moved.get_schemas({"A"}); }),
           closed_message([&] { moved.register_schema("A", kAvro); }),
           closed_message([&] { moved.preload({"A"}); }),
       }) {
    CHECK(message.find("moved from") != std::string::npos);
  }
  CHECK_NOTHROW(moved.invalidate("A"));
  CHECK_NOTHROW(moved.clear());
  CHECK(moved.stats().http_requests == 0);
  CHECK(moved.metrics().operations[0].calls == 0);
  CHECK(moved.options().url.empty());
  CHECK_NOTHROW(moved.close());
  CHECK_NOTHROW(moved.close());
}

}  // namespace

TEST_CASE_METHOD(ClientFixture,
                 "a moved client keeps its calls in flight, seen from another thread") {
  registry.add_version("default", "A", kAvro);
  registry.add_fault(Fault::delay_reply("version-metadata", milliseconds(200)));
  RegistryClient source(options());
  Future<CachedSchema> pending = source.get_schema("A");
  std::promise<void> waiting;
  std::future<std::string> seen = std::async(std::launch::async, [&] {
    waiting.set_value();
    return pending.get().artifact_id;
  });
  waiting.get_future().wait();
  RegistryClient moved(std::move(source));
  REQUIRE(seen.wait_for(seconds(30)) == std::future_status::ready);
  CHECK(seen.get() == "A");
  CHECK(moved.get_schema("A").get().artifact_id == "A");  // a hit, in the moved client's cache
  CHECK(moved.stats().cache_hits >= 1);
  check_moved_from(source);
}

TEST_CASE_METHOD(ClientFixture,
                 "move-assigning closes the target's old client as destruction would") {
  registry.add_version("default", "A", kAvro);
  registry.add_version("default", "B", kAvro);
  const auto before = apicurio::testing::threads_now();
  RegistryClient target(options());
  registry.add_fault(Fault::stall("version-metadata", 1, seconds(20)));
  Future<CachedSchema> doomed = target.get_schema("A");
  // The stall must hold the old client's request before the move, or the next fault could
  // meet it instead.
  for (int i = 0; i < 2000 && registry.count("version-metadata") == 0; ++i)
    std::this_thread::sleep_for(milliseconds(5));
  REQUIRE(registry.count("version-metadata") == 1);
  registry.add_fault(Fault::delay_reply("version-metadata", milliseconds(200)));
  RegistryClient source(options());
  Future<CachedSchema> kept = source.get_schema("B");
  std::future<std::string> seen =
      std::async(std::launch::async, [&] { return kept.get().artifact_id; });

  target = std::move(source);

  // The old client's call failed before the assignment returned, and its threads are gone.
  REQUIRE(doomed.is_ready());
  CHECK_THROWS_AS(doomed.get(), ClientClosedError);
  REQUIRE(seen.wait_for(seconds(30)) == std::future_status::ready);
  CHECK(seen.get() == "B");
  CHECK(target.get_schema("A").get().artifact_id == "A");
  check_moved_from(source);
  // One client's threads remain: the target's new one.
  std::size_t event_threads = 0;
  for (const auto& [tid, name] : apicurio::testing::library_threads_since(before))
    event_threads += name == "apicurio-event" ? 1 : 0;
  CHECK(event_threads == 1);
}

TEST_CASE_METHOD(ClientFixture, "a moved-from client can be assigned a new client") {
  registry.add_version("default", "A", kAvro);
  RegistryClient source(options());
  RegistryClient moved(std::move(source));
  check_moved_from(source);
  source = RegistryClient(options());
  CHECK(source.get_schema("A").get().artifact_id == "A");
  RegistryClient empty(std::move(moved));
  moved = std::move(source);  // onto a moved-from client: nothing to close
  CHECK(moved.get_schema("A").get().artifact_id == "A");
}

TEST_CASE_METHOD(ClientFixture, "self-move-assignment leaves the client working") {
  registry.add_version("default", "A", kAvro);
  RegistryClient client(options());
  RegistryClient& alias = client;
  client = std::move(alias);
  CHECK(client.get_schema("A").get().artifact_id == "A");
}

TEST_CASE_METHOD(ClientFixture, "a client moved after close() stays closed") {
  registry.add_version("default", "A", kAvro);
  RegistryClient closed(options());
  closed.close();
  RegistryClient moved(std::move(closed));
  auto failed = moved.get_schema("A");
  CHECK_THROWS_AS(failed.get(), ClientClosedError);
  CHECK_NOTHROW(moved.close());
}
