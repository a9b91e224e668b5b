// close() and the destructor: bounded, idempotent, and every pending future fails.
#include "client_fixture.hpp"

#include <catch2/catch.hpp>

#include <thread>

using namespace apicurio;
using apicurio::testing::avro_named;
using apicurio::testing::ClientFixture;
using apicurio::testing::kAvro;

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
