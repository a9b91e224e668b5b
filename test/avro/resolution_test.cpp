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
