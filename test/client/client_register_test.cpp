// register_schema: the three ifExists modes, cache filling and collapsing, and errors.
#include "client_fixture.hpp"

#include <catch2/catch.hpp>

#include <algorithm>
#include <atomic>
#include <thread>

using namespace apicurio;
using apicurio::testing::avro_named;
using apicurio::testing::ClientFixture;
using apicurio::testing::kAvro;

namespace {
RegisterOptions mode(IfExists if_exists) {
  RegisterOptions o;
  o.if_exists = if_exists;
  return o;
}
}  // namespace

TEST_CASE_METHOD(ClientFixture, "register sends the v3 CreateArtifact request") {
  RegistryClient client(options("g"));
  RegisterOptions o;
  o.version = "1.0.0";
  o.references = {{"g", "Dep", "1", "com.example.Dep"}};
  registry.add_version("g", "Dep", kAvro);
  CachedSchema s = client.register_schema("Main", avro_named("Main"), o).get();
  CHECK(s.artifact_id == "Main");
  CHECK(s.version == "1.0.0");
  CHECK(s.group_id == "g");
  CHECK(s.artifact_type == "AVRO");
  CHECK(s.schema() == avro_named("Main"));
  REQUIRE(s.references.has_value());
  CHECK(s.references->size() == 1);
  auto log = registry.requests();
  REQUIRE(log.size() == 1);
  CHECK(log[0].method == "POST");
  CHECK(log[0].route == "create-artifact");
  CHECK(log[0].query_param("ifExists") == "FIND_OR_CREATE_VERSION");
  CHECK(log[0].header("Content-Type") == "application/json");
  CHECK(log[0].body.find("\"firstVersion\"") != std::string::npos);
}

TEST_CASE_METHOD(ClientFixture, "FAIL on an existing artifact gives 409 with the problem") {
  registry.add_version("default", "A", kAvro);
  RegistryClient client(options());
  try {
    client.register_schema("A", avro_named("Other"), mode(IfExists::fail)).get();
    FAIL("expected SchemaRegistrationError");
  } catch (const SchemaRegistrationError& e) {
    CHECK(e.status() == 409);
    CHECK(e.problem_name() == "ArtifactAlreadyExistsException");
    // GroupsResourceImpl.handleIfExists names the group as the path gives it.
    CHECK(e.problem_title() == "An artifact with ID 'A' in group 'default' already exists.");
  }
}

TEST_CASE_METHOD(ClientFixture, "CREATE_VERSION adds a version and reuses the contentId") {
  auto first = registry.add_version("default", "A", kAvro);
  RegistryClient client(options());
  CachedSchema again = client.register_schema("A", kAvro, mode(IfExists::create_version)).get();
  CHECK(again.global_id != first.global_id);
  CHECK(again.content_id == first.content_id);
  CHECK(again.version == "2");
}

TEST_CASE_METHOD(ClientFixture, "FIND_OR_CREATE_VERSION returns the existing version") {
  auto v1 = registry.add_version("default", "A", kAvro);
  registry.add_version("default", "A", avro_named("Newer"));
  RegistryClient client(options());
  CachedSchema found = client.register_schema("A", kAvro).get();
  CHECK(found.global_id == v1.global_id);
  CHECK(found.version == "1");
  // v1 is not the latest version, so latest must still come from the registry.
  CHECK(client.get_schema("A").get().version == "2");
}

TEST_CASE_METHOD(ClientFixture, "register then get sends no further request") {
  RegistryClient client(options());
  CachedSchema made = client.register_schema("New", kAvro, mode(IfExists::fail)).get();
  registry.clear_requests();
  CHECK(client.get_schema("New").get().global_id == made.global_id);
  CHECK(client.get_schema("New", made.version).get().global_id == made.global_id);
  CHECK(client.get_schema_by_global_id(made.global_id).get().artifact_id == "New");
  CHECK(client.get_schema_by_content_id(made.content_id).get().schema() == kAvro);
  CHECK(registry.requests().empty());
}

