#include <apicurio/artifact_strategy.hpp>

#include <catch2/catch.hpp>

#include <optional>
#include <string>

using apicurio::ArtifactRef;
using apicurio::ArtifactStrategy;
using apicurio::ArtifactStrategyError;
using apicurio::RecordPart;
using apicurio::StrategyInput;
using Catch::Matchers::Contains;

namespace {

const std::string kUser =
    R"({"type": "record", "name": "User", "namespace": "com.acme",
        "fields": [{"name": "id", "type": "long"}]})";
const std::string kNoNamespace = R"({"type":"record","name":"K","fields":[]})";
const std::string kEnum = R"({"type":"enum","name":"Color","namespace":"a.b","symbols":["RED"]})";

ArtifactRef ref(std::optional<std::string> group, std::string artifact) {
  return ArtifactRef{std::move(group), std::move(artifact)};
}

}  // namespace

TEST_CASE("topic_id: the default group, {topic}-key or {topic}-value") {
  CHECK(apicurio::topic_id_strategy({"orders", RecordPart::value, kUser}) ==
        ref(std::nullopt, "orders-value"));
  CHECK(apicurio::topic_id_strategy({"orders", RecordPart::key, kUser}) ==
        ref(std::nullopt, "orders-key"));
  // The schema is not read: any text, even none, will do.
  CHECK(apicurio::topic_id_strategy({"orders", RecordPart::key, "not json"}).artifact_id ==
        "orders-key");
  REQUIRE_THROWS_WITH(apicurio::topic_id_strategy({"", RecordPart::key, ""}),
                      Contains("needs a topic"));
}

TEST_CASE("simple_topic_id: the default group, {topic}") {
  CHECK(apicurio::simple_topic_id_strategy({"orders", RecordPart::key, ""}) ==
        ref(std::nullopt, "orders"));
  REQUIRE_THROWS_AS(apicurio::simple_topic_id_strategy({}), ArtifactStrategyError);
}

TEST_CASE("record_id: the namespace is the group, the name the artifact") {
  CHECK(apicurio::record_id_strategy({"orders", RecordPart::value, kUser}) ==
        ref("com.acme", "User"));
  SECTION("no namespace: the default group") {
    CHECK(apicurio::record_id_strategy({"t", RecordPart::value, kNoNamespace}) ==
          ref(std::nullopt, "K"));
    CHECK(apicurio::record_id_strategy(
              {"t", RecordPart::value, R"({"type":"record","name":"K","namespace":null})"}) ==
          ref(std::nullopt, "K"));
    CHECK(apicurio::record_id_strategy(
              {"t", RecordPart::value, R"({"type":"record","name":"K","namespace":""})"}) ==
          ref(std::nullopt, "K"));
  }
  SECTION("a dotted name carries its own namespace, which wins") {
    CHECK(apicurio::record_id_strategy(
              {"t", RecordPart::value,
               R"({"type":"record","name":"org.x.Order","namespace":"ignored","fields":[]})"}) ==
          ref("org.x", "Order"));
  }
  SECTION("an enum has a name") {
    CHECK(apicurio::record_id_strategy({"t", RecordPart::value, kEnum}) == ref("a.b", "Color"));
  }
  SECTION("an error is a record") {
    CHECK(apicurio::record_id_strategy(
              {"t", RecordPart::value, R"({"type":"error","name":"Oops","fields":[]})"}) ==
          ref(std::nullopt, "Oops"));
  }
}

TEST_CASE("topic_record_id: the namespace is the group, {topic}-{name} the artifact") {
  CHECK(apicurio::topic_record_id_strategy({"orders", RecordPart::value, kUser}) ==
        ref("com.acme", "orders-User"));
  CHECK(apicurio::topic_record_id_strategy({"orders", RecordPart::key, kNoNamespace}) ==
        ref(std::nullopt, "orders-K"));
  CHECK(apicurio::topic_record_id_strategy({"orders", RecordPart::key, kEnum}) ==
        ref("a.b", "orders-Color"));
  REQUIRE_THROWS_WITH(apicurio::topic_record_id_strategy({"", RecordPart::key, kUser}),
                      Contains("needs a topic"));
}

