// The emulator where it once differed from the real Apicurio Registry 3.3.1: error details,
// 404 names and titles, artifact types, id gaps, artifact deletion, deprecation headers and
// version numbering. Each case names the server class it follows.
#include <httplib.h>
#include <simdjson.h>

#include <catch2/catch.hpp>
#include <cstdint>
#include <string>

#include <apicurio/testing/emulator.hpp>

using apicurio::emulator::Emulator;
using apicurio::emulator::EmulatorOptions;
using apicurio::emulator::VersionSpec;
using apicurio::emulator::VersionState;

namespace {

const std::string kApi = "/apis/registry/v3";

struct Http {
  explicit Http(const Emulator& emulator) : client("127.0.0.1", emulator.port()) {
    client.set_url_encode(false);
  }
  httplib::Result get(const std::string& path) { return client.Get((kApi + path).c_str()); }
  httplib::Result post(const std::string& path, const std::string& body) {
    return client.Post((kApi + path).c_str(), body, "application/json");
  }
  httplib::Result del(const std::string& path) { return client.Delete((kApi + path).c_str()); }
  httplib::Client client;
};

std::string create_body(const std::string& artifact, const std::string& type,
                        const std::string& text, const std::string& version = "") {
  std::string type_field = type.empty() ? "" : R"("artifactType":")" + type + R"(",)";
  std::string version_field = version.empty() ? "" : R"("version":")" + version + R"(",)";
  return R"({"artifactId":")" + artifact + R"(",)" + type_field + R"("firstVersion":{)" +
         version_field + R"("content":{"content":")" + text +
         R"(","contentType":"application/json"}}})";
}

std::string version_body(const std::string& text, const std::string& version = "") {
  std::string version_field = version.empty() ? "" : R"("version":")" + version + R"(",)";
  return "{" + version_field + R"("content":{"content":")" + text +
         R"(","contentType":"application/json"}})";
}

struct ProblemBody {
  int status = 0;
  std::string name, title, detail;
};

ProblemBody problem_of(const httplib::Result& result) {
  REQUIRE(result);
  simdjson::dom::parser parser;
  auto problem = parser.parse(result->body).value();
  ProblemBody body;
  body.status = result->status;
  body.name = std::string(std::string_view(problem["name"]));
  body.title = std::string(std::string_view(problem["title"]));
  body.detail = std::string(std::string_view(problem["detail"]));
  return body;
}

void check_problem(const httplib::Result& result, int status, const std::string& name,
                   const std::string& title) {
  ProblemBody problem = problem_of(result);
  CHECK(problem.status == status);
  CHECK(problem.name == name);
  CHECK(problem.title == title);
  CHECK(problem.detail == name + ": " + title);
}

std::int64_t field(const httplib::Result& result, const char* object, const char* name) {
  REQUIRE(result);
  REQUIRE(result->status == 200);
  simdjson::dom::parser parser;
  auto root = parser.parse(result->body).value();
  return object[0] == '\0' ? int64_t(root[name]) : int64_t(root[object][name]);
}

}  // namespace

// CoreRegistryExceptionMapperService: detail is ExceptionUtils.getRootCauseMessage(t),
// "SimpleClassName: message", never a copy of the title.
TEST_CASE("problem details carry the root cause's message") {
  Emulator emulator;
  Http http(emulator);
  check_problem(http.get("/groups/g/artifacts/a/versions/1"), 404, "VersionNotFoundException",
                "No version '1' found for artifact with ID 'a' in group 'g'.");
  check_problem(http.get("/ids/contentIds/42"), 404, "ContentNotFoundException",
                "No content with ID '42' was found.");
  check_problem(http.post("/groups/g/artifacts", create_body("b", "AVRO", "")), 400,
                "BadRequestException", "Empty content is not allowed.");
}

// VersionNotFoundException(long globalId), thrown by SqlVersionRepository; a disabled or draft
// version by globalId stays IdsResourceImpl's ArtifactNotFoundException(null, id).
TEST_CASE("an unknown globalId is a VersionNotFoundException") {
  Emulator emulator;
  Http http(emulator);
  check_problem(http.get("/ids/globalIds/42"), 404, "VersionNotFoundException",
                "No version with global ID '42' found.");
  auto v = emulator.add_version("g", "a", "x");
  emulator.set_version_state("g", "a", "1", VersionState::DISABLED);
  check_problem(
      http.get("/ids/globalIds/" + std::to_string(v.global_id)), 404, "ArtifactNotFoundException",
      "No artifact with ID '" + std::to_string(v.global_id) + "' in group 'null' was found.");
}