TEST_CASE_METHOD(ClientFixture, "a new version registered after a cached latest becomes latest") {
  registry.add_version("default", "A", avro_named("V1"));
  RegistryClient client(options());
  CHECK(client.get_schema("A").get().version == "1");
  CachedSchema v2 = client.register_schema("A", avro_named("V2")).get();
  registry.clear_requests();
  CHECK(client.get_schema("A").get().global_id == v2.global_id);
  CHECK(registry.requests().empty());
}

TEST_CASE_METHOD(ClientFixture, "different content for a cached artifact is still sent") {
  RegistryClient client(options());
  client.register_schema("A", avro_named("V1")).get();
  client.get_schema("A").get();
  CachedSchema v2 = client.register_schema("A", avro_named("V2")).get();
  CHECK(v2.version == "2");
  CHECK(v2.schema() == avro_named("V2"));
  CHECK(registry.count("create-artifact") == 2);
}

TEST_CASE_METHOD(ClientFixture, "concurrent identical registrations share one request") {
  registry.add_fault(
      emulator::Fault::delay_reply("create-artifact", std::chrono::milliseconds(200)));
  RegistryClient client(options());
  std::vector<Future<CachedSchema>> futures;
  for (int i = 0; i < 20; ++i)
    futures.push_back(client.register_schema("A", kAvro));
  for (auto& f : futures)
    CHECK(f.get().version == "1");
  CHECK(registry.count("create-artifact") == 1);
  // Once done, a registration is sent again (the collapse map is not a cache).
  client.register_schema("A", kAvro).get();
  CHECK(registry.count("create-artifact") == 2);
}

TEST_CASE_METHOD(ClientFixture, "a dry run fills no cache") {
  RegistryClient client(options());
  RegisterOptions o;
  o.dry_run = true;
  client.register_schema("Dry", kAvro, o).get();
  CHECK(registry.requests().back().query_param("dryRun") == "true");
  CHECK_THROWS_AS(client.get_schema("Dry").get(), SchemaNotFoundError);
}

TEST_CASE_METHOD(ClientFixture, "rule violations carry their causes") {
  registry.add_fault(emulator::Fault::reply_status(
      "create-artifact", 400, 1, "",
      R"({"title":"Syntax violation for Avro artifact.","status":400,"name":"RuleViolationException","causes":[{"description":"bad field","context":"/fields/0"}]})"));
  RegistryClient client(options());
  try {
    client.register_schema("A", kAvro).get();
    FAIL("expected SchemaRegistrationError");
  } catch (const SchemaRegistrationError& e) {
    CHECK(e.status() == 400);
    CHECK(e.problem_name() == "RuleViolationException");
    REQUIRE(e.causes().size() == 1);
    CHECK(e.causes()[0].description == "bad field");
    CHECK(e.causes()[0].context == "/fields/0");
  }
}

TEST_CASE_METHOD(ClientFixture, "a registration replaces the remembered 404s of its artifact") {
  RegistryClient client(options());
  auto mode_used = GENERATE(IfExists::find_or_create_version, IfExists::create_version);
  CHECK_THROWS_AS(client.get_schema("New").get(), SchemaNotFoundError);
  CHECK_THROWS_AS(client.get_schema("New", "1").get(), SchemaNotFoundError);
  CHECK_THROWS_AS(client.get_schema("New", "branch=latest").get(), SchemaNotFoundError);
  CachedSchema made = client.register_schema("New", kAvro, mode(mode_used)).get();
  CHECK(client.get_schema("New").get().global_id == made.global_id);
  CHECK(client.get_schema("New", "1").get().global_id == made.global_id);
  // Another thread, with per-thread copies of its own, sees it too.
  std::thread other([&] { CHECK(client.get_schema("New").get().global_id == made.global_id); });
  other.join();
}

TEST_CASE_METHOD(ClientFixture, "a registration replaces a 404 the registry no longer gives") {
  RegistryClient client(options());
  CHECK_THROWS_AS(client.get_schema("A").get(), SchemaNotFoundError);
  // Created meanwhile by someone else: FIND_OR_CREATE_VERSION finds it.
  auto v1 = registry.add_version("default", "A", kAvro);
  CHECK(client.register_schema("A", kAvro).get().global_id == v1.global_id);
  CHECK(client.get_schema("A").get().global_id == v1.global_id);
}

