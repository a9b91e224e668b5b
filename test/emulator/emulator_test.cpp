// Tests of the registry emulator against the real server's contract (API-NOTES.md).
#include <curl/curl.h>
#include <httplib.h>
#include <simdjson.h>

#include <atomic>
#include <catch2/catch.hpp>
#include <chrono>
#include <string>
#include <thread>
#include <vector>

#include <apicurio/testing/emulator.hpp>

#include "routes.hpp"

using apicurio::emulator::Emulator;
using apicurio::emulator::Fault;
using apicurio::emulator::VersionSpec;
using apicurio::emulator::VersionState;
using namespace std::chrono_literals;

namespace {

const std::string kApi = "/apis/registry/v3";
const std::string kSchema = R"({"type":"record","name":"User","fields":[]})";

struct Http {
  explicit Http(const Emulator& emulator) : client("127.0.0.1", emulator.port()) {
    client.set_url_encode(false);  // paths are sent exactly as written
  }
  httplib::Result get(const std::string& path) { return client.Get((kApi + path).c_str()); }
  httplib::Result post(const std::string& path, const std::string& body) {
    return client.Post((kApi + path).c_str(), body, "application/json");
  }
  httplib::Client client;
};

// A CreateArtifact body; `text` is pasted into a JSON string as it is.
std::string plain_create(const std::string& artifact, const std::string& text) {
  return R"({"artifactId":")" + artifact +
         R"(","artifactType":"AVRO","firstVersion":{"content":{"content":")" + text +
         R"(","contentType":"application/json"}}})";
}

simdjson::dom::element parse(simdjson::dom::parser& parser, const std::string& body) {
  return parser.parse(body).value();
}

void check_problem(const httplib::Result& result, int status, const std::string& name,
                   const std::string& title) {
  REQUIRE(result);
  CHECK(result->status == status);
  CHECK(result->get_header_value("Content-Type") == "application/json");
  simdjson::dom::parser parser;
  auto problem = parse(parser, result->body);
  CHECK(int64_t(problem["status"]) == status);
  CHECK(std::string(std::string_view(problem["name"])) == name);
  CHECK(std::string(std::string_view(problem["title"])) == title);
}

}  // namespace

TEST_CASE("system info and unknown routes") {
  Emulator emulator;
  Http http(emulator);
  auto info = http.get("/system/info");
  REQUIRE(info);
  CHECK(info->status == 200);
  CHECK(info->body.find("\"version\"") != std::string::npos);
  auto unknown = http.get("/nothing/here");
  REQUIRE(unknown);
  CHECK(unknown->status == 404);
  CHECK(emulator.count("unknown") == 1);
  CHECK(emulator.base_url() == "http://127.0.0.1:" + std::to_string(emulator.port()) + kApi);
}