// GroupsResourceImpl.handleIfExists throws ArtifactAlreadyExistsException(groupId, ...) with
// the path's group; updateArtifactInternal passes the path's group to createArtifactVersion,
// while the create-version route passes getRawGroupIdWithNull().
TEST_CASE("already-exists titles print the path's group on the ifExists path") {
  Emulator emulator;
  Http http(emulator);
  REQUIRE(http.post("/groups/default/artifacts", create_body("a", "AVRO", "one"))->status == 200);
  check_problem(http.post("/groups/default/artifacts", create_body("a", "AVRO", "one")), 409,
                "ArtifactAlreadyExistsException",
                "An artifact with ID 'a' in group 'default' already exists.");
  check_problem(http.post("/groups/default/artifacts?ifExists=CREATE_VERSION",
                          create_body("a", "AVRO", "two", "1")),
                409, "VersionAlreadyExistsException",
                "An artifact version '1' for artifact ID 'a' in group 'default' already exists.");
  check_problem(http.post("/groups/default/artifacts/a/versions", version_body("two", "1")), 409,
                "VersionAlreadyExistsException",
                "An artifact version '1' for artifact ID 'a' in group 'null' already exists.");
  // A disabled version's content: the path's group and the expression as given.
  emulator.set_version_state("default", "a", "1", VersionState::DISABLED);
  check_problem(http.get("/groups/default/artifacts/a/versions/1/content"), 404,
                "VersionNotFoundException",
                "No version '1' found for artifact with ID 'a' in group 'default'.");
}

// ArtifactTypeUtil.determineArtifactType: the type must be one of the providers' names
// (case-sensitive), or be discovered from the content; DefaultArtifactTypeUtilProviderImpl
// .getArtifactTypeProvider throws IllegalStateException (500) for an unknown type that
// GroupsResourceImpl.createArtifact looks up before that check when a first version is sent.
TEST_CASE("unknown artifact types and undiscoverable content") {
  Emulator emulator;
  Http http(emulator);
  check_problem(http.post("/groups/g/artifacts", R"({"artifactId":"a","artifactType":"avro"})"),
                400, "InvalidArtifactTypeException", "Invalid or unknown artifact type: avro");
  check_problem(http.post("/groups/g/artifacts", create_body("a", "avro", "{}")), 500,
                "IllegalStateException", "No such artifact type provider: avro");
  check_problem(http.post("/groups/g/artifacts", create_body("a", "", "hello world")), 400,
                "InvalidArtifactTypeException", "Failed to discover artifact type from content.");
  CHECK(http.get("/groups/g/artifacts/a")->status == 404);
  // Discovery still finds the common types.
  auto avro =
      http.post("/groups/g/artifacts",
                create_body("r", "", R"({\"type\":\"record\",\"name\":\"R\",\"fields\":[]})"));
  REQUIRE(avro->status == 200);
  CHECK(avro->body.find(R"("artifactType":"AVRO")") != std::string::npos);
  auto json = http.post(
      "/groups/g/artifacts",
      create_body("j", "", R"({\"$schema\":\"http://json-schema.org/draft-07/schema#\"})"));
  REQUIRE(json->status == 200);
  CHECK(json->body.find(R"("artifactType":"JSON")") != std::string::npos);
  // Neither a JSON Schema (no json-schema.org, no properties) nor Avro (no such type).
  check_problem(http.post("/groups/g/artifacts",
                          create_body("k", "", R"({\"$schema\":\"x\",\"type\":\"object\"})")),
                400, "InvalidArtifactTypeException",
                "Failed to discover artifact type from content.");
  // ProtobufContentAccepter only looks at content whose type names "proto".
  const std::string proto_text = R"(syntax = \"proto3\"; message M {})";
  CHECK(http.post("/groups/g/artifacts", create_body("p", "", proto_text))->status == 400);
  auto proto = http.post("/groups/g/artifacts",
                         R"({"artifactId":"p","firstVersion":{"content":{"content":")" +
                             proto_text + R"(","contentType":"application/x-protobuf"}}})");
  REQUIRE(proto->status == 200);
  CHECK(proto->body.find(R"("artifactType":"PROTOBUF")") != std::string::npos);
  CHECK(http.post("/groups/g/artifacts", create_body("o", "OPENAPI", "{}"))->status == 200);
}

