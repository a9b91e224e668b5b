#include <apicurio/artifact_strategy.hpp>

#include <catch2/catch.hpp>

#include <string>

using apicurio::ArtifactIdStrategy;
using apicurio::ArtifactStrategyError;
using apicurio::RecordPart;
using apicurio::StrategyInput;
using Catch::Matchers::Contains;

namespace {

const std::string kUser =
    R"({"type": "record", "name": "User", "namespace": "com.acme",
        "fields": [{"name": "id", "type": "long"}]})";

}  // namespace

TEST_CASE("topic strategy appends -key or -value") {
  CHECK(apicurio::topic_strategy({"orders", RecordPart::value, kUser}) == "orders-value");
  CHECK(apicurio::topic_strategy({"orders", RecordPart::key, kUser}) == "orders-key");
  REQUIRE_THROWS_WITH(apicurio::topic_strategy({"", RecordPart::key, ""}),
                      Contains("needs a topic"));
}

TEST_CASE("simple topic strategy is the topic") {
  CHECK(apicurio::simple_topic_strategy({"orders", RecordPart::key, ""}) == "orders");
  REQUIRE_THROWS_AS(apicurio::simple_topic_strategy({}), ArtifactStrategyError);
}

TEST_CASE("record strategy is the Avro full name") {
  CHECK(apicurio::record_strategy({"orders", RecordPart::value, kUser}) == "com.acme.User");
  SECTION("a dotted name is a full name and wins over the namespace") {
    CHECK(apicurio::record_strategy(
              {"t", RecordPart::value,
               R"({"type":"record","name":"org.x.Order","namespace":"ignored","fields":[]})"}) ==
          "org.x.Order");
  }
  SECTION("without a namespace, just the name") {
    CHECK(apicurio::avro_full_name(R"({"type":"record","name":"User","fields":[]})") == "User");
    CHECK(apicurio::avro_full_name(R"({"type":"record","name":"User","namespace":null})") ==
          "User");
    CHECK(apicurio::avro_full_name(R"({"type":"record","name":"User","namespace":""})") == "User");
  }
  SECTION("enum and fixed are named types too") {
    CHECK(apicurio::avro_full_name(
              R"({"type":"enum","name":"Color","namespace":"a","symbols":["RED"]})") == "a.Color");
    CHECK(apicurio::avro_full_name(R"({"type":"fixed","name":"Hash","size":16})") == "Hash");
  }
}

TEST_CASE("topic-record strategy joins topic and full name") {
  CHECK(apicurio::topic_record_strategy({"orders", RecordPart::value, kUser}) ==
        "orders-com.acme.User");
  CHECK(apicurio::topic_record_strategy(
            {"orders", RecordPart::key, R"({"type":"record","name":"K","fields":[]})"}) ==
        "orders-K");
  REQUIRE_THROWS_WITH(apicurio::topic_record_strategy({"", RecordPart::key, kUser}),
                      Contains("needs a topic"));
}

TEST_CASE("record strategies explain schemas they cannot name") {
  SECTION("no name") {
    REQUIRE_THROWS_WITH(
        apicurio::record_strategy(
            {"t", RecordPart::value, R"({"type":"record","namespace":"a","fields":[]})"}),
        Contains("no \"name\""));
    REQUIRE_THROWS_WITH(apicurio::avro_full_name(R"({"type":"record","name":""})"),
                        Contains("no \"name\""));
  }
  SECTION("a name that is not a string") {
    REQUIRE_THROWS_WITH(apicurio::avro_full_name(R"({"type":"record","name":42})"),
                        Contains("\"name\" must be a string") && Contains("42"));
  }
  SECTION("not a named type") {
    REQUIRE_THROWS_WITH(apicurio::avro_full_name(R"("string")"),
                        Contains("named type") || Contains("JSON object"));
    REQUIRE_THROWS_WITH(apicurio::avro_full_name(R"(["null","string"])"), Contains("JSON object"));
    REQUIRE_THROWS_WITH(apicurio::avro_full_name(R"({"type":"array","items":"int"})"),
                        Contains("\"array\""));
    REQUIRE_THROWS_WITH(apicurio::avro_full_name(R"({"name":"User"})"),
                        Contains("missing or not a string"));
  }
  SECTION("not JSON") {
    REQUIRE_THROWS_WITH(apicurio::avro_full_name("{\"type\": \"record\", "),
                        Contains("not valid JSON"));
    REQUIRE_THROWS_WITH(apicurio::avro_full_name(""), Contains("not valid JSON"));
  }
  SECTION("empty name parts") {
    REQUIRE_THROWS_WITH(apicurio::avro_full_name(R"({"type":"record","name":"com.acme."})"),
                        Contains("empty part"));
    REQUIRE_THROWS_WITH(
        apicurio::avro_full_name(R"({"type":"record","name":"User","namespace":"a..b"})"),
        Contains("empty part"));
  }
  SECTION("a long schema is shortened in the message") {
    const std::string schema = R"({"type":"record","fields":[)" + std::string(500, ' ') + "]}";
    try {
      apicurio::avro_full_name(schema);
      FAIL("expected an error");
    } catch (const ArtifactStrategyError& e) {
      CHECK(std::string(e.what()).size() < 300);
    }
  }
}

TEST_CASE("a user callback is a strategy") {
  ArtifactIdStrategy strategy = [](const StrategyInput& input) {
    return std::string(input.topic) + (input.part == RecordPart::key ? ".k" : ".v");
  };
  CHECK(strategy({"orders", RecordPart::key, ""}) == "orders.k");
  ArtifactIdStrategy builtin = apicurio::topic_record_strategy;
  CHECK(builtin({"orders", RecordPart::value, kUser}) == "orders-com.acme.User");
}

TEST_CASE("errors are apicurio errors") {
  REQUIRE_THROWS_AS(apicurio::avro_full_name("[]"), apicurio::Error);
}
