// The serializer against the emulator: how the schema is chosen, what is written where, and
// that the payload is avro-c's own encoding byte for byte.
#include "client_fixture.hpp"

#include <apicurio/avro.hpp>

#include <catch2/catch.hpp>

#include <atomic>
#include <chrono>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

using namespace apicurio;
using namespace apicurio::avro;
using namespace std::chrono_literals;

namespace {

const std::string kUser = R"({"type":"record","name":"User","namespace":"com.example","fields":[)"
                          R"({"name":"id","type":"long"},{"name":"name","type":"string"}]})";
const std::string kUserJson = R"({"id":42,"name":"Ada"})";

// What avro-c itself writes for the value.
std::string avro_c_encoding(avro_value_t& value) {
  std::size_t size = 0;
  REQUIRE(avro_value_sizeof(&value, &size) == 0);
  std::string buf(size, '\0');
  avro_writer_t writer = avro_writer_memory(buf.data(), static_cast<std::int64_t>(size));
  REQUIRE(avro_value_write(writer, &value) == 0);
  avro_writer_free(writer);
  return buf;
}

std::string frame4(std::int64_t id, const std::string& payload) {
  std::string out;
  append_frame(out, Framing::confluent4, id, payload);
  return out;
}

struct Fixture : testing::ClientFixture {
  RegistryClient client{options()};
};

SerializerOptions registering() {
  SerializerOptions o;
  o.choice = SchemaChoice::auto_register;
  o.schema = kUser;
  return o;
}

}  // namespace

TEST_CASE_METHOD(Fixture, "auto_register writes 0x00, the contentId and avro-c's encoding",
                 "[serializer]") {
  Serializer serializer(client, registering());
  Serialized out;
  serializer.serialize_json("orders", kUserJson, out);

  const CachedSchema registered = client.get_schema("orders-value").get();
  Value value(Schema::parse(kUser));
  from_json(kUserJson, value.get());
  CHECK(out.bytes == frame4(registered.content_id, avro_c_encoding(value.get())));
  CHECK_FALSE(out.has_header());

  // The same from an avro-c value, appended after the first record.
  Value typed(serializer.schema("orders"));
  from_json(kUserJson, typed.get());
  serializer.serialize("orders", typed.get(), out);
  CHECK(out.bytes == frame4(registered.content_id, avro_c_encoding(value.get())) +
                         frame4(registered.content_id, avro_c_encoding(value.get())));
}

TEST_CASE_METHOD(Fixture, "globalId, the 8-byte frame and header mode", "[serializer]") {
  const auto v1 = registry.add_version("default", "orders-value", kUser);
  Value value(Schema::parse(kUser));
  from_json(kUserJson, value.get());
  const std::string payload = avro_c_encoding(value.get());

  SerializerOptions o;
  o.choice = SchemaChoice::latest;
  o.id_kind = IdKind::global_id;
  o.placement = IdPlacement::legacy8;
  Serialized out;
  Serializer(client, o).serialize("orders", value.get(), out);
  std::string expected;
  append_frame(expected, Framing::legacy8, v1.global_id, payload);
  CHECK(out.bytes == expected);

  o.placement = IdPlacement::headers;
  o.part = RecordPart::key;
  o.strategy = [](const StrategyInput&) { return ArtifactRef{std::nullopt, "orders-value"}; };
  out.clear();
  Serializer(client, o).serialize("orders", value.get(), out);
  CHECK(out.bytes == payload);
  REQUIRE(out.has_header());
  CHECK(out.header().name == "apicurio.key.globalId");
  CHECK(read_header_id(out.header().name, ByteView(out.header().value.data(), 8)) == v1.global_id);
  REQUIRE(out.headers().size() == 1);
  CHECK(out.headers().find_last("apicurio.key.globalId") != nullptr);
}

