// Any group per call: one client reads and registers in many groups, with the group part of
// every cache and collapse key; ClientOptions::group_id stays the default.
#include "client_fixture.hpp"

#include <catch2/catch.hpp>

#include <chrono>
#include <stdexcept>
#include <thread>

using namespace apicurio;
using apicurio::testing::avro_named;
using apicurio::testing::ClientFixture;
using Catch::Matchers::Contains;

TEST_CASE_METHOD(ClientFixture, "two groups with the same artifact id get distinct schemas") {
  auto in_a = registry.add_version("ga", "User", avro_named("A"));
  auto in_b = registry.add_version("gb", "User", avro_named("B"));
  RegistryClient client(options("ga"));
  CachedSchema a = client.get_schema(ArtifactRef{"ga", "User"}).get();
  CachedSchema b = client.get_schema(ArtifactRef{"gb", "User"}).get();
  CHECK(a.schema() == avro_named("A"));
  CHECK(a.group_id == "ga");
  CHECK(a.global_id == in_a.global_id);
  CHECK(b.schema() == avro_named("B"));
  CHECK(b.group_id == "gb");
  CHECK(b.global_id == in_b.global_id);
  // Both are cached, each under its own group: no request for either again.
  const auto before = registry.requests().size();
  CHECK(client.get_schema(ArtifactRef{"gb", "User"}).get().schema() == avro_named("B"));
  CHECK(client.get_schema(ArtifactRef{"ga", "User"}, "1").get().schema() == avro_named("A"));
  CHECK(registry.requests().size() == before + 1);  // the pinned version's metadata only
  // The one-argument form is the default group's.
  CHECK(client.get_schema("User").get().schema() == avro_named("A"));
  // A ref without a group is the default group too.
  CHECK(client.get_schema(ArtifactRef{std::nullopt, "User"}).get().schema() == avro_named("A"));
}

TEST_CASE_METHOD(ClientFixture, "collapsing is per group") {
  registry.add_version("ga", "Hot", avro_named("A"));
  registry.add_version("gb", "Hot", avro_named("B"));
  registry.add_fault(
      emulator::Fault::delay_reply("version-metadata", std::chrono::milliseconds(200), 2));
  RegistryClient client(options());
  std::vector<Future<CachedSchema>> a, b;
  for (int i = 0; i < 20; ++i) {
    a.push_back(client.get_schema(ArtifactRef{"ga", "Hot"}));
    b.push_back(client.get_schema(ArtifactRef{"gb", "Hot"}));
  }
  for (auto& f : a)
    CHECK(f.get().schema() == avro_named("A"));
  for (auto& f : b)
    CHECK(f.get().schema() == avro_named("B"));
  CHECK(registry.count("version-metadata") == 2);
  CHECK(client.stats().cache_misses == 2);
}

TEST_CASE_METHOD(ClientFixture, "a group needing escaping in the URL round-trips") {
  const std::string group = "team a/b:c=d";
  registry.add_version(group, "x/y", avro_named("T"));
  RegistryClient client(options());
  CachedSchema s = client.get_schema(ArtifactRef{group, "x/y"}).get();
  CHECK(s.group_id == group);
  CHECK(s.artifact_id == "x/y");
  CachedSchema r =
      client.register_schema(ArtifactRef{group, "new one"}, avro_named("N"), RegisterOptions{})
          .get();
  CHECK(r.group_id == group);
  CHECK(r.artifact_id == "new one");
  // Filed under the group it was registered in: its pinned version is a hit.
  const auto before = registry.requests().size();
  CHECK(client.get_schema(ArtifactRef{group, "new one"}, r.version).get().global_id == r.global_id);
  CHECK(registry.requests().size() == before);
  CHECK_THROWS_AS(client.get_schema("new one").get(), SchemaNotFoundError);  // not in default
}

TEST_CASE_METHOD(ClientFixture, "an empty group name is refused, not taken as the default") {
  RegistryClient client(options());
  REQUIRE_THROWS_WITH(client.get_schema(ArtifactRef{"", "User"}),
                      Contains("group_id is empty") && Contains("std::nullopt"));
  REQUIRE_THROWS_AS(client.get_schema(ArtifactRef{"", "User"}, "1"), std::invalid_argument);
  REQUIRE_THROWS_AS(client.register_schema(ArtifactRef{"", "User"}, avro_named("U")),
                    std::invalid_argument);
  REQUIRE_THROWS_AS(client.get_schema(ArtifactRef{std::string(513, 'g'), "User"}),
                    std::invalid_argument);
  REQUIRE_THROWS_AS(client.get_schema(ArtifactRef{"g", ""}), std::invalid_argument);
  CHECK(registry.requests().empty());
}

TEST_CASE_METHOD(ClientFixture, "registrations collapse per group and file under their group") {
  registry.add_fault(
      emulator::Fault::delay_reply("create-artifact", std::chrono::milliseconds(200), 2));
  RegistryClient client(options());
  auto a1 = client.register_schema(ArtifactRef{"ga", "R"}, avro_named("R"));
  auto a2 = client.register_schema(ArtifactRef{"ga", "R"}, avro_named("R"));
  auto b1 = client.register_schema(ArtifactRef{"gb", "R"}, avro_named("R"));
  CHECK(a1.get().group_id == "ga");
  CHECK(a2.get().global_id == a1.get().global_id);
  CHECK(b1.get().group_id == "gb");
  CHECK(b1.get().global_id != a1.get().global_id);
  CHECK(registry.count("create-artifact") == 2);
}

TEST_CASE_METHOD(ClientFixture, "invalidate forgets one group's artifact only") {
  registry.add_version("ga", "A", avro_named("A"));
  registry.add_version("gb", "A", avro_named("B"));
  RegistryClient client(options());
  client.get_schema(ArtifactRef{"ga", "A"}).get();
  client.get_schema(ArtifactRef{"gb", "A"}).get();
  client.invalidate(ArtifactRef{"ga", "A"});
  registry.clear_requests();
  client.get_schema(ArtifactRef{"gb", "A"}).get();
  CHECK(registry.count("version-metadata") == 0);
  client.get_schema(ArtifactRef{"ga", "A"}).get();
  CHECK(registry.count("version-metadata") == 1);
}

TEST_CASE_METHOD(ClientFixture, "a 404 names the group it looked in") {
  RegistryClient client(options());
  try {
    client.get_schema(ArtifactRef{"elsewhere", "Nope"}).get();
    FAIL("expected SchemaNotFoundError");
  } catch (const SchemaNotFoundError& e) {
    CHECK(e.group_id() == "elsewhere");
    CHECK(e.artifact_id() == "Nope");
  }
}