// SqlContentRepository.ensureContentAndGetId takes a contentId from the sequence before every
// insert attempt, outside the version's transaction (a dry run's rollback keeps the content);
// SqlSequenceRepository never gives an id back, so dry runs consume globalIds too.
TEST_CASE("ids have gaps: insert attempts and dry runs consume ids") {
  Emulator emulator;
  Http http(emulator);
  auto dry = http.post("/groups/g/artifacts?dryRun=true", create_body("a", "AVRO", "dry"));
  const std::int64_t dry_content = field(dry, "version", "contentId");
  const std::int64_t dry_global = field(dry, "version", "globalId");
  CHECK(dry_content == 1);
  CHECK(dry_global == 1);
  auto stored = http.get("/ids/contentIds/1");
  REQUIRE(stored->status == 200);
  CHECK(stored->body == "dry");
  CHECK(http.get("/groups/g/artifacts/a")->status == 404);

  auto first = http.post("/groups/g/artifacts", create_body("a", "AVRO", "one"));
  CHECK(field(first, "version", "contentId") == 2);
  CHECK(field(first, "version", "globalId") == 2);
  // The same content again: the attempt takes id 3, the version keeps content 2.
  auto same = http.post("/groups/g/artifacts/a/versions", version_body("one"));
  CHECK(field(same, "", "contentId") == 2);
  CHECK(field(same, "", "globalId") == 3);
  // A 409 on create still inserted its content first (id 4).
  CHECK(http.post("/groups/g/artifacts", create_body("a", "AVRO", "conflict"))->status == 409);
  CHECK(http.get("/ids/contentIds/4")->body == "conflict");
  // CREATE_VERSION on an existing artifact tries twice: ids 5 and 6, the version keeps 5.
  auto again =
      http.post("/groups/g/artifacts?ifExists=CREATE_VERSION", create_body("a", "AVRO", "two"));
  CHECK(field(again, "version", "contentId") == 5);
  auto next = http.post("/groups/g/artifacts/a/versions", version_body("three"));
  CHECK(field(next, "", "contentId") == 7);
  CHECK(field(next, "", "globalId") == 5);
}

// GroupsResourceImpl.deleteArtifact: jakarta.ws.rs.NotAllowedException unless
// apicurio.rest.deletion.artifact.enabled (RestConfig, false by default).
TEST_CASE("artifact deletion is 405 unless enabled") {
  {
    Emulator emulator;
    Http http(emulator);
    emulator.add_version("g", "a", "x");
    auto refused = http.del("/groups/g/artifacts/a");
    check_problem(refused, 405, "NotAllowedException",
                  "Artifact deletion operation is not enabled.");
    CHECK(refused->get_header_value("Allow") == "GET");
    CHECK(http.get("/groups/g/artifacts/a")->status == 200);
    CHECK(http.del("/groups/g/artifacts/missing")->status == 405);
  }
  EmulatorOptions options;
  options.artifact_deletion_enabled = true;
  Emulator emulator(options);
  Http http(emulator);
  emulator.add_version("g", "a", "x");
  CHECK(http.del("/groups/g/artifacts/a")->status == 204);
  CHECK(http.get("/groups/g/artifacts/a")->status == 404);
  check_problem(http.del("/groups/g/artifacts/a"), 404, "ArtifactNotFoundException",
                "No artifact with ID 'a' in group 'g' was found.");
}

// Headers.checkIfDeprecated(state, groupId, artifactId, versionExpression, ...) with the
// path parameters as given.
TEST_CASE("deprecated version content names the path's group and expression") {
  Emulator emulator;
  Http http(emulator);
  emulator.add_version("default", "a", "x");
  emulator.set_version_state("default", "a", "1", VersionState::DEPRECATED);
  auto reply = http.get("/groups/default/artifacts/a/versions/branch=latest/content");
  REQUIRE(reply->status == 200);
  CHECK(reply->get_header_value("X-Registry-Deprecated") == "true");
  CHECK(reply->get_header_value("X-Registry-GroupId") == "default");
  CHECK(reply->get_header_value("X-Registry-ArtifactId") == "a");
  CHECK(reply->get_header_value("X-Registry-Version") == "branch=latest");
  auto upper = http.get("/groups/DEFAULT/artifacts/a/versions/1/content");
  CHECK(upper->get_header_value("X-Registry-GroupId") == "DEFAULT");
  CHECK(upper->get_header_value("X-Registry-Version") == "1");
}