TEST_CASE("create an artifact, then read it through every route") {
  Emulator emulator;
  Http http(emulator);
  auto created = http.post("/groups/g1/artifacts", plain_create("user", "{}x"));
  REQUIRE(created);
  REQUIRE(created->status == 200);
  simdjson::dom::parser parser;
  auto body = parse(parser, created->body);
  CHECK(std::string_view(body["artifact"]["groupId"]) == "g1");
  CHECK(std::string_view(body["version"]["version"]) == "1");
  const int64_t global_id = body["version"]["globalId"];
  const int64_t content_id = body["version"]["contentId"];

  auto meta = http.get("/groups/g1/artifacts/user/versions/1");
  REQUIRE(meta);
  CHECK(meta->status == 200);
  auto version = parse(parser, meta->body);
  CHECK(int64_t(version["globalId"]) == global_id);
  CHECK(std::string_view(version["state"]) == "ENABLED");

  auto content = http.get("/groups/g1/artifacts/user/versions/1/content");
  REQUIRE(content);
  CHECK(content->body == "{}x");
  CHECK(content->get_header_value("Content-Type") == "application/json");
  CHECK_FALSE(content->has_header("X-Registry-GlobalId"));
  CHECK_FALSE(content->has_header("X-Registry-ContentId"));

  CHECK(http.get("/groups/g1/artifacts/user/versions/1/references")->body == "[]");
  CHECK(http.get("/groups/g1/artifacts/user")->body.find("\"artifactType\":\"AVRO\"") !=
        std::string::npos);
  CHECK(http.get("/groups/g1/artifacts/user/versions")->body.find("\"count\":1") !=
        std::string::npos);

  auto by_global = http.get("/ids/globalIds/" + std::to_string(global_id));
  CHECK(by_global->body == "{}x");
  CHECK_FALSE(by_global->has_header("X-Registry-ArtifactType"));
  auto typed = http.get("/ids/globalIds/" + std::to_string(global_id) + "?returnArtifactType=true");
  CHECK(typed->get_header_value("X-Registry-ArtifactType") == "AVRO");
  CHECK(http.get("/ids/contentIds/" + std::to_string(content_id))->body == "{}x");
  CHECK(http.get("/ids/globalIds/" + std::to_string(global_id) + "/references")->body == "[]");
  CHECK(http.get("/ids/contentIds/" + std::to_string(content_id) + "/references")->body == "[]");
}

TEST_CASE("content hashes and references") {
  Emulator emulator;
  VersionSpec spec;
  spec.references = {{"g", "address", "1", "com.example.Address"}};
  auto info = emulator.add_version("g", "user", "hello", {});
  emulator.add_version("g", "with-refs", "hello", spec);
  Http http(emulator);
  // sha256("hello")
  auto by_hash = http.get(
      "/ids/contentHashes/2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824");
  REQUIRE(by_hash);
  CHECK(by_hash->body == "hello");
  auto refs = http.get("/groups/g/artifacts/with-refs/versions/1/references");
  CHECK(refs->body ==
        R"([{"groupId":"g","artifactId":"address","version":"1","name":"com.example.Address"}])");
  CHECK(http.get("/ids/contentIds/" + std::to_string(info.content_id) + "/references")->body ==
        "[]");
}

TEST_CASE("404 bodies carry the server's exception names and titles") {
  Emulator emulator;
  Http http(emulator);
  check_problem(http.get("/groups/g/artifacts/a/versions/1"), 404, "VersionNotFoundException",
                "No version '1' found for artifact with ID 'a' in group 'g'.");
  check_problem(http.get("/groups/g/artifacts/a/versions/1/content"), 404,
                "VersionNotFoundException",
                "No version '1' found for artifact with ID 'a' in group 'g'.");
  check_problem(http.get("/groups/g/artifacts/a"), 404, "ArtifactNotFoundException",
                "No artifact with ID 'a' in group 'g' was found.");
  check_problem(http.get("/groups/g/artifacts/a/versions"), 404, "ArtifactNotFoundException",
                "No artifact with ID 'a' in group 'g' was found.");
  check_problem(http.get("/ids/globalIds/42"), 404, "VersionNotFoundException",
                "No version with global ID '42' found.");
  check_problem(http.get("/ids/contentIds/42"), 404, "ContentNotFoundException",
                "No content with ID '42' was found.");
  check_problem(http.get("/ids/contentHashes/abc"), 404, "ContentNotFoundException",
                "No content with hash 'abc' was found.");
  check_problem(http.get("/groups/default/artifacts/a/versions/7"), 404, "VersionNotFoundException",
                "No version '7' found for artifact with ID 'a' in group 'null'.");
  check_problem(http.post("/groups/g/artifacts/a/versions",
                          R"({"content":{"content":"x","contentType":"application/json"}})"),
                404, "ArtifactNotFoundException",
                "No artifact with ID 'a' in group 'g' was found.");
}

