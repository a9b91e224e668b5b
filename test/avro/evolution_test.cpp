// Schema resolution of the Avro 1.11 specification between the registry's writer schema
// and the Deserializer's reader schema: defaults, aliases, promotions, enums and unions.
// The expected JSON is what Java's decoder (GenericDatumReader with the two schemas, then
// the JSON encoder) produces for the same record, written out by hand.
#include "client_fixture.hpp"

#include <apicurio/avro.hpp>

#include <catch2/catch.hpp>

#include <atomic>
#include <string>
#include <thread>

using namespace apicurio;
using namespace apicurio::avro;

namespace {

struct Fixture : testing::ClientFixture {
  RegistryClient client{options()};

  // Registers `schema` under `topic`-value and serializes `json` with it.
  Serialized write(const std::string& schema, const std::string& json,
                   const std::string& topic = "evolve") {
    SerializerOptions o;
    o.choice = SchemaChoice::auto_register;
    o.schema = schema;
    Serialized out;
    Serializer(client, o).serialize_json(topic, json, out);
    return out;
  }
};

DeserializerOptions reading(const std::string& reader) {
  DeserializerOptions o;
  o.reader_schema = reader;
  return o;
}

// The record as JSON through both outputs, which must agree.
std::string read(Deserializer& d, const Serialized& s) {
  std::string json;
  d.deserialize_json(s.bytes, s.headers(), json);
  Value value;
  d.deserialize(s.bytes, s.headers(), value);
  std::string from_value;
  to_json(value.get(), from_value);
  CHECK(from_value == json);
  return json;
}

std::string record(const std::string& name, const std::string& fields) {
  return R"({"type":"record","name":")" + name + R"(","namespace":"com.example","fields":[)" +
         fields + "]}";
}

const std::string kIdOnly = record("R", R"({"name":"id","type":"int"})");

}  // namespace

TEST_CASE_METHOD(Fixture, "Fields the reader adds take their defaults, for every type",
                 "[evolution][defaults]") {
  const Serialized s = write(kIdOnly, R"({"id":1})");
  const std::string reader = record("R", R"({"name":"id","type":"int"},
    {"name":"n","type":"null","default":null},
    {"name":"b","type":"boolean","default":true},
    {"name":"i","type":"int","default":7},
    {"name":"l","type":"long","default":8000000000},
    {"name":"f","type":"float","default":1.5},
    {"name":"d","type":"double","default":2.25},
    {"name":"s","type":"string","default":"h\u00e9"},
    {"name":"y","type":"bytes","default":"\u00ff\u0000"},
    {"name":"x","type":{"type":"fixed","name":"F","size":2},"default":"ab"},
    {"name":"e","type":{"type":"enum","name":"E","symbols":["A","B"]},"default":"B"},
    {"name":"a","type":{"type":"array","items":"int"},"default":[1,2]},
    {"name":"m","type":{"type":"map","values":"long"},"default":{"k":3}},
    {"name":"r","type":{"type":"record","name":"Inner","fields":[
      {"name":"z","type":"int"},{"name":"u","type":["null","int"]},
      {"name":"v","type":["int","null"]}]},"default":{"z":1,"u":null,"v":5}},
    {"name":"u1","type":["null","string"],"default":null},
    {"name":"u2","type":["string","null"],"default":"x"},
    {"name":"dec","type":{"type":"bytes","logicalType":"decimal","precision":4,"scale":2},
     "default":"\u0001\u0000"},
    {"name":"ts","type":{"type":"long","logicalType":"timestamp-millis"},
     "default":1700000000000},
    {"name":"again","type":"Inner","default":{"z":2,"u":null,"v":6}},
    {"name":"partial","type":{"type":"record","name":"Part","fields":[{"name":"p","type":"int"},
      {"name":"q","type":"string","default":"dflt"}]},"default":{"p":3}})");
  Deserializer d(client, reading(reader));
  const std::string expected =
      R"({"id":1,"n":null,"b":true,"i":7,"l":8000000000,"f":1.5,"d":2.25,"s":"hé",)"
      R"("y":"\u00ff\u0000","x":"ab","e":"B","a":[1,2],"m":{"k":3},)"
      R"("r":{"z":1,"u":null,"v":{"int":5}},"u1":null,"u2":{"string":"x"},)"
      R"("dec":"\u0001\u0000","ts":1700000000000,"again":{"z":2,"u":null,"v":{"int":6}},)"
      R"("partial":{"p":3,"q":"dflt"}})";
  CHECK(read(d, s) == expected);
  // Again: the value is reused, and the defaults are not consumed by the first record.
  CHECK(read(d, s) == expected);
}

