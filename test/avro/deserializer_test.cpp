// The deserializer against the emulator: ids read from frames and headers, reader schemas
// (the common cases; evolution_test.cpp has the rest), and malformed payloads.
#include "client_fixture.hpp"

#include <apicurio/avro.hpp>

#include <catch2/catch.hpp>

#include <atomic>
#include <string>
#include <thread>

using namespace apicurio;
using namespace apicurio::avro;
using namespace std::chrono_literals;

namespace {

const std::string kV1 =
    R"({"type":"record","name":"User","namespace":"com.example","fields":[)"
    R"({"name":"id","type":"int"},{"name":"name","type":"string"},{"name":"gone","type":"string"}]})";
const std::string kV1Json = R"({"id":42,"name":"Ada","gone":"x"})";

struct Fixture : testing::ClientFixture {
  RegistryClient client{options()};

  // Registers `schema` under orders-value and serializes `json` with it.
  Serialized write(const std::string& schema, const std::string& json,
                   IdPlacement placement = IdPlacement::confluent4,
                   IdKind kind = IdKind::content_id) {
    SerializerOptions o;
    o.choice = SchemaChoice::auto_register;
    o.schema = schema;
    o.placement = placement;
    o.id_kind = kind;
    Serialized out;
    Serializer(client, o).serialize_json("orders", json, out);
    return out;
  }
};

std::string read_json(Deserializer& d, const Serialized& s) {
  std::string out;
  d.deserialize_json(s.bytes, s.headers(), out);
  return out;
}

}  // namespace

TEST_CASE_METHOD(Fixture, "Records come back as values and as JSON, in every framing and id kind",
                 "[deserializer]") {
  for (IdPlacement placement :
       {IdPlacement::confluent4, IdPlacement::legacy8, IdPlacement::headers}) {
    for (IdKind kind : {IdKind::content_id, IdKind::global_id}) {
      const Serialized s = write(kV1, kV1Json, placement, kind);
      DeserializerOptions o;
      o.resolver.id_kind = kind;
      o.resolver.framing =
          placement == IdPlacement::legacy8 ? Framing::legacy8 : Framing::confluent4;
      Deserializer d(client, o);
      CHECK(read_json(d, s) == kV1Json);
      Value value;
      d.deserialize(s.bytes, s.headers(), value);
      avro_value_t id;
      REQUIRE(avro_value_get_by_name(&value.get(), "id", &id, nullptr) == 0);
      std::int32_t n = 0;
      REQUIRE(avro_value_get_int(&id, &n) == 0);
      CHECK(n == 42);
      // The value is reused for the next record of the same schema.
      const avro_value_t before = value.get();
      d.deserialize(s.bytes, s.headers(), value);
      CHECK(value.get().self == before.self);
    }
  }
}

TEST_CASE_METHOD(Fixture, "A reader schema drops fields and promotes types through avro-c",
                 "[deserializer][evolution]") {
  const Serialized s = write(kV1, kV1Json);
  DeserializerOptions o;
  o.reader_schema = R"({"type":"record","name":"User","namespace":"com.example","fields":[)"
                    R"({"name":"id","type":"double"},{"name":"name","type":"string"}]})";
  Deserializer d(client, o);
  CHECK(read_json(d, s) == R"({"id":42.0,"name":"Ada"})");
  Value value;
  d.deserialize(s.bytes, s.headers(), value);
  avro_value_t id;
  REQUIRE(avro_value_get_by_name(&value.get(), "id", &id, nullptr) == 0);
  CHECK(avro_value_get_type(&id) == AVRO_DOUBLE);

  // int -> long -> float as well.
  o.reader_schema =
      R"({"type":"record","name":"User","namespace":"com.example","fields":[{"name":"id","type":"long"}]})";
  Deserializer to_long(client, o);
  CHECK(read_json(to_long, s) == R"({"id":42})");
  o.reader_schema =
      R"({"type":"record","name":"User","namespace":"com.example","fields":[{"name":"id","type":"float"}]})";
  Deserializer to_float(client, o);
  CHECK(read_json(to_float, s) == R"({"id":42.0})");
}