TEST_CASE("ifExists modes") {
  Emulator emulator;
  Http http(emulator);
  REQUIRE(http.post("/groups/g/artifacts", plain_create("a", "one"))->status == 200);
  check_problem(http.post("/groups/g/artifacts", plain_create("a", "one")), 409,
                "ArtifactAlreadyExistsException",
                "An artifact with ID 'a' in group 'g' already exists.");
  check_problem(http.post("/groups/g/artifacts?ifExists=FAIL", plain_create("a", "one")), 409,
                "ArtifactAlreadyExistsException",
                "An artifact with ID 'a' in group 'g' already exists.");

  simdjson::dom::parser parser;
  auto again = http.post("/groups/g/artifacts?ifExists=CREATE_VERSION", plain_create("a", "one"));
  auto v2 = parse(parser, again->body)["version"];
  CHECK(std::string_view(v2["version"]) == "2");
  CHECK(int64_t(v2["globalId"]) == 2);
  CHECK(int64_t(v2["contentId"]) == 1);  // same bytes, same content

  auto found =
      http.post("/groups/g/artifacts?ifExists=FIND_OR_CREATE_VERSION", plain_create("a", "one"));
  CHECK(std::string_view(parse(parser, found->body)["version"]["version"]) == "2");
  auto appended =
      http.post("/groups/g/artifacts?ifExists=FIND_OR_CREATE_VERSION", plain_create("a", "two"));
  CHECK(std::string_view(parse(parser, appended->body)["version"]["version"]) == "3");
  CHECK(emulator.count("create-artifact") == 6);

  // canonical=true compares the canonical form: whitespace and key order do not matter.
  emulator.add_version("g", "c", R"({"b":1,"a":2})");
  auto canonical = http.post("/groups/g/artifacts?ifExists=FIND_OR_CREATE_VERSION&canonical=true",
                             plain_create("c", R"({ \"a\": 2, \"b\": 1 })"));
  CHECK(std::string_view(parse(parser, canonical->body)["version"]["version"]) == "1");
}

TEST_CASE("create-version and body validation") {
  Emulator emulator;
  Http http(emulator);
  emulator.add_version("g", "a", "one");
  auto v =
      http.post("/groups/g/artifacts/a/versions",
                R"({"version":"7","content":{"content":"x","contentType":"application/json"}})");
  REQUIRE(v->status == 200);
  CHECK(v->body.find("\"version\":\"7\"") != std::string::npos);
  check_problem(
      http.post("/groups/g/artifacts/a/versions",
                R"({"version":"7","content":{"content":"y","contentType":"application/json"}})"),
      409, "VersionAlreadyExistsException",
      "An artifact version '7' for artifact ID 'a' in group 'g' already exists.");
  check_problem(http.post("/groups/g/artifacts",
                          R"({"artifactId":"b","firstVersion":{"content":{"content":"x"}}})"),
                400, "MissingRequiredParameterException",
                "Request is missing a required parameter: body.firstVersion.content.contentType");
  check_problem(http.post("/groups/g/artifacts", plain_create("b", "")), 400, "BadRequestException",
                "Empty content is not allowed.");
  auto malformed = http.post("/groups/g/artifacts", "{not json");
  CHECK(malformed->status == 400);
}

TEST_CASE("id validation on create") {
  Emulator emulator;
  Http http(emulator);
  check_problem(http.post("/groups/g/artifacts", plain_create("a%b", "x")), 400,
                "InvalidArtifactIdException",
                "Character % and non ASCII characters are not allowed in artifact IDs.");
  check_problem(http.post("/groups/g/artifacts", plain_create("caf\xc3\xa9", "x")), 400,
                "InvalidArtifactIdException",
                "Character % and non ASCII characters are not allowed in artifact IDs.");
  check_problem(http.post("/groups/g%2525/artifacts", plain_create("a", "x")), 400,
                "InvalidGroupIdException",
                "Character % and non ASCII characters are not allowed in group IDs.");
  const std::string long_id(513, 'x');
  auto too_long = http.get("/groups/g/artifacts/" + long_id);
  CHECK(too_long->status == 400);
  CHECK(too_long->body.find("ValidationException") != std::string::npos);
  CHECK_THROWS_AS(emulator.add_version("g", "a%", "x"), std::invalid_argument);
}

