// Which (writer, reader) pairs keep avro-c's resolved writer (Resolution::plain) and which
// take the plan: avro-c gets enum symbols at other indexes, aliases, defaults, string<->bytes
// and Java's union branch choice wrong or not at all.
#include "../../lib/avro/resolution.hpp"

#include <catch2/catch.hpp>

#include <memory>
#include <string>

using namespace apicurio::avro;

namespace {

std::string record(const std::string& fields) {
  return R"({"type":"record","name":"R","namespace":"n","fields":[)" + fields + "]}";
}

bool plain(const std::string& writer, const std::string& reader) {
  const Schema w = Schema::parse(writer);
  auto meta = std::make_shared<const detail::ReaderSchema>(Schema::parse(reader), reader);
  const bool is_plain = detail::Resolution(meta, w.get(), "writer").plain();
  if (is_plain) {
    // avro-c must accept what the plan leaves to it.
    avro_value_iface_t* resolver = avro_resolved_writer_new(w.get(), meta->schema().get());
    REQUIRE(resolver != nullptr);
    avro_value_iface_decref(resolver);
  }
  return is_plain;
}

}  // namespace

TEST_CASE("Pairs avro-c resolves alike keep its resolved writer", "[resolution]") {
  const std::string ids = record(R"({"name":"id","type":"int"},{"name":"s","type":"string"})");
  CHECK(plain(ids, record(R"({"name":"id","type":"double"})")));
  CHECK(plain(ids, record(R"({"name":"id","type":["null","long"]})")));
  CHECK(plain(record(R"({"name":"u","type":["null","int"]})"),
              record(R"({"name":"u","type":["null","long"]})")));
  const std::string ab =
      record(R"({"name":"e","type":{"type":"enum","name":"E","symbols":["A","B"]}})");
  CHECK(plain(ab,
              record(R"({"name":"e","type":{"type":"enum","name":"E","symbols":["A","B","C"]}})")));
  // Every writer symbol must keep its index.
  CHECK_FALSE(
      plain(ab, record(R"({"name":"e","type":{"type":"enum","name":"E","symbols":["B","A"]}})")));
  CHECK_FALSE(plain(
      ab,
      record(R"({"name":"e","type":{"type":"enum","name":"E","symbols":["A"],"default":"A"}})")));
  // Defaults, aliases, renames, string <-> bytes, Java's branch choice, unmatched branches.
  CHECK_FALSE(
      plain(ids, record(R"({"name":"id","type":"int"},{"name":"x","type":"int","default":1})")));
  CHECK_FALSE(plain(ids, record(R"({"name":"key","aliases":["id"],"type":"int"})")));
  CHECK_FALSE(plain(ids, R"({"type":"record","name":"R","namespace":"m","fields":[]})"));
  CHECK_FALSE(plain(ids, record(R"({"name":"s","type":"bytes"})")));
  CHECK_FALSE(plain(ids, record(R"({"name":"id","type":["long","int"]})")));
  CHECK_FALSE(plain(record(R"({"name":"u","type":["null","string"]})"),
                    record(R"({"name":"u","type":"string"})")));
}

TEST_CASE("A pair that does not resolve says where", "[resolution]") {
  try {
    plain(record(R"({"name":"id","type":"string"})"), record(R"({"name":"id","type":"int"})"));
    FAIL("no error");
  } catch (const AvroSchemaError& e) {
    CHECK(e.artifact() == "writer");
    CHECK(e.avro_message().find("$.id") != std::string::npos);
  }
}

TEST_CASE("A recursive pair that fails inside a union trial leaves no half-built plan",
          "[resolution]") {
  // Resolving a's Node to the reader's Node (which adds z without a default) resolves Inner
  // on the way, then fails; a then takes Alt. b's Inner must not reuse the Inner plan that
  // points back at the failed Node plan.
  const std::string writer = R"({"type":"record","name":"Top","namespace":"n","fields":[
    {"name":"a","type":{"type":"record","name":"Node","fields":[{"name":"v","type":"int"},
      {"name":"inner","type":{"type":"record","name":"Inner","fields":[
        {"name":"back","type":["null","Node"]}]}}]}},
    {"name":"b","type":"Inner"}]})";
  const std::string reader = R"({"type":"record","name":"Top","namespace":"n","fields":[
    {"name":"a","type":[{"type":"record","name":"Node","fields":[{"name":"v","type":"int"},
      {"name":"inner","type":{"type":"record","name":"Inner","fields":[
        {"name":"back","type":["null","Node"]}]}},{"name":"z","type":"int"}]},
      {"type":"record","name":"Alt","aliases":["Node"],"fields":[{"name":"v","type":"int"}]}]},
    {"name":"b","type":"Inner"}]})";
  const Schema w = Schema::parse(writer);
  auto meta = std::make_shared<const detail::ReaderSchema>(Schema::parse(reader), reader);
  const detail::Resolution plan(meta, w.get(), "writer");
  Value written(w), read(meta->schema());
  from_json(R"({"a":{"v":1,"inner":{"back":null}},"b":{"back":null}})", written.get());
  plan.copy(written.get(), read.get());
  std::string json;
  to_json(read.get(), json);
  CHECK(json == R"({"a":{"n.Alt":{"v":1}},"b":{"back":null}})");
  from_json(R"({"a":{"v":1,"inner":{"back":null}},)"
            R"("b":{"back":{"n.Node":{"v":2,"inner":{"back":null}}}}})",
            written.get());
  avro_value_reset(&read.get());
  try {
    plan.copy(written.get(), read.get());
    FAIL("no error");
  } catch (const RecordMismatchError& e) {
    CHECK(e.path() == "$.b.back");
    CHECK(std::string(e.what()).find("$.b.back.z") != std::string::npos);
  }
}