TEST_CASE("qualified_record_id: the default group, the full name the artifact") {
  CHECK(apicurio::qualified_record_id_strategy({"orders", RecordPart::value, kUser}) ==
        ref(std::nullopt, "com.acme.User"));
  CHECK(apicurio::qualified_record_id_strategy({"orders", RecordPart::value, kNoNamespace}) ==
        ref(std::nullopt, "K"));
  CHECK(apicurio::qualified_record_id_strategy({"orders", RecordPart::value, kEnum}) ==
        ref(std::nullopt, "a.b.Color"));
}

TEST_CASE("the record strategies name only records and enums") {
  for (auto strategy : {apicurio::record_id_strategy, apicurio::topic_record_id_strategy,
                        apicurio::qualified_record_id_strategy}) {
    // fixed is a named Avro type, but the Java strategies accept only RECORD and ENUM.
    REQUIRE_THROWS_WITH(
        strategy({"t", RecordPart::value, R"({"type":"fixed","name":"Hash","size":16})"}),
        Contains("record or enum") && Contains("\"fixed\""));
    REQUIRE_THROWS_WITH(strategy({"t", RecordPart::value, R"("string")"}),
                        Contains("record or enum"));
    REQUIRE_THROWS_WITH(strategy({"t", RecordPart::value, R"(["null","string"])"}),
                        Contains("record or enum"));
    REQUIRE_THROWS_WITH(strategy({"t", RecordPart::value, R"({"type":"array","items":"int"})"}),
                        Contains("\"array\""));
  }
}

TEST_CASE("avro_record_name explains schemas it cannot name") {
  SECTION("no name") {
    REQUIRE_THROWS_WITH(
        apicurio::record_id_strategy(
            {"t", RecordPart::value, R"({"type":"record","namespace":"a","fields":[]})"}),
        Contains("no \"name\""));
    REQUIRE_THROWS_WITH(apicurio::avro_record_name(R"({"type":"record","name":""})"),
                        Contains("no \"name\""));
  }
  SECTION("a name that is not a string") {
    REQUIRE_THROWS_WITH(apicurio::avro_record_name(R"({"type":"record","name":42})"),
                        Contains("\"name\" must be a string") && Contains("42"));
  }
  SECTION("no type") {
    REQUIRE_THROWS_WITH(apicurio::avro_record_name(R"({"name":"User"})"),
                        Contains("missing or not a string"));
  }
  SECTION("not JSON") {
    REQUIRE_THROWS_WITH(apicurio::avro_record_name("{\"type\": \"record\", "),
                        Contains("not valid JSON"));
    REQUIRE_THROWS_WITH(apicurio::avro_record_name(""), Contains("not valid JSON"));
  }
  SECTION("empty name parts") {
    REQUIRE_THROWS_WITH(apicurio::avro_record_name(R"({"type":"record","name":"com.acme."})"),
                        Contains("empty part"));
    REQUIRE_THROWS_WITH(
        apicurio::avro_record_name(R"({"type":"record","name":"User","namespace":"a..b"})"),
        Contains("empty part"));
  }
  SECTION("a long schema is shortened in the message") {
    const std::string schema = R"({"type":"record","fields":[)" + std::string(500, ' ') + "]}";
    try {
      apicurio::avro_record_name(schema);
      FAIL("expected an error");
    } catch (const ArtifactStrategyError& e) {
      CHECK(std::string(e.what()).size() < 300);
    }
  }
}

TEST_CASE("avro_record_name splits the full name as Avro does") {
  auto n = apicurio::avro_record_name(kUser);
  CHECK(n.name_space == "com.acme");
  CHECK(n.name == "User");
  CHECK(n.full_name() == "com.acme.User");
  auto bare = apicurio::avro_record_name(kNoNamespace);
  CHECK(bare.name_space.empty());
  CHECK(bare.full_name() == "K");
}

TEST_CASE("a user callback is a strategy") {
  ArtifactStrategy strategy = [](const StrategyInput& input) {
    return ArtifactRef{"team-" + std::string(input.topic),
                       std::string(input.topic) + (input.part == RecordPart::key ? ".k" : ".v")};
  };
  CHECK(strategy({"orders", RecordPart::key, ""}) == ref("team-orders", "orders.k"));
  ArtifactStrategy builtin = apicurio::topic_record_id_strategy;
  CHECK(builtin({"orders", RecordPart::value, kUser}) == ref("com.acme", "orders-User"));
}

TEST_CASE("errors are apicurio errors") {
  REQUIRE_THROWS_AS(apicurio::avro_record_name("[]"), apicurio::Error);
}