TEST_CASE_METHOD(Fixture, "Truncated, trailing and garbage payloads fail clearly",
                 "[deserializer][malformed]") {
  const Serialized good = write(kV1, kV1Json);
  Deserializer d(client);
  std::string out;
  const std::string bytes = good.bytes;

  for (std::size_t keep = 5; keep < bytes.size(); ++keep) {
    CHECK_THROWS_AS(d.deserialize_json(bytes.substr(0, keep), {}, out), PayloadError);
  }
  try {
    d.deserialize_json(bytes + "x", {}, out);
    FAIL("no error");
  } catch (const PayloadError& e) {
    CHECK(std::string(e.what()).find("1 bytes follow") != std::string::npos);
  }
  // A string claiming 2^62 bytes, and a negative length.
  std::string huge = bytes.substr(0, 6) + "\xfe\xff\xff\xff\xff\xff\xff\xff\x7f";
  CHECK_THROWS_AS(d.deserialize_json(huge, {}, out), PayloadError);
  std::string negative = bytes.substr(0, 6) + "\x01";
  CHECK_THROWS_AS(d.deserialize_json(negative, {}, out), PayloadError);
  // Bad magic byte, too short for a frame, an id the registry does not have.
  CHECK_THROWS_AS(d.deserialize_json("\x01\x00\x00\x00\x01", {}, out), WireFormatError);
  CHECK_THROWS_AS(d.deserialize_json(std::string("\x00\x00", 2), {}, out), WireFormatError);
  CHECK_THROWS_AS(d.deserialize_json(std::string("\x00\x00\x00\x03\xe7", 5), {}, out),
                  SchemaNotFoundError);
  CHECK(out.empty());
  // The good record still reads after all that.
  d.deserialize_json(bytes, {}, out);
  CHECK(out == kV1Json);
}

TEST_CASE_METHOD(Fixture, "Arrays of items that take no bytes are bounded",
                 "[deserializer][malformed]") {
  const std::string schema =
      R"({"type":"record","name":"N","fields":[{"name":"a","type":{"type":"array","items":"null"}}]})";
  const Serialized good = write(schema, R"({"a":[null,null]})");
  Deserializer d(client);
  std::string out;
  d.deserialize_json(good.bytes, {}, out);
  CHECK(out == R"({"a":[null,null]})");
  // A block of 2^62 nulls, in 9 bytes.
  const std::string bomb =
      good.bytes.substr(0, 5) + "\xfe\xff\xff\xff\xff\xff\xff\xff\x7f" + std::string(1, '\0');
  CHECK_THROWS_AS(d.deserialize_json(bomb, {}, out), PayloadError);
}

TEST_CASE_METHOD(Fixture, "prepare warms the schema without blocking", "[deserializer]") {
  const Serialized s = write(kV1, kV1Json);
  Deserializer d(client);
  Future<Schema> writer = d.prepare(s.bytes, s.headers());
  REQUIRE(writer.wait_for(10s) == std::future_status::ready);
  CHECK(writer.get().registered().content_id == read_frame(Framing::confluent4, s.bytes).id);
  registry.clear_requests();
  CHECK(read_json(d, s) == kV1Json);
  CHECK(registry.requests().empty());
}

TEST_CASE_METHOD(Fixture, "A reader schema avro-c cannot parse fails at construction",
                 "[deserializer]") {
  DeserializerOptions o;
  o.reader_schema = "{";
  CHECK_THROWS_AS(Deserializer(client, o), AvroSchemaError);
  o.reader_schema.clear();
  o.max_schemas = 0;
  CHECK_THROWS_AS(Deserializer(client, o), std::invalid_argument);
}

TEST_CASE_METHOD(Fixture, "Two threads deserialize concurrently, with and without a reader schema",
                 "[deserializer][threads]") {
  const Serialized s = write(kV1, kV1Json);
  const Serialized h = write(kV1, kV1Json, IdPlacement::headers, IdKind::global_id);
  DeserializerOptions o;
  o.reader_schema =
      R"({"type":"record","name":"User","namespace":"com.example","fields":[{"name":"id","type":"long"}]})";
  Deserializer plain(client), resolving(client, o);
  std::atomic<int> wrong{0};
  auto work = [&] {
    Value value;
    std::string json;
    for (int i = 0; i < 300; ++i) {
      json.clear();
      plain.deserialize_json(i % 2 ? s.bytes : h.bytes, i % 2 ? HeaderView() : h.headers(), json);
      if (json != kV1Json) ++wrong;
      resolving.deserialize(s.bytes, {}, value);
      json.clear();
      to_json(value.get(), json);
      if (json != R"({"id":42})") ++wrong;
    }
  };
  std::thread a(work), b(work);
  a.join();
  b.join();
  CHECK(wrong == 0);
}