namespace {

// `json` written with `writer`, read with `reader` along the plan, as JSON.
std::string resolved(const std::string& writer, const std::string& json,
                     const std::string& reader) {
  const Schema w = Schema::parse(writer);
  auto meta = std::make_shared<const detail::ReaderSchema>(Schema::parse(reader), reader);
  const detail::Resolution plan(meta, w.get(), "writer");
  Value written(w), read(meta->schema());
  from_json(json, written.get());
  plan.copy(written.get(), read.get());
  std::string out;
  to_json(read.get(), out);
  return out;
}

}  // namespace

TEST_CASE("A recursive reader schema has defaults on the fields that refer to itself",
          "[resolution]") {
  // The specification's linked list, with defaults: the field's type refers to the record
  // that encloses it, which avro-c cannot make values of alone.
  const std::string writer = R"({"type":"record","name":"Node","fields":[
    {"name":"v","type":"int"},{"name":"next","type":["null","Node"]}]})";
  const std::string reader = R"({"type":"record","name":"Node","fields":[
    {"name":"v","type":"long"},{"name":"next","type":["null","Node"],"default":null},
    {"name":"kids","type":{"type":"array","items":"Node"},"default":[]},
    {"name":"tag","type":"string","default":"t"}]})";
  CHECK(resolved(writer, R"({"v":1,"next":{"Node":{"v":2,"next":null}}})", reader) ==
        R"({"v":1,"next":{"Node":{"v":2,"next":null,"kids":[],"tag":"t"}},"kids":[],"tag":"t"})");
  // The writer lacks `next`: its default is taken at every level.
  const std::string lone =
      R"({"type":"record","name":"Node","fields":[{"name":"v","type":"int"}]})";
  CHECK(resolved(lone, R"({"v":3})", reader) == R"({"v":3,"next":null,"kids":[],"tag":"t"})");
  // A record default that leaves out the recursive field takes that field's default.
  const std::string holder = R"({"type":"record","name":"H","fields":[
    {"name":"first","type":{"type":"record","name":"Node","fields":[{"name":"v","type":"int"},
      {"name":"next","type":["null","Node"],"default":null}]}},
    {"name":"head","type":"Node","default":{"v":7}}]})";
  const std::string holder_writer = R"({"type":"record","name":"H","fields":[
    {"name":"first","type":{"type":"record","name":"Node","fields":[{"name":"v","type":"int"}]}}]})";
  CHECK(resolved(holder_writer, R"({"first":{"v":1}})", holder) ==
        R"({"first":{"v":1,"next":null},"head":{"v":7,"next":null}})");
  // Nested inside an array, a map and a union of the reader's root.
  const std::string outer = R"({"type":"record","name":"Outer","fields":[
    {"name":"all","type":{"type":"array","items":{"type":"map","values":["null",
      {"type":"record","name":"Tree","fields":[
        {"name":"kids","type":{"type":"array","items":"Tree"},"default":[]},
        {"name":"up","type":["null","Outer"],"default":null}]}]}}}]})";
  const std::string outer_writer = R"({"type":"record","name":"Outer","fields":[
    {"name":"all","type":{"type":"array","items":{"type":"map","values":["null",
      {"type":"record","name":"Tree","fields":[]}]}}}]})";
  CHECK(resolved(outer_writer, R"({"all":[{"k":{"Tree":{}}}]})", outer) ==
        R"({"all":[{"k":{"Tree":{"kids":[],"up":null}}}]})");
}

TEST_CASE("An unqualified alias of a reader type without a namespace matches the writer's name",
          "[resolution]") {
  // As the alias "Old" of reader type n.New matches the writer's m.Old (alias n.Old).
  const std::string writer =
      R"({"type":"record","name":"Old","namespace":"m","fields":[{"name":"a","type":"int"}]})";
  const std::string reader =
      R"({"type":"record","name":"New","aliases":["Old"],"fields":[{"name":"a","type":"int"}]})";
  CHECK(resolved(writer, R"({"a":1})", reader) == R"({"a":1})");
  const std::string other =
      R"({"type":"record","name":"New","aliases":["Older"],"fields":[{"name":"a","type":"int"}]})";
  CHECK_THROWS_AS(resolved(writer, R"({"a":1})", other), AvroSchemaError);
}
