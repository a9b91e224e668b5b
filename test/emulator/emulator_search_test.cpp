// The emulator's search by content, drafts and canonical matching, against the real server's
// contract (SearchResourceImpl, the SQL storage's draft content hashes,
// EnhancedAvroContentCanonicalizer).
#include <httplib.h>
#include <simdjson.h>

#include <catch2/catch.hpp>
#include <string>
#include <vector>

#include <apicurio/testing/emulator.hpp>
#include "avro_canonical.hpp"

using apicurio::emulator::avro_canonical;
using apicurio::emulator::Emulator;
using apicurio::emulator::VersionSpec;
using apicurio::emulator::VersionState;

namespace {

const std::string kApi = "/apis/registry/v3";
const std::string kUser =
    R"({"type":"record","name":"User","fields":[{"name":"id","type":"long"}]})";
// The same schema as the server's canonicalizer sees it: a doc, a namespace in the name,
// other whitespace.
const std::string kUserDocumented =
    R"({ "type": "record", "name": "User", "doc": "a user",
         "fields": [ { "name": "id", "type": "long", "doc": "its id" } ] })";

struct Http {
  explicit Http(const Emulator& emulator) : client("127.0.0.1", emulator.port()) {
    client.set_url_encode(false);
  }
  httplib::Result get(const std::string& path) { return client.Get((kApi + path).c_str()); }
  httplib::Result search(const std::string& query, const std::string& body) {
    return client.Post((kApi + "/search/versions" + query).c_str(), body, "application/json");
  }
  httplib::Client client;
};

struct Found {
  std::int64_t count = -1;
  std::vector<std::int64_t> global_ids;
  std::vector<std::string> states;
};

Found found(const httplib::Result& result) {
  REQUIRE(result);
  REQUIRE(result->status == 200);
  simdjson::dom::parser parser;
  auto root = parser.parse(result->body).value();
  Found f;
  f.count = int64_t(root["count"]);
  for (auto v : simdjson::dom::array(root["versions"])) {
    f.global_ids.push_back(int64_t(v["globalId"]));
    f.states.emplace_back(std::string_view(v["state"]));
  }
  return f;
}

}  // namespace

TEST_CASE("search by content lists every matching version, oldest globalId first by default") {
  Emulator emulator;
  Http http(emulator);
  auto v1 = emulator.add_version("default", "a", kUser);
  emulator.add_version("default", "a", "other");
  auto v3 = emulator.add_version("default", "a", kUser);
  auto elsewhere = emulator.add_version("g", "b", kUser);
  emulator.set_version_state("default", "a", "3", VersionState::DISABLED);

  // No filter: every group and artifact; DISABLED versions too (the Java serdes skip them).
  Found all = found(http.search("", kUser));
  CHECK(all.count == 3);
  CHECK(all.global_ids ==
        std::vector<std::int64_t>{v1.global_id, v3.global_id, elsewhere.global_id});
  Found in_a =
      found(http.search("?groupId=default&artifactId=a&orderby=globalId&order=desc", kUser));
  CHECK(in_a.global_ids == std::vector<std::int64_t>{v3.global_id, v1.global_id});
  CHECK(in_a.states == std::vector<std::string>{"DISABLED", "ENABLED"});
  Found paged = found(http.search("?artifactId=a&limit=1&offset=1", kUser));
  CHECK(paged.count == 2);
  CHECK(paged.global_ids == std::vector<std::int64_t>{v3.global_id});
  CHECK(found(http.search("?groupId=g", kUser)).global_ids ==
        std::vector<std::int64_t>{elsewhere.global_id});
  CHECK(found(http.search("?artifactId=a", kUser + " ")).count == 0);  // bytes, not JSON
  CHECK(emulator.requests().back().route == "search-versions-by-content");
}

TEST_CASE("search by content: bad requests as the server answers them") {
  Emulator emulator;
  Http http(emulator);
  auto empty = http.search("", "");
  REQUIRE(empty);
  CHECK(empty->status == 400);
  auto canonical = http.search("?canonical=true", kUser);
  REQUIRE(canonical);
  CHECK(canonical->status == 400);
  CHECK(canonical->body.find("the 'artifactType' query parameter is also required") !=
        std::string::npos);
  CHECK(http.client.Get((kApi + "/search/versions").c_str())->status == 404);
}

TEST_CASE("search by content with canonical=true matches the Avro canonical form") {
  Emulator emulator;
  Http http(emulator);
  auto v1 = emulator.add_version("default", "a", kUserDocumented);
  CHECK(found(http.search("?artifactId=a", kUser)).count == 0);
  Found canonical = found(http.search("?artifactId=a&canonical=true&artifactType=AVRO", kUser));
  CHECK(canonical.global_ids == std::vector<std::int64_t>{v1.global_id});
  // Field order matters to this canonicalizer (it does not sort fields).
  const std::string swapped =
      R"({"type":"record","name":"User","fields":[{"name":"b","type":"int"},{"name":"a","type":"int"}]})";
  const std::string ordered =
      R"({"type":"record","name":"User","fields":[{"name":"a","type":"int"},{"name":"b","type":"int"}]})";
  emulator.add_version("default", "c", swapped);
  CHECK(found(http.search("?artifactId=c&canonical=true&artifactType=AVRO", ordered)).count == 0);
}