TEST_CASE("ids with reserved characters round-trip percent-encoded") {
  Emulator emulator;
  Http http(emulator);
  const std::vector<std::pair<std::string, std::string>> ids = {
      {"a/b", "a%2Fb"}, {"a b", "a%20b"}, {"a:b", "a%3Ab"}, {"a=b", "a%3Db"}};
  for (const auto& [raw, encoded] : ids) {
    auto created = emulator.add_version("my group/x", raw, "content of " + raw);
    auto content = http.get("/groups/my%20group%2Fx/artifacts/" + encoded + "/versions/1/content");
    REQUIRE(content);
    CHECK(content->body == "content of " + raw);
    auto last = emulator.requests().back();
    CHECK(last.route == "version-content");
    REQUIRE(last.segments.size() == 7);
    CHECK(last.segments[1] == "my group/x");
    CHECK(last.segments[3] == raw);
    CHECK(created.group_id == "my group/x");
  }
  auto via_post = http.post("/groups/g/artifacts", plain_create("x/y:z=w v", "q"));
  CHECK(via_post->status == 200);
  CHECK(http.get("/groups/g/artifacts/x%2Fy%3Az%3Dw%20v")->status == 200);
}

TEST_CASE("branch=latest, branch%3Dlatest and versions/latest") {
  Emulator emulator;
  Http http(emulator);
  emulator.add_version("g", "a", "v1");
  emulator.add_version("g", "a", "v2");
  emulator.add_version("g", "a", "v3");
  CHECK(http.get("/groups/g/artifacts/a/versions/branch=latest/content")->body == "v3");
  CHECK(http.get("/groups/g/artifacts/a/versions/branch%3Dlatest/content")->body == "v3");
  check_problem(http.get("/groups/g/artifacts/a/versions/latest"), 404, "VersionNotFoundException",
                "No version 'latest' found for artifact with ID 'a' in group 'g'.");
  check_problem(http.get("/groups/g/artifacts/a/versions/x=y"), 400, "ValidationException",
                "Could not parse version expression 'x=y'.");
  check_problem(http.get("/groups/g/artifacts/a/versions/branch="), 400, "ValidationException",
                "Could not parse version expression 'branch='.");

  emulator.set_version_state("g", "a", "3", VersionState::DISABLED);
  CHECK(http.get("/groups/g/artifacts/a/versions/branch=latest/content")->body == "v2");
  emulator.set_version_state("g", "a", "2", VersionState::DEPRECATED);
  auto deprecated = http.get("/groups/g/artifacts/a/versions/branch=latest/content");
  CHECK(deprecated->body == "v2");
  CHECK(deprecated->get_header_value("X-Registry-Deprecated") == "true");
  // A disabled version keeps its metadata but hides its content.
  CHECK(http.get("/groups/g/artifacts/a/versions/3")->status == 200);
  CHECK(http.get("/groups/g/artifacts/a/versions/3/content")->status == 404);
  CHECK(http.get("/ids/globalIds/3")->status == 404);
  emulator.set_version_state("g", "a", "2", VersionState::DISABLED);
  emulator.set_version_state("g", "a", "1", VersionState::DISABLED);
  check_problem(http.get("/groups/g/artifacts/a/versions/branch=latest"), 404,
                "VersionNotFoundException",
                "No version '<tip of the branch 'latest'>' found for artifact with ID 'a' in "
                "group 'g'.");
}

TEST_CASE("globalIds are unique per version, contentIds per distinct content") {
  Emulator emulator;
  auto a1 = emulator.add_version("g", "a", "same");
  auto b1 = emulator.add_version("g", "b", "same");
  auto a2 = emulator.add_version("default", "a", "other");
  CHECK(a1.content_id == b1.content_id);
  CHECK(a1.global_id != b1.global_id);
  CHECK(a2.content_id != a1.content_id);
  CHECK(a2.group_id == "default");
  emulator.delete_artifact("g", "b");
  auto b_again = emulator.add_version("g", "b", "new");
  CHECK(b_again.global_id > a2.global_id);
  Http http(emulator);
  auto meta = http.get("/groups/DEFAULT/artifacts/a/versions/1");
  CHECK(meta->status == 200);
  CHECK(meta->body.find("groupId") == std::string::npos);  // the null group
}