// SqlVersionRepository.createArtifactVersionRaw and CommonSqlStatements.insertVersion: an
// unnamed version gets versionOrder = max(versionOrder) + 1 as its name; if a version was
// explicitly given that name, UQ_versions_1 fails and AbstractSqlRegistryStorage
// .createArtifactVersion answers VersionAlreadyExistsException with the (null) version asked.
TEST_CASE("automatic version numbers are max(versionOrder) + 1, a clash is 409") {
  Emulator emulator;
  Http http(emulator);
  REQUIRE(http.post("/groups/g/artifacts", create_body("a", "AVRO", "one"))->status == 200);
  REQUIRE(http.post("/groups/g/artifacts/a/versions", version_body("seven", "7"))->status == 200);
  auto third = http.post("/groups/g/artifacts/a/versions", version_body("three"));
  REQUIRE(third->status == 200);
  CHECK(third->body.find(R"("version":"3")") != std::string::npos);
  REQUIRE(http.post("/groups/g/artifacts/a/versions", version_body("five", "5"))->status == 200);
  check_problem(http.post("/groups/g/artifacts/a/versions", version_body("clash")), 409,
                "VersionAlreadyExistsException",
                "An artifact version 'null' for artifact ID 'a' in group 'g' already exists.");
  // Seeding numbers the same way.
  CHECK_THROWS_AS(emulator.add_version("g", "a", "clash again"), std::runtime_error);
  VersionSpec named;
  named.version = "9";
  CHECK(emulator.add_version("g", "a", "nine", named).version == "9");
  CHECK(emulator.add_version("g", "a", "after").version == "6");
}

// RulesServiceImpl with a global VALIDITY rule (apicurio.rules.global.validity): the Avro and
// JSON Schema validators throw RuleViolationException, 400 (HttpStatusCodeMap), whose detail
// is getDetailMessage() and whose causes are listed (none for a syntax error). Rules run
// before the content is stored and never for drafts; the server has no rule by default.
TEST_CASE("a global VALIDITY rule rejects content that does not parse") {
  {
    Emulator plain;
    Http http(plain);
    CHECK(http.post("/groups/g/artifacts", create_body("a", "AVRO", "not json"))->status == 200);
  }
  EmulatorOptions options;
  options.global_validity_rule = "SYNTAX_ONLY";
  Emulator emulator(options);
  Http http(emulator);
  auto refused = http.post("/groups/g/artifacts", create_body("a", "AVRO", "not json"));
  ProblemBody problem = problem_of(refused);
  CHECK(problem.status == 400);
  CHECK(problem.name == "RuleViolationException");
  CHECK(problem.title == "Syntax violation for Avro artifact.");
  CHECK(problem.detail == problem.title);
  simdjson::dom::parser parser;
  simdjson::dom::array causes;
  CHECK(parser.parse(refused->body)["causes"].get(causes) == simdjson::SUCCESS);
  CHECK(causes.size() == 0);
  CHECK(http.get("/ids/contentIds/1")->status == 404);

  auto created = http.post("/groups/g/artifacts", create_body("a", "AVRO", R"(\"string\")"));
  CHECK(field(created, "version", "contentId") == 1);
  CHECK(problem_of(http.post("/groups/g/artifacts/a/versions", version_body("{}"))).name ==
        "RuleViolationException");
  CHECK(problem_of(http.post("/groups/g/artifacts?ifExists=CREATE_VERSION",
                             create_body("a", "AVRO", "nope")))
            .name == "RuleViolationException");
  CHECK(problem_of(http.post("/groups/g/artifacts", create_body("j", "JSON", "nope"))).title ==
        "Syntax violation for JSON Schema artifact.");
  auto draft = http.post(
      "/groups/g/artifacts/a/versions",
      R"({"isDraft":true,"content":{"content":"nope","contentType":"application/json"}})");
  CHECK(draft->status == 200);
}