TEST_CASE("the Avro canonical form drops docs and aliases and normalizes names") {
  auto a = avro_canonical(
      R"({"type":"record","name":"com.example.User","doc":"x","aliases":["Old"],
          "fields":[{"name":"id","type":"long","doc":"y","aliases":["key"]},
                    {"name":"next","type":["null","com.example.User"],"default":null},
                    {"name":"kind","type":{"type":"enum","name":"Kind","symbols":["A","B"],
                     "default":"A","doc":"k"}},
                    {"name":"ts","type":{"type":"long","logicalType":"timestamp-millis"}}]})");
  auto b = avro_canonical(
      R"({"type":"record","name":"User","namespace":"com.example",
          "fields":[{"name":"id","type":"long"},
                    {"name":"next","type":["null","User"],"default":null},
                    {"name":"kind","type":{"type":"enum","name":"com.example.Kind",
                     "symbols":["A","B"]}},
                    {"name":"ts","type":{"type":"long","logicalType":"timestamp-millis"}}]})");
  REQUIRE(a);
  REQUIRE(b);
  CHECK(*a == *b);
  CHECK(
      *a ==
      R"({"type":"record","name":"User","namespace":"com.example","doc":"","fields":[)"
      R"({"name":"id","type":"long","doc":""},)"
      R"({"name":"next","type":["null","User"],"doc":"","default":null},)"
      R"({"name":"kind","type":{"type":"enum","name":"Kind","doc":"","symbols":["A","B"]},"doc":""},)"
      R"({"name":"ts","type":{"type":"long","logicalType":"timestamp-millis"},"doc":""}]})");
  CHECK(avro_canonical(R"("string")") == std::optional<std::string>(R"("string")"));
  CHECK_FALSE(avro_canonical("syntax = \"proto3\";"));
  CHECK_FALSE(
      avro_canonical(R"({"type":"record","name":"R","fields":[{"name":"x","type":"Nope"}]})"));
  // A different default is a different schema.
  CHECK(*avro_canonical(
            R"({"type":"record","name":"R","fields":[{"name":"x","type":"int","default":1}]})") !=
        *avro_canonical(
            R"({"type":"record","name":"R","fields":[{"name":"x","type":"int","default":2}]})"));
}

TEST_CASE("FIND_OR_CREATE_VERSION with canonical=true finds a version stored in another text") {
  Emulator emulator;
  Http http(emulator);
  auto stored = emulator.add_version("default", "a", kUserDocumented);
  std::string body =
      R"({"artifactId":"a","artifactType":"AVRO","firstVersion":{"content":{"content":)";
  body +=
      R"("{\"type\":\"record\",\"name\":\"User\",\"fields\":[{\"name\":\"id\",\"type\":\"long\"}]}",)";
  body += R"("contentType":"application/json"}}})";
  auto reply = http.client.Post(
      (kApi + "/groups/default/artifacts?ifExists=FIND_OR_CREATE_VERSION&canonical=true").c_str(),
      body, "application/json");
  REQUIRE(reply);
  CHECK(reply->status == 200);
  CHECK(reply->body.find("\"globalId\":" + std::to_string(stored.global_id)) != std::string::npos);
  CHECK(http.get("/ids/globalIds/" + std::to_string(stored.global_id))->body == kUserDocumented);
}

TEST_CASE("a draft's content is its own: never shared, never found, 404 by contentId") {
  Emulator emulator;
  Http http(emulator);
  auto published = emulator.add_version("default", "a", kUser);
  VersionSpec draft_spec;
  draft_spec.state = VersionState::DRAFT;
  auto draft = emulator.add_version("default", "a", kUser, draft_spec);
  CHECK(draft.content_id != published.content_id);
  auto by_id = http.get("/ids/contentIds/" + std::to_string(draft.content_id));
  REQUIRE(by_id);
  CHECK(by_id->status == 404);
  CHECK(by_id->body.find("ContentNotFoundException") != std::string::npos);
  CHECK(http.get("/ids/contentIds/" + std::to_string(draft.content_id) + "/references")->status ==
        404);
  CHECK(http.get("/ids/contentIds/" + std::to_string(published.content_id))->body == kUser);
  // Through the version itself, and through branch=drafts, it is served.
  CHECK(http.get("/groups/default/artifacts/a/versions/2/content")->body == kUser);
  CHECK(http.get("/groups/default/artifacts/a/versions/branch=drafts/content")->body == kUser);
  // branch=latest never ends at a draft.
  CHECK(http.get("/groups/default/artifacts/a/versions/branch=latest")
            ->body.find("\"globalId\":" + std::to_string(published.global_id)) !=
        std::string::npos);
  Found matches = found(http.search("?artifactId=a", kUser));
  CHECK(matches.global_ids == std::vector<std::int64_t>{published.global_id});
  // A second draft with the same bytes gets yet another content.
  auto draft2 = emulator.add_version("default", "a", kUser, draft_spec);
  CHECK(draft2.content_id != draft.content_id);
}

TEST_CASE("branch=latest skips DISABLED and SUNSET versions") {
  Emulator emulator;
  Http http(emulator);
  emulator.add_version("g", "a", "v1");
  emulator.add_version("g", "a", "v2");
  emulator.add_version("g", "a", "v3");
  emulator.set_version_state("g", "a", "3", VersionState::DISABLED);
  emulator.set_version_state("g", "a", "2", VersionState::SUNSET);
  CHECK(http.get("/groups/g/artifacts/a/versions/branch=latest/content")->body == "v1");
}