TEST_CASE_METHOD(Fixture, "explicit version and explicit ids pick that version", "[serializer]") {
  const std::string v1_schema = kUser;
  const std::string v2_schema =
      R"({"type":"record","name":"User","namespace":"com.example","fields":[{"name":"id","type":"long"}]})";
  const auto v1 = registry.add_version("default", "orders-value", v1_schema);
  const auto v2 = registry.add_version("default", "orders-value", v2_schema);

  SerializerOptions o;
  o.choice = SchemaChoice::explicit_version;
  o.version = "1";
  Serialized out;
  Serializer(client, o).serialize_json("orders", kUserJson, out);
  CHECK(read_frame(Framing::confluent4, out.bytes).id == v1.content_id);

  o.choice = SchemaChoice::latest;
  out.clear();
  Serializer(client, o).serialize_json("orders", R"({"id":1})", out);
  CHECK(read_frame(Framing::confluent4, out.bytes).id == v2.content_id);

  o.choice = SchemaChoice::explicit_id;
  o.id = v1.content_id;
  out.clear();
  Serializer(client, o).serialize_json("anything", kUserJson, out);
  CHECK(read_frame(Framing::confluent4, out.bytes).id == v1.content_id);

  o.id_kind = IdKind::global_id;
  o.id = v2.global_id;
  o.placement = IdPlacement::legacy8;
  out.clear();
  Serializer(client, o).serialize_json("anything", R"({"id":1})", out);
  CHECK(read_frame(Framing::legacy8, out.bytes).id == v2.global_id);
}

TEST_CASE_METHOD(Fixture, "find_by_content uses the version with the same content",
                 "[serializer]") {
  registry.add_version("default", "orders-value", kUser);
  const auto v2 = registry.add_version(
      "default", "orders-value",
      R"({"type":"record","name":"User","namespace":"com.example","fields":[{"name":"id","type":"long"}]})");
  (void)v2;
  SerializerOptions o;
  o.schema = kUser;  // find_by_content is the default
  Serializer serializer(client, o);
  Serialized out;
  serializer.serialize_json("orders", kUserJson, out);
  CHECK(read_frame(Framing::confluent4, out.bytes).id ==
        client.get_schema("orders-value", "1").get().content_id);
}

TEST_CASE_METHOD(Fixture, "find_by_content never registers: a schema not registered fails",
                 "[serializer]") {
  SerializerOptions o;
  o.schema = kUser;
  Serializer serializer(client, o);
  Serialized out;
  CHECK_THROWS_AS(serializer.serialize_json("orders", kUserJson, out), SchemaNotFoundError);
  CHECK(out.bytes.empty());
  CHECK(registry.requests().size() == 1);  // the search, no registration
}

TEST_CASE_METHOD(Fixture, "A record that does not match writes nothing", "[serializer]") {
  Serializer serializer(client, registering());
  Serialized out;
  serializer.serialize_json("orders", kUserJson, out);
  const std::string before = out.bytes;
  try {
    serializer.serialize_json("orders", R"({"id":"42","name":"Ada"})", out);
    FAIL("no error");
  } catch (const RecordMismatchError& e) {
    CHECK(std::string(e.what()) == "$.id: expected long, got string");
  }
  CHECK(out.bytes == before);

  // A value of another schema.
  Value other(
      Schema::parse(R"({"type":"record","name":"Other","fields":[{"name":"x","type":"int"}]})"));
  CHECK_THROWS_AS(serializer.serialize("orders", other.get(), out), RecordMismatchError);
  CHECK(out.bytes == before);

  // A value of an equal schema parsed separately is fine.
  Value same(Schema::parse(kUser));
  from_json(kUserJson, same.get());
  serializer.serialize("orders", same.get(), out);
  CHECK(out.bytes == before + before);
}