TEST_CASE_METHOD(Fixture, "An added field without a default fails once, naming its path",
                 "[evolution][defaults]") {
  const std::string type_v1 = R"({"type":"record","name":"Address","fields":[)"
                              R"({"name":"street","type":"string"}]})";
  const std::string type_v2 =
      R"({"type":"record","name":"Address","fields":[)"
      R"({"name":"street","type":"string"},{"name":"zip","type":"string"}]})";
  const std::string address_v1 = R"({"name":"address","type":)" + type_v1 + "}";
  const std::string address_v2 = R"({"name":"address","type":)" + type_v2 + "}";
  const Serialized old = write(record("R", R"({"name":"id","type":"int"},)" + address_v1),
                               R"({"id":1,"address":{"street":"Main"}})");
  const Serialized now = write(record("R", R"({"name":"id","type":"int"},)" + address_v2),
                               R"({"id":2,"address":{"street":"Elm","zip":"123"}})");
  Deserializer d(client, reading(record("R", R"({"name":"id","type":"int"},)" + address_v2)));
  for (int i = 0; i < 2; ++i) {
    try {
      read(d, old);
      FAIL("no error");
    } catch (const AvroSchemaError& e) {
      CHECK(e.avro_message().find("$.address.zip") != std::string::npos);
      CHECK(e.avro_message().find("default") != std::string::npos);
    }
  }
  CHECK_THROWS_AS(d.prepare(old.bytes).get(), AvroSchemaError);
  // Inside a union, the error is for the records that hold that branch, naming the field.
  const Serialized nullable =
      write(record("N", R"({"name":"a","type":["null",)" + type_v1 + "]}"),
            R"({"a":{"com.example.Address":{"street":"Main"}}})", "nullable");
  Deserializer in_union(client,
                        reading(record("N", R"({"name":"a","type":["null",)" + type_v2 + "]}")));
  try {
    read(in_union, nullable);
    FAIL("no error");
  } catch (const RecordMismatchError& e) {
    CHECK(e.path() == "$.a");
    CHECK(std::string(e.what()).find("$.a.zip") != std::string::npos);
  }
  const Serialized null_a = write(record("N", R"({"name":"a","type":["null",)" + type_v1 + "]}"),
                                  R"({"a":null})", "nullable");
  CHECK(read(in_union, null_a) == R"({"a":null})");
  CHECK(read(d, now) == R"({"id":2,"address":{"street":"Elm","zip":"123"}})");
}

TEST_CASE_METHOD(Fixture, "Aliases rename fields, records, enums and fixed types",
                 "[evolution][aliases]") {
  const Serialized s =
      write(record("User", R"({"name":"id","type":"int"},{"name":"gone","type":"string"},
        {"name":"c","type":{"type":"enum","name":"Colour","symbols":["RED","GREEN"]}},
        {"name":"h","type":{"type":"fixed","name":"Hash","size":1}})"),
            R"({"id":42,"gone":"x","c":"GREEN","h":"z"})");
  // A record renamed (full-name alias), a field renamed, an enum renamed with its symbols
  // reordered (matched by symbol, not index), a fixed renamed (alias relative to the
  // namespace).
  Deserializer d(client, reading(R"({"type":"record","name":"Person","namespace":"com.example",
    "aliases":["com.example.User"],"fields":[{"name":"id","type":"int"},
    {"name":"renamed","aliases":["gone"],"type":"string"},
    {"name":"c","type":{"type":"enum","name":"Color","aliases":["Colour"],
      "symbols":["GREEN","RED"]}},
    {"name":"h","type":{"type":"fixed","name":"Digest","aliases":["Hash"],"size":1}}]})"));
  CHECK(read(d, s) == R"({"id":42,"renamed":"x","c":"GREEN","h":"z"})");

  // Without the alias, a renamed record does not resolve.
  Deserializer bare(client, reading(record("Person", R"({"name":"id","type":"int"})")));
  CHECK_THROWS_AS(read(bare, s), AvroSchemaError);
  // The specification matches unqualified names: another namespace resolves.
  Deserializer other_ns(
      client,
      reading(
          R"({"type":"record","name":"User","namespace":"org.other","fields":[{"name":"id","type":"long"}]})"));
  CHECK(read(other_ns, s) == R"({"id":42})");
  // An alias matches unqualified too: the writer's User has no namespace here.
  const Serialized bare_writer =
      write(R"({"type":"record","name":"User","fields":[{"name":"id","type":"int"}]})",
            R"({"id":7})", "bare");
  Deserializer aliased(
      client,
      reading(
          record("Person", R"({"name":"id","type":"int"})").insert(1, R"("aliases":["User"],)")));
  CHECK(read(aliased, bare_writer) == R"({"id":7})");
}

TEST_CASE("A schema whose default holds the escape \\u0000 parses", "[evolution][defaults]") {
  // avro-c's JSON parser refuses \u0000; an escaped backslash before u0000 is no NUL.
  const Schema schema = Schema::parse(R"({"type":"record","name":"R","doc":"\\u0000","fields":[)"
                                      R"({"name":"b","type":"bytes","default":"\u0000\u00ff"}]})");
  CHECK(avro_schema_record_size(schema.get()) == 1);
}