TEST_CASE("gzip request bodies are accepted") {
  Emulator emulator;
  httplib::Client client("127.0.0.1", emulator.port());
  client.set_compress(true);
  auto result = client.Post((kApi + "/groups/g/artifacts").c_str(), plain_create("zipped", "z"),
                            "application/json");
  REQUIRE(result);
  CHECK(result->status == 200);
  CHECK(emulator.requests().back().header("Content-Encoding") == "gzip");
}

TEST_CASE("the request log records what was asked and answered") {
  Emulator emulator;
  emulator.add_version("g", "a", "x");
  Http http(emulator);
  http.client.set_default_headers({{"X-Test", "yes"}});
  http.get("/groups/g/artifacts/a/versions/1?references=PRESERVE");
  http.post("/groups/g/artifacts/a/versions",
            R"({"content":{"content":"y","contentType":"application/json"}})");
  auto log = emulator.requests();
  REQUIRE(log.size() == 2);
  CHECK(log[0].method == "GET");
  CHECK(log[0].route == "version-metadata");
  CHECK(log[0].target == kApi + "/groups/g/artifacts/a/versions/1?references=PRESERVE");
  CHECK(log[0].query_param("references") == "PRESERVE");
  CHECK(log[0].header("x-test") == "yes");
  CHECK(log[0].status == 200);
  CHECK(log[0].fault.empty());
  CHECK(log[1].route == "create-version");
  CHECK(log[1].body.find("\"y\"") != std::string::npos);
  CHECK(emulator.count("create-version") == 1);
  emulator.clear_requests();
  CHECK(emulator.requests().empty());
}

TEST_CASE("status faults apply to the next N matching requests") {
  Emulator emulator;
  emulator.add_version("g", "a", "x");
  emulator.add_fault(Fault::reply_status("version-content", 429, 2, "3"));
  Http http(emulator);
  CHECK(http.get("/groups/g/artifacts/a/versions/1")->status == 200);  // another route
  auto first = http.get("/groups/g/artifacts/a/versions/1/content");
  CHECK(first->status == 429);
  CHECK(first->get_header_value("Retry-After") == "3");
  CHECK(first->body.find("\"status\":429") != std::string::npos);
  CHECK(http.get("/groups/g/artifacts/a/versions/1/content")->status == 429);
  CHECK(http.get("/groups/g/artifacts/a/versions/1/content")->status == 200);
  auto log = emulator.requests();
  CHECK(log[1].fault == "status");
  CHECK(log[1].status == 429);
  CHECK(log[3].fault.empty());

  emulator.add_fault(Fault::reply_status("*", 503, Fault::kForever));
  for (int i = 0; i < 3; ++i)
    CHECK(http.get("/system/info")->status == 503);
  emulator.clear_faults();
  CHECK(http.get("/system/info")->status == 200);
}

TEST_CASE("body faults replace the reply; close-mid-body cuts it") {
  Emulator emulator;
  emulator.add_version("g", "a", "0123456789abcdef");
  Http http(emulator);
  emulator.add_fault(Fault::replace_body("version-metadata", R"({"globalId":"oops")"));
  auto replaced = http.get("/groups/g/artifacts/a/versions/1");
  CHECK(replaced->status == 200);
  CHECK(replaced->body == R"({"globalId":"oops")");

  emulator.add_fault(Fault::close_mid_body("version-content"));
  auto cut = http.get("/groups/g/artifacts/a/versions/1/content");
  CHECK_FALSE(cut);  // the client sees a short body and a closed connection
  CHECK(emulator.requests().back().fault == "close-mid-body");
  CHECK(http.get("/groups/g/artifacts/a/versions/1/content")->body == "0123456789abcdef");
}