TEST_CASE_METHOD(Fixture, "Missing artifacts, bad options and unparsable registry schemas",
                 "[serializer]") {
  SerializerOptions o;
  o.choice = SchemaChoice::latest;
  Serializer latest(client, o);
  Serialized out;
  CHECK_THROWS_AS(latest.serialize_json("nothing", "{}", out), SchemaNotFoundError);
  CHECK(out.bytes.empty());
  // Not remembered: registering it makes the next record work.
  registry.add_version("default", "nothing-value", kUser);
  client.invalidate("nothing-value");  // the client remembers the 404 a moment
  latest.serialize_json("nothing", kUserJson, out);
  CHECK_FALSE(out.bytes.empty());

  registry.add_version("default", "broken-value",
                       R"({"type":"record","name":"B","fields":[{"name":"x","type":"nope"}]})");
  try {
    latest.serialize_json("broken", "{}", out);
    FAIL("no error");
  } catch (const AvroSchemaError& e) {
    CHECK(e.artifact().find("broken-value") != std::string::npos);
  }

  SerializerOptions bad;
  bad.choice = SchemaChoice::auto_register;
  CHECK_THROWS_AS(Serializer(client, bad), std::invalid_argument);
  bad.choice = SchemaChoice::explicit_version;
  CHECK_THROWS_AS(Serializer(client, bad), std::invalid_argument);
  bad.choice = SchemaChoice::explicit_id;
  CHECK_THROWS_AS(Serializer(client, bad), std::invalid_argument);
  bad.choice = SchemaChoice::latest;
  bad.max_schemas = 0;
  CHECK_THROWS_AS(Serializer(client, bad), std::invalid_argument);
}

TEST_CASE_METHOD(Fixture, "Once a thread knows the schema, serialize makes no request",
                 "[serializer]") {
  Serializer serializer(client, registering());
  Serialized out;
  serializer.serialize_json("orders", kUserJson, out);
  registry.clear_requests();
  for (int i = 0; i < 100; ++i)
    serializer.serialize_json("orders", kUserJson, out);
  CHECK(registry.requests().empty());
  const auto before = client.stats();
  for (int i = 0; i < 100; ++i)
    serializer.serialize_json("orders", kUserJson, out);
  CHECK(client.stats().cache_hits == before.cache_hits);  // not even the client's caches
}

TEST_CASE_METHOD(Fixture, "invalidate looks the latest version up again", "[serializer]") {
  registry.add_version("default", "orders-value", kUser);
  SerializerOptions o;
  o.choice = SchemaChoice::latest;
  Serializer serializer(client, o);
  Serialized out;
  serializer.serialize_json("orders", kUserJson, out);
  const auto v2 = registry.add_version(
      "default", "orders-value",
      R"({"type":"record","name":"User","namespace":"com.example","fields":[{"name":"id","type":"long"}]})");
  serializer.invalidate();
  client.invalidate("orders-value");
  out.clear();
  serializer.serialize_json("orders", R"({"id":1})", out);
  CHECK(read_frame(Framing::confluent4, out.bytes).id == v2.content_id);
}

TEST_CASE_METHOD(Fixture, "serialize_json_async and prepare do not block", "[serializer]") {
  Serializer serializer(client, registering());
  Future<Schema> schema = serializer.prepare("orders");
  REQUIRE(schema.wait_for(10s) == std::future_status::ready);
  CHECK(schema.get().registered().artifact_id == "orders-value");

  std::vector<Future<Serialized>> records;
  for (int i = 0; i < 10; ++i) {
    records.push_back(serializer.serialize_json_async("t" + std::to_string(i % 3), kUserJson));
  }
  auto all = when_all(records);
  REQUIRE(all.wait_for(10s) == std::future_status::ready);
  for (const Serialized& s : all.get())
    CHECK(read_frame(Framing::confluent4, s.bytes).id > 0);

  auto bad = serializer.serialize_json_async("orders", R"({"id":true})");
  REQUIRE(bad.wait_for(10s) == std::future_status::ready);
  CHECK_THROWS_AS(bad.get(), RecordMismatchError);
}