TEST_CASE_METHOD(Fixture, "Fields the reader lacks are skipped, nested ones too", "[evolution]") {
  const Serialized s =
      write(record("R", R"({"name":"id","type":"int"},
        {"name":"address","type":{"type":"record","name":"Address","fields":[
          {"name":"street","type":"string"},{"name":"zip","type":"string"},
          {"name":"tags","type":{"type":"array","items":"string"}}]}},
        {"name":"extra","type":{"type":"map","values":"Address"}})"),
            R"({"id":1,"address":{"street":"Main","zip":"9","tags":["a"]},"extra":{}})");
  Deserializer d(client, reading(record("R", R"({"name":"address","type":{"type":"record",
    "name":"Address","fields":[{"name":"street","type":"string"}]}})")));
  CHECK(read(d, s) == R"({"address":{"street":"Main"}})");
}

TEST_CASE_METHOD(Fixture, "Promotions, also inside arrays, maps and unions", "[evolution]") {
  const Serialized s = write(record("R", R"({"name":"i","type":"int"},{"name":"j","type":"int"},
      {"name":"l","type":"long"},{"name":"f","type":"float"},{"name":"s","type":"string"},
      {"name":"y","type":"bytes"},{"name":"ai","type":{"type":"array","items":"int"}},
      {"name":"ml","type":{"type":"map","values":"long"}},
      {"name":"us","type":["null","string"]})"),
                             R"({"i":3,"j":4,"l":5,"f":1.5,"s":"ab","y":"hi","ai":[1,2],)"
                             R"("ml":{"a":7},"us":{"string":"q"}})");
  Deserializer d(client, reading(record("R", R"({"name":"i","type":"double"},
      {"name":"j","type":"long"},{"name":"l","type":"float"},{"name":"f","type":"double"},
      {"name":"s","type":"bytes"},{"name":"y","type":"string"},
      {"name":"ai","type":{"type":"array","items":"long"}},
      {"name":"ml","type":{"type":"map","values":"double"}},
      {"name":"us","type":["null","bytes"]})")));
  CHECK(read(d, s) == R"({"i":3.0,"j":4,"l":5.0,"f":1.5,"s":"ab","y":"hi","ai":[1,2],)"
                      R"("ml":{"a":7.0},"us":{"bytes":"q"}})");
}

TEST_CASE_METHOD(Fixture, "An enum symbol the reader lacks takes the reader's default",
                 "[evolution][enum]") {
  const std::string writer = record(
      "R",
      R"({"name":"c","type":{"type":"enum","name":"Color","symbols":["RED","GREEN","BLUE"]}})");
  const Serialized blue = write(writer, R"({"c":"BLUE"})");
  const Serialized green = write(writer, R"({"c":"GREEN"})");
  Deserializer with_default(client, reading(record("R", R"({"name":"c","type":{"type":"enum",
    "name":"Color","symbols":["GREEN","RED"],"default":"RED"}})")));
  CHECK(read(with_default, blue) == R"({"c":"RED"})");
  CHECK(read(with_default, green) == R"({"c":"GREEN"})");

  Deserializer without(client, reading(record("R", R"({"name":"c","type":{"type":"enum",
    "name":"Color","symbols":["GREEN","RED"]}})")));
  try {
    read(without, blue);
    FAIL("no error");
  } catch (const RecordMismatchError& e) {
    CHECK(e.path() == "$.c");
    CHECK(std::string(e.what()).find("BLUE") != std::string::npos);
  }
  CHECK(read(without, green) == R"({"c":"GREEN"})");
}

TEST_CASE_METHOD(Fixture, "Unions evolve to and from unions", "[evolution][union]") {
  const Serialized nullable_int =
      write(record("R", R"({"name":"u","type":["null","int"]})"), R"({"u":{"int":4}})");
  Deserializer to_long(client, reading(record("R", R"({"name":"u","type":["null","long"]})")));
  CHECK(read(to_long, nullable_int) == R"({"u":{"long":4}})");

  const Serialized plain_int = write(record("R", R"({"name":"u","type":"int"})"), R"({"u":5})");
  CHECK(read(to_long, plain_int) == R"({"u":{"long":5}})");
  // Java picks the branch of the same type before a promotion, whatever the order.
  Deserializer exact(client, reading(record("R", R"({"name":"u","type":["long","int"]})")));
  CHECK(read(exact, plain_int) == R"({"u":{"int":5}})");

  const std::string nullable_string = record("R", R"({"name":"u","type":["null","string"]})");
  const Serialized some = write(nullable_string, R"({"u":{"string":"a"}})");
  const Serialized none = write(nullable_string, R"({"u":null})");
  Deserializer to_string(client, reading(record("R", R"({"name":"u","type":"string"})")));
  CHECK(read(to_string, some) == R"({"u":"a"})");
  try {
    read(to_string, none);
    FAIL("no error");
  } catch (const RecordMismatchError& e) {
    CHECK(e.path() == "$.u");
    CHECK(std::string(e.what()).find("null") != std::string::npos);
  }
  CHECK(read(to_string, some) == R"({"u":"a"})");
}

TEST_CASE_METHOD(Fixture, "A reader schema with a bad default fails at construction",
                 "[evolution][defaults]") {
  CHECK_THROWS_AS(Deserializer(client, reading(R"({"type":"record","name":"R","fields":[)")),
                  AvroSchemaError);
  const std::string wrong_type =
      record("R", R"({"name":"id","type":"int"},{"name":"n","type":"int","default":"x"})");
  try {
    Deserializer d(client, reading(wrong_type));
    FAIL("no error");
  } catch (const AvroSchemaError& e) {
    CHECK(e.avro_message().find("$.n") != std::string::npos);
  }
  // A union's default is for its first branch.
  CHECK_THROWS_AS(Deserializer(client, reading(record("R", R"({"name":"u",
    "type":["null","string"],"default":"x"})"))),
                  AvroSchemaError);
  CHECK_THROWS_AS(Deserializer(client, reading(record("R", R"({"name":"c","type":{"type":"enum",
    "name":"C","symbols":["A"],"default":"B"}})"))),
                  AvroSchemaError);
}

TEST_CASE_METHOD(Fixture, "Two threads resolve two writer versions to one reader schema",
                 "[evolution][threads]") {
  const Serialized v1 = write(kIdOnly, R"({"id":1})");
  const Serialized v2 =
      write(record("R", R"({"name":"id","type":"int"},{"name":"name","type":"string"})"),
            R"({"id":2,"name":"Bo"})");
  Deserializer d(client, reading(record("R", R"({"name":"id","type":"long"},
    {"name":"name","type":"string","default":"?"})")));
  std::atomic<int> wrong{0};
  auto work = [&](int offset) {
    Value value;
    std::string json;
    for (int i = 0; i < 300; ++i) {
      const bool first = (i + offset) % 2 == 0;
      json.clear();
      d.deserialize_json(first ? v1.bytes : v2.bytes, {}, json);
      if (json != (first ? R"({"id":1,"name":"?"})" : R"({"id":2,"name":"Bo"})")) ++wrong;
      d.deserialize(first ? v2.bytes : v1.bytes, {}, value);
      json.clear();
      to_json(value.get(), json);
      if (json != (first ? R"({"id":2,"name":"Bo"})" : R"({"id":1,"name":"?"})")) ++wrong;
    }
  };
  std::thread a(work, 0), b(work, 1);
  a.join();
  b.join();
  CHECK(wrong == 0);
}

TEST_CASE_METHOD(Fixture, "Recursive records resolve, each level taking the defaults",
                 "[evolution][defaults]") {
  const Serialized s =
      write(record("Node", R"({"name":"v","type":"int"},{"name":"next","type":["null","Node"]})"),
            R"({"v":1,"next":{"com.example.Node":{"v":2,"next":null}}})");
  Deserializer d(client, reading(record("Node", R"({"name":"v","type":"long"},
    {"name":"next","type":["null","Node"]},{"name":"w","type":"int","default":0})")));
  CHECK(read(d, s) == R"({"v":1,"next":{"com.example.Node":{"v":2,"next":null,"w":0}},"w":0})");
  // A fixed of another size does not resolve.
  const Serialized f = write(
      record("R", R"({"name":"h","type":{"type":"fixed","name":"H","size":1}})"), R"({"h":"a"})");
  Deserializer other_size(
      client, reading(record("R", R"({"name":"h","type":{"type":"fixed","name":"H","size":2}})")));
  CHECK_THROWS_AS(read(other_size, f), AvroSchemaError);
}

TEST_CASE_METHOD(Fixture, "A linked list reader schema with defaults reads the writer's list",
                 "[evolution][defaults]") {
  const std::string list = R"({"type":"record","name":"LongList","fields":[
    {"name":"value","type":"long"},{"name":"next","type":["null","LongList"]}]})";
  const Serialized s =
      write(list, R"({"value":1,"next":{"LongList":{"value":2,"next":null}}})", "lists");
  Deserializer d(client, reading(R"({"type":"record","name":"LongList","fields":[
    {"name":"value","type":"long"},{"name":"next","type":["null","LongList"],"default":null},
    {"name":"label","type":"string","default":"-"}]})"));
  CHECK(read(d, s) ==
        R"({"value":1,"next":{"LongList":{"value":2,"next":null,"label":"-"}},"label":"-"})");
}
