#include "decode.hpp"

#include <catch2/catch.hpp>

#include <limits>

using namespace apicurio::detail;

TEST_CASE("version metadata decodes, the null group reads as default") {
  auto meta = decode_version_meta(
      R"({"version":"2","globalId":12,"contentId":7,"artifactId":"A","groupId":null,)"
      R"("artifactType":"AVRO","state":"ENABLED","owner":"x","createdOn":"2024-01-01T00:00:00Z"})");
  CHECK(meta.version == "2");
  CHECK(meta.global_id == 12);
  CHECK(meta.content_id == 7);
  CHECK(meta.artifact_id == "A");
  CHECK(meta.group_id == "default");
  CHECK(meta.artifact_type == "AVRO");
  CHECK(decode_version_meta(
            R"({"version":"1","globalId":1,"contentId":1,"artifactId":"A","groupId":"g"})")
            .group_id == "g");
}

TEST_CASE("wrong shapes name the field") {
  CHECK_THROWS_WITH(decode_version_meta("{"), Catch::Contains("not valid JSON"));
  CHECK_THROWS_WITH(decode_version_meta("[1]"), Catch::Contains("not a JSON object"));
  CHECK_THROWS_WITH(decode_version_meta(R"({"globalId":1,"contentId":1,"artifactId":"A"})"),
                    Catch::Contains("'version'"));
  CHECK_THROWS_WITH(
      decode_version_meta(R"({"globalId":"1","contentId":1,"artifactId":"A","version":"1"})"),
      Catch::Contains("'globalId' is not a 64-bit integer"));
  CHECK_THROWS_WITH(
      decode_version_meta(R"({"globalId":1,"contentId":1,"artifactId":"A","version":1})"),
      Catch::Contains("'version' is not a string"));
  CHECK_THROWS_AS(decode_create_artifact(R"({"artifact":{}})"), DecodeError);
  CHECK_THROWS_AS(decode_references(R"({"a":1})"), DecodeError);
  CHECK_THROWS_AS(decode_references(R"([{"groupId":"g"}])"), DecodeError);
}

TEST_CASE("create-artifact replies and references decode") {
  auto meta = decode_create_artifact(
      R"({"artifact":{"artifactId":"A"},"version":{"version":"1","globalId":3,"contentId":2,"artifactId":"A"}})");
  CHECK(meta.global_id == 3);
  auto refs = decode_references(
      R"([{"groupId":"g","artifactId":"B","version":"1","name":"x.B"},{"artifactId":"C","name":"C"}])");
  REQUIRE(refs.size() == 2);
  CHECK(refs[0].group_id == "g");
  CHECK(refs[1].group_id == "default");
  CHECK(refs[1].version.empty());
}

TEST_CASE("ProblemDetails decode, and anything else reads as empty") {
  auto p = decode_problem(
      R"({"title":"Bad","status":400,"name":"RuleViolationException","causes":[{"description":"d","context":"c"}]})");
  CHECK(p.title == "Bad");
  CHECK(p.status == 400);
  CHECK(p.name == "RuleViolationException");
  REQUIRE(p.causes.size() == 1);
  CHECK(p.causes[0].context == "c");
  CHECK(decode_problem("<html>bad gateway</html>").status == 0);
  CHECK(decode_problem("").title.empty());
}

TEST_CASE("a token's expires_in past int64 saturates; a negative one is malformed") {
  auto token = [](const std::string& expires) {
    return decode_token(R"({"access_token":"t","token_type":"Bearer","expires_in":)" + expires +
                        "}");
  };
  CHECK(token("300").expires_in == 300);
  CHECK(token("0").expires_in == 0);
  CHECK(token("null").expires_in == 0);
  CHECK(token("18446744073709551615").expires_in == std::numeric_limits<std::int64_t>::max());
  CHECK_THROWS_AS(token("-1"), DecodeError);
  CHECK_THROWS_AS(token("\"soon\""), DecodeError);
}