TEST_CASE("delay faults hold replies and show overlapping requests") {
  Emulator emulator;
  emulator.add_version("g", "a", "x");
  emulator.add_fault(Fault::delay_reply("version-content", 300ms, Fault::kForever));
  std::vector<std::thread> clients;
  std::atomic<int> ok{0};
  for (int i = 0; i < 8; ++i) {
    clients.emplace_back([&] {
      Http http(emulator);
      auto result = http.get("/groups/g/artifacts/a/versions/1/content");
      if (result && result->status == 200 && result->body == "x") ++ok;
    });
  }
  for (auto& client : clients)
    client.join();
  CHECK(ok == 8);
  CHECK(emulator.max_concurrent_requests() >= 2);
  CHECK(emulator.requests().front().fault == "delay");
}

TEST_CASE("stall faults end when the client gives up, at their limit, or on stop()") {
  Emulator emulator;
  emulator.add_version("g", "a", "x");
  {
    emulator.add_fault(Fault::stall("version-content"));
    Http http(emulator);
    http.client.set_read_timeout(0, 200000);
    CHECK_FALSE(http.get("/groups/g/artifacts/a/versions/1/content"));
  }
  {
    emulator.add_fault(Fault::stall("version-content", 1, 100ms));
    Http http(emulator);
    CHECK_FALSE(http.get("/groups/g/artifacts/a/versions/1/content"));  // dropped, no reply
    CHECK(http.get("/groups/g/artifacts/a/versions/1/content")->status == 200);
  }
  for (const auto& entry : emulator.requests()) {
    if (entry.fault == "stall") CHECK(entry.status == 0);
  }

  auto stalled = std::make_unique<Emulator>();
  stalled->add_fault(Fault::stall("*", Fault::kForever));
  // Catch2's assertions are not thread-safe: the thread only records what it saw.
  bool got_reply = true;
  std::thread client([&] {
    Http http(*stalled);
    http.client.set_read_timeout(60);
    got_reply = static_cast<bool>(http.get("/system/info"));
  });
  while (stalled->count("system-info") == 0)
    std::this_thread::sleep_for(5ms);
  const auto started = std::chrono::steady_clock::now();
  stalled->stop();
  // A generous bound: stop() must not wait for the client's 60 s timeout.
  CHECK(std::chrono::steady_clock::now() - started < 10s);
  client.join();
  CHECK_FALSE(got_reply);
  stalled->stop();  // idempotent
}

