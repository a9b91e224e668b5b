// Typed errors: not found, unreachable, unexpected statuses and malformed replies.
#include "client_fixture.hpp"

#include <catch2/catch.hpp>

using namespace apicurio;
using apicurio::testing::ClientFixture;
using apicurio::testing::kAvro;

TEST_CASE_METHOD(ClientFixture, "a missing artifact gives SchemaNotFoundError with its fields") {
  RegistryClient client(options("grp"));
  try {
    client.get_schema("Nope").get();
    FAIL("expected SchemaNotFoundError");
  } catch (const SchemaNotFoundError& e) {
    CHECK(e.group_id() == "grp");
    CHECK(e.artifact_id() == "Nope");
    CHECK(e.version() == "branch=latest");
    CHECK_FALSE(e.by_id());
    CHECK(e.registry_title().find("Nope") != std::string::npos);
    CHECK(std::string(e.what()).find("Nope") != std::string::npos);
  }
}

TEST_CASE_METHOD(ClientFixture, "a missing id gives SchemaNotFoundError with its kind") {
  RegistryClient client(options());
  try {
    client.get_schema_by_global_id(424242).get();
    FAIL("expected SchemaNotFoundError");
  } catch (const SchemaNotFoundError& e) {
    CHECK(e.by_id());
    CHECK(e.id_kind() == IdKind::global_id);
    CHECK(e.id() == 424242);
  }
  try {
    client.get_schema_by_content_id(77).get();
    FAIL("expected SchemaNotFoundError");
  } catch (const SchemaNotFoundError& e) {
    CHECK(e.id_kind() == IdKind::content_id);
    CHECK(e.id() == 77);
    CHECK(e.registry_title() == "No content with ID '77' was found.");
  }
}

TEST_CASE_METHOD(ClientFixture, "'latest' is a literal version in v3") {
  registry.add_version("default", "A", kAvro);
  RegistryClient client(options());
  CHECK_THROWS_AS(client.get_schema("A", "latest").get(), SchemaNotFoundError);
}

TEST_CASE("an unreachable registry gives RegistryConnectionError naming the URL") {
  std::string url;
  {
    emulator::Emulator gone;
    url = gone.base_url();
  }
  ClientOptions o;
  o.url = url;
  o.max_retries = 1;
  o.retry_backoff = std::chrono::milliseconds(1);
  o.retry_max_backoff = std::chrono::milliseconds(1);
  RegistryClient client(o);
  try {
    client.get_schema("A").get();
    FAIL("expected RegistryConnectionError");
  } catch (const RegistryConnectionError& e) {
    CHECK(e.url() == url);
    CHECK(e.failure() == ConnectionFailure::refused);
    CHECK(std::string(e.what()).find(url) != std::string::npos);
  }
  CHECK(client.stats().http_requests == 2);
}

TEST_CASE_METHOD(ClientFixture, "an unexpected status carries the ProblemDetails") {
  registry.add_version("default", "A", kAvro);
  registry.add_fault(emulator::Fault::reply_status("version-metadata", 500));
  RegistryClient client(options());
  try {
    client.get_schema("A").get();
    FAIL("expected RegistryError");
  } catch (const RegistryError& e) {
    CHECK(e.status() == 500);
    CHECK_FALSE(e.malformed());
    CHECK_FALSE(e.problem_title().empty());
  }
}

TEST_CASE_METHOD(ClientFixture, "malformed replies give a protocol error, never a crash") {
  registry.add_version("default", "A", kAvro);
  RegistryClient client(options());
  const char* bodies[] = {
      "{not json",
      "[]",
      "",
      R"({"globalId":"seven","contentId":1,"artifactId":"A","version":"1"})",
      R"({"globalId":1,"contentId":1.5,"artifactId":"A","version":"1"})",
      R"({"globalId":1,"contentId":1,"artifactId":7,"version":"1"})",
      R"({"contentId":1,"artifactId":"A","version":"1"})",
      R"({"globalId":99999999999999999999999,"contentId":1,"artifactId":"A","version":"1"})",
  };
  for (const char* body : bodies) {
    INFO(body);
    client.clear();
    registry.add_fault(emulator::Fault::replace_body("version-metadata", body));
    try {
      client.get_schema("A").get();
      FAIL("expected RegistryError");
    } catch (const RegistryError& e) {
      CHECK(e.malformed());
      CHECK(e.status() == 200);
      CHECK(std::string(e.what()).find("malformed") != std::string::npos);
    }
  }
  client.clear();
  CHECK(client.get_schema("A").get().artifact_id == "A");
}

TEST_CASE_METHOD(ClientFixture, "malformed registration and references replies are errors too") {
  registry.add_version("default", "A", kAvro);
  auto o = options();
  o.fetch_references = true;
  RegistryClient client(o);
  auto expect_malformed = [](const Future<CachedSchema>& future, const char* field) {
    try {
      future.get();
      FAIL("expected RegistryError");
    } catch (const RegistryError& e) {
      CHECK(e.malformed());
      CHECK(std::string(e.what()).find(field) != std::string::npos);
    }
  };
  registry.add_fault(emulator::Fault::replace_body("create-artifact", R"({"artifact":{}})"));
  expect_malformed(client.register_schema("B", kAvro, RegisterOptions{}), "version");
  registry.add_fault(
      emulator::Fault::replace_body("content-id-references", R"([{"groupId":"g"}])"));
  expect_malformed(client.get_schema("A"), "artifactId");
  CHECK(client.get_schema("A").get().references.has_value());
}

TEST_CASE_METHOD(ClientFixture, "an oversize reply fails cleanly") {
  std::string big(4096, 'x');
  registry.add_version("default", "Big", "\"" + big + "\"");
  auto o = options();
  o.max_response_bytes = 1024;
  RegistryClient client(o);
  CHECK_THROWS_AS(client.get_schema("Big").get(), ResponseTooLargeError);
}