TEST_CASE_METHOD(ClientFixture, "a latest fetch answered before a registration does not hide it") {
  auto if_exists = GENERATE(IfExists::find_or_create_version, IfExists::create_version);
  registry.add_version("default", "A", avro_named("V1"));
  RegistryClient client(options());
  // The latest fetch gets its metadata (version 1) at once and waits for the content.
  registry.add_fault(emulator::Fault::delay_reply("content-id-content", std::chrono::seconds(1)));
  Future<CachedSchema> fetch = client.get_schema("A");
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (registry.count("content-id-content") == 0 && std::chrono::steady_clock::now() < deadline)
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  REQUIRE(registry.count("content-id-content") == 1);
  CachedSchema v2 = client.register_schema("A", avro_named("V2"), mode(if_exists)).get();
  CHECK(v2.version == "2");
  if (if_exists == IfExists::create_version) {
    // Surely the newest: it is latest at once, while the fetch still runs.
    CHECK(client.get_schema("A").get().global_id == v2.global_id);
  }
  CHECK(fetch.get().version == "1");  // the registry's answer when it was asked
  CHECK(client.get_schema("A").get().global_id == v2.global_id);
}

TEST_CASE_METHOD(ClientFixture, "a registration refused as a conflict replaces a remembered 404") {
  RegistryClient client(options());
  CHECK_THROWS_AS(client.get_schema("A").get(), SchemaNotFoundError);
  auto v1 = registry.add_version("default", "A", kAvro);  // by someone else, meanwhile
  // The registry says the artifact exists: the 404 of before must not answer for it.
  CHECK_THROWS_AS(client.register_schema("A", avro_named("Other"), mode(IfExists::fail)).get(),
                  SchemaRegistrationError);
  CHECK(client.get_schema("A").get().global_id == v1.global_id);
}

TEST_CASE_METHOD(
    ClientFixture,
    "with latest not cached, a read after a registration does not join an older fetch") {
  registry.add_version("default", "A", avro_named("V1"));
  auto o = options();
  o.latest_ttl = std::chrono::milliseconds(0);  // latest is always asked of the registry
  o.max_stale = std::chrono::milliseconds(0);
  RegistryClient client(o);
  registry.add_fault(emulator::Fault::delay_reply("content-id-content", std::chrono::seconds(1)));
  Future<CachedSchema> fetch = client.get_schema("A");  // answered: version 1
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (registry.count("content-id-content") == 0 && std::chrono::steady_clock::now() < deadline)
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  REQUIRE(registry.count("content-id-content") == 1);
  CachedSchema v2 =
      client.register_schema("A", avro_named("V2"), mode(IfExists::create_version)).get();
  CHECK(client.get_schema("A").get().global_id == v2.global_id);
  CHECK(fetch.get().version == "1");
}

TEST_CASE_METHOD(ClientFixture, "latest read on two threads never goes back behind registrations") {
  auto o = options();
  o.latest_ttl = std::chrono::milliseconds(2);  // refreshes race the registrations
  RegistryClient client(o);
  client.register_schema("A", avro_named("V0"), mode(IfExists::create_version)).get();
  std::atomic<bool> done{false};
  std::int64_t regressions = 0;
  std::thread reader([&] {
    std::int64_t seen = 0;
    while (!done.load()) {
      const std::int64_t now_seen = client.get_schema("A").get().global_id;
      if (now_seen < seen) ++regressions;
      seen = std::max(seen, now_seen);
    }
  });
  for (int i = 1; i <= 30; ++i) {
    CachedSchema made = client
                            .register_schema("A", avro_named("V" + std::to_string(i)),
                                             mode(IfExists::create_version))
                            .get();
    CHECK(client.get_schema("A").get().global_id >= made.global_id);
  }
  done = true;
  reader.join();
  CHECK(regressions == 0);
}