TEST_CASE_METHOD(Fixture, "Two threads serialize concurrently, each its own topics and shared ones",
                 "[serializer][threads]") {
  Serializer serializer(client, registering());
  Value value(Schema::parse(kUser));
  from_json(kUserJson, value.get());
  const std::string payload = avro_c_encoding(value.get());
  std::atomic<int> wrong{0};
  auto work = [&](int seed) {
    Serialized out;
    for (int i = 0; i < 300; ++i) {
      out.clear();
      const std::string topic = "topic" + std::to_string((seed + i) % 4);
      if (i % 2) {
        serializer.serialize_json(topic, kUserJson, out);
      } else {
        Value mine(serializer.schema(topic));
        from_json(kUserJson, mine.get());
        serializer.serialize(topic, mine.get(), out);
      }
      const Frame frame = read_frame(Framing::confluent4, out.bytes);
      if (frame.payload.chars() != payload || frame.id <= 0) ++wrong;
      if (i == 150 && seed == 0) serializer.invalidate();
    }
  };
  std::thread a(work, 0), b(work, 1);
  a.join();
  b.join();
  CHECK(wrong == 0);
}

TEST_CASE_METHOD(Fixture, "A content is parsed once, whichever topics use it", "[serializer]") {
  Serializer serializer(client, registering());
  const Schema a = serializer.schema("a");
  const Schema b = serializer.schema("b");
  REQUIRE(a.registered().content_id == b.registered().content_id);
  CHECK(a.get() == b.get());
  CHECK(a.registered().artifact_id == "a-value");
}

TEST_CASE_METHOD(Fixture, "A copied or moved Serialized views its own header", "[serializer]") {
  SerializerOptions o = registering();
  o.placement = IdPlacement::headers;
  Serializer serializer(client, o);
  Serialized out;
  serializer.serialize_json("orders", kUserJson, out);
  Serialized copy = out;
  Serialized moved = std::move(out);
  for (const Serialized* s : {&copy, &moved}) {
    REQUIRE(s->headers().size() == 1);
    CHECK(s->headers().begin()->value.data() == s->header().value.data());
    CHECK(s->headers().begin()->name == "apicurio.value.contentId");
  }
}

TEST_CASE_METHOD(Fixture, "Values of a schema object other than the topic's are checked each",
                 "[serializer]") {
  Serializer serializer(client, registering());
  Serialized out;
  serializer.serialize_json("orders", kUserJson, out);
  const std::string one = out.bytes;
  const std::string other_schema =
      R"({"type":"record","name":"Other","fields":[{"name":"x","type":"int"}]})";
  // An equal copy, twice; another equal copy; an unequal schema; the first copy again.
  Value first(Schema::parse(kUser));
  from_json(kUserJson, first.get());
  Value second(Schema::parse(kUser));
  from_json(kUserJson, second.get());
  Value other(Schema::parse(other_schema));
  for (int i = 0; i < 2; ++i) {
    out.clear();
    serializer.serialize("orders", first.get(), out);
    CHECK(out.bytes == one);
  }
  out.clear();
  serializer.serialize("orders", second.get(), out);
  CHECK(out.bytes == one);
  CHECK_THROWS_AS(serializer.serialize("orders", other.get(), out), RecordMismatchError);
  CHECK(out.bytes == one);
  out.clear();
  serializer.serialize("orders", first.get(), out);
  CHECK(out.bytes == one);

  // A schema freed after an equal one was used: an unequal schema made next, perhaps at
  // the same address, is still refused.
  for (int i = 0; i < 20; ++i) {
    {
      Value equal(Schema::parse(kUser));
      from_json(kUserJson, equal.get());
      out.clear();
      serializer.serialize("orders", equal.get(), out);
      CHECK(out.bytes == one);
    }
    Value unequal(Schema::parse(other_schema));
    CHECK_THROWS_AS(serializer.serialize("orders", unequal.get(), out), RecordMismatchError);
  }
}