TEST_CASE("hundreds of concurrent connections from one curl multi handle") {
  Emulator emulator;
  emulator.add_version("g", "a", "x");
  emulator.add_fault(Fault::delay_reply("version-content", 50ms, Fault::kForever));
  const std::string url = emulator.base_url() + "/groups/g/artifacts/a/versions/1/content";
  CURLM* multi = curl_multi_init();
  std::vector<CURL*> handles;
  auto discard = +[](char*, size_t size, size_t count, void*) { return size * count; };
  for (int i = 0; i < 600; ++i) {
    CURL* easy = curl_easy_init();
    curl_easy_setopt(easy, CURLOPT_URL, url.c_str());
    curl_easy_setopt(easy, CURLOPT_WRITEFUNCTION, discard);
    curl_easy_setopt(easy, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(easy, CURLOPT_TIMEOUT, 60L);
    curl_multi_add_handle(multi, easy);
    handles.push_back(easy);
  }
  int running = 1;
  while (running > 0) {
    curl_multi_perform(multi, &running);
    if (running > 0) curl_multi_poll(multi, nullptr, 0, 100, nullptr);
  }
  int succeeded = 0;
  while (CURLMsg* message = curl_multi_info_read(multi, &running)) {
    long status = 0;
    curl_easy_getinfo(message->easy_handle, CURLINFO_RESPONSE_CODE, &status);
    if (message->data.result == CURLE_OK && status == 200) {
      ++succeeded;
    } else {
      curl_off_t connect_us = 0;
      curl_easy_getinfo(message->easy_handle, CURLINFO_CONNECT_TIME_T, &connect_us);
      UNSCOPED_INFO("curl: " << curl_easy_strerror(message->data.result) << ", HTTP " << status
                             << " connected after " << connect_us << " us");
    }
  }
  for (CURL* easy : handles) {
    curl_multi_remove_handle(multi, easy);
    curl_easy_cleanup(easy);
  }
  curl_multi_cleanup(multi);
  INFO("logged " << emulator.requests().size());
  CHECK(succeeded == 600);
  CHECK(emulator.max_concurrent_requests() > 64);
}

TEST_CASE("preload reads a directory tree") {
  const std::string dir = "/tmp/apicurio-emulator-preload-" + std::to_string(::getpid());
  std::system(("mkdir -p " + dir + "/team && printf '{\"type\":\"string\"}' > " + dir +
               "/team/name.avsc && printf 'syntax = \"proto3\";' > " + dir + "/top.proto")
                  .c_str());
  Emulator emulator;
  CHECK(emulator.preload(dir) == 2);
  Http http(emulator);
  CHECK(http.get("/groups/team/artifacts/name/versions/1/content")->body == R"({"type":"string"})");
  auto proto = http.get("/groups/default/artifacts/top/versions/1/content");
  CHECK(proto->get_header_value("Content-Type") == "application/x-protobuf");
  std::system(("rm -rf " + dir).c_str());
  CHECK_THROWS_AS(emulator.preload(dir), std::runtime_error);
}

TEST_CASE("a port already in use is an error") {
  Emulator first;
  apicurio::emulator::EmulatorOptions options;
  options.port = first.port();
  CHECK_THROWS_AS(Emulator(options), std::runtime_error);
}

// The server turns each reference's groupId into a GroupId (v3 GroupsResourceImpl's
// toReferenceDtos): "" fails its 1..512 length check with a 400 ValidationException, while a
// null or absent groupId is the default group.
TEST_CASE("a reference with an empty groupId is a 400; an absent one is the default group") {
  Emulator emulator;
  Http http(emulator);
  auto body = [](const std::string& artifact, const std::string& group_member) {
    return R"({"artifactId":")" + artifact +
           R"(","artifactType":"AVRO","firstVersion":{"content":{"content":"{\"type\":\"string\"}","contentType":"application/json","references":[{)" +
           group_member + R"("artifactId":"dep","version":"1","name":"Dep"}]}}})";
  };
  check_problem(http.post("/groups/g/artifacts", body("empty", R"("groupId":"",)")), 400,
                "ValidationException",
                "Group ID '' is invalid. It must have length 1..512 (inclusive).");
  auto absent = http.post("/groups/g/artifacts", body("absent", ""));
  REQUIRE(absent);
  CHECK(absent->status == 200);
  auto null_group = http.post("/groups/g/artifacts", body("null", R"("groupId":null,)"));
  REQUIRE(null_group);
  CHECK(null_group->status == 200);
}

// toReferenceDtos keeps a reference's group as getRawGroupIdWithNull(): "default" and null
// are one group, so the two contents hash alike, and the reference renders without groupId.
TEST_CASE("a reference to \"default\" is the null group") {
  Emulator emulator;
  Http http(emulator);
  auto body = [](const std::string& artifact, const std::string& group_member) {
    return R"({"artifactId":")" + artifact +
           R"(","artifactType":"AVRO","firstVersion":{"content":{"content":"{\"type\":\"string\"}","contentType":"application/json","references":[{)" +
           group_member + R"("artifactId":"dep","version":"1","name":"Dep"}]}}})";
  };
  simdjson::dom::parser parser;
  auto named = http.post("/groups/g/artifacts", body("named", R"("groupId":"default",)"));
  REQUIRE(named);
  REQUIRE(named->status == 200);
  const std::int64_t named_content = parse(parser, named->body)["version"]["contentId"];
  auto absent = http.post("/groups/g/artifacts", body("absent", ""));
  REQUIRE(absent);
  REQUIRE(absent->status == 200);
  CHECK(std::int64_t(parse(parser, absent->body)["version"]["contentId"]) == named_content);
  CHECK(http.get("/groups/g/artifacts/named/versions/1/references")->body ==
        R"([{"artifactId":"dep","version":"1","name":"Dep"}])");
}

// references=DEREFERENCE on Avro answers Avro's Schema.toString() of the schema parsed with
// its references (AvroDereferencer): each named type defined at its first use, named after
// that, relative to the enclosing namespace; content without references is left as stored.
TEST_CASE("DEREFERENCE inlines referenced Avro types as Avro writes them") {
  Emulator emulator;
  Http http(emulator);
  emulator.add_version("default", "Color",
                       R"({"type":"enum","name":"Color","namespace":"x","symbols":["RED"]})");
  VersionSpec point;
  point.references = {{"", "Color", "1", "x.Color"}};
  emulator.add_version(
      "g", "Point",
      R"({"type":"record","name":"Point","namespace":"geo","doc":"a point","fields":[{"name":"c","type":"x.Color","default":"RED"}]})",
      point);
  VersionSpec shape;
  shape.references = {{"g", "Point", "1", "geo.Point"}};
  auto v = emulator.add_version(
      "g", "Shape",
      R"({"type":"record","name":"Shape","namespace":"geo","fields":[{"name":"a","type":"Point"},{"name":"b","type":["null","geo.Point"]},{"name":"cs","type":{"type":"array","items":"x.Color"}},{"name":"t","type":{"type":"long","logicalType":"timestamp-millis"}}]})",
      shape);
  const std::string expected =
      R"({"type":"record","name":"Shape","namespace":"geo","fields":[)"
      R"({"name":"a","type":{"type":"record","name":"Point","doc":"a point","fields":[{"name":"c","type":{"type":"enum","name":"Color","namespace":"x","symbols":["RED"]},"default":"RED"}]}},)"
      R"({"name":"b","type":["null","Point"]},)"
      R"({"name":"cs","type":{"type":"array","items":"x.Color"}},)"
      R"({"name":"t","type":{"type":"long","logicalType":"timestamp-millis"}}]})";
  auto by_global =
      http.get("/ids/globalIds/" + std::to_string(v.global_id) + "?references=DEREFERENCE");
  REQUIRE(by_global);
  CHECK(by_global->status == 200);
  CHECK(by_global->body == expected);
  auto by_version = http.get("/groups/g/artifacts/Shape/versions/1/content?references=DEREFERENCE");
  REQUIRE(by_version);
  CHECK(by_version->body == expected);
  // PRESERVE, or no references: the stored text.
  auto preserved =
      http.get("/ids/globalIds/" + std::to_string(v.global_id) + "?references=PRESERVE");
  CHECK(preserved->body.find("\"type\":\"Point\"") != std::string::npos);
  auto plain =
      http.get("/groups/default/artifacts/Color/versions/1/content?references=DEREFERENCE");
  CHECK(plain->body == R"({"type":"enum","name":"Color","namespace":"x","symbols":["RED"]})");
}

TEST_CASE("parse_form decodes query strings and form bodies in order") {
  using apicurio::emulator::Pairs;
  using apicurio::emulator::parse_form;
  const Pairs expected = {{"a", "1"}, {"b", "x y/z"}, {"a", "2"}, {"flag", ""}, {"k=", "v=w"}};
  CHECK(parse_form("a=1&b=x+y%2Fz&&=skip&a=2&flag&k%3D=v=w") == expected);
  CHECK(parse_form("").empty());
  CHECK(parse_form("&&") == Pairs{});
  // A malformed escape stays as it is.
  CHECK(parse_form("%zz=%4") == Pairs{{"%zz", "%4"}});
}
