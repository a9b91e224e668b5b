// The payload check before avro-c decodes (lib/avro/payload.cpp) walks a form of the writer
// schema built once per schema and kept by each thread: recursive schemas, more schemas than
// a thread keeps, and a schema id whose schema changed between deserializers all read right.
#include "client_fixture.hpp"

#include <apicurio/avro.hpp>

#include <catch2/catch.hpp>

#include <string>
#include <thread>

using namespace apicurio;
using namespace apicurio::avro;

namespace {

struct Fixture : testing::ClientFixture {
  RegistryClient client{options()};

  Serialized write(const std::string& topic, const std::string& schema, const std::string& json) {
    SerializerOptions o;
    o.choice = SchemaChoice::auto_register;
    o.schema = schema;
    Serialized out;
    Serializer(client, o).serialize_json(topic, json, out);
    return out;
  }
};

// A record whose one field is a fixed of `size` bytes, so that a check that used another
// schema's sizes would find the payload truncated or too long.
std::string fixed_schema(int size) {
  return R"({"type":"record","name":"R)" + std::to_string(size) +
         R"(","fields":[{"name":"f","type":{"type":"fixed","name":"F","size":)" +
         std::to_string(size) + R"(}},{"name":"n","type":"long"}]})";
}

std::string fixed_json(int size) {
  return R"({"f":")" + std::string(static_cast<std::size_t>(size), 'x') + R"(","n":7})";
}

std::string read_json(Deserializer& d, const Serialized& s) {
  std::string out;
  d.deserialize_json(s.bytes, s.headers(), out);
  return out;
}

}  // namespace

TEST_CASE_METHOD(Fixture, "A recursive schema's payload is checked through its links",
                 "[payload]") {
  const std::string list = R"({"type":"record","name":"Node","fields":[{"name":"v","type":"int"},)"
                           R"({"name":"next","type":["null","Node"]},)"
                           R"({"name":"kids","type":{"type":"array","items":"Node"}}]})";
  const std::string json =
      R"({"v":1,"next":{"Node":{"v":2,"next":{"Node":{"v":3,"next":null,"kids":[]}},)"
      R"("kids":[{"v":4,"next":null,"kids":[]}]}},"kids":[]})";
  const Serialized good = write("lists", list, json);
  Deserializer d(client);
  CHECK(read_json(d, good) == json);
  for (std::size_t keep = 5; keep < good.bytes.size(); ++keep) {
    Serialized cut = good;
    cut.bytes.resize(keep);
    CHECK_THROWS_AS(read_json(d, cut), PayloadError);
  }
  // A union index past the branches, deep in the list.
  Serialized bad = good;
  bad.bytes[6] = '\x04';  // after the frame and v: next's branch, 2 of 2
  CHECK_THROWS_AS(read_json(d, bad), PayloadError);
}

TEST_CASE_METHOD(Fixture, "More writer schemas than a thread keeps read right, twice over",
                 "[payload]") {
  std::vector<Serialized> records;
  for (int size = 1; size <= 20; ++size) {
    records.push_back(write("t" + std::to_string(size), fixed_schema(size), fixed_json(size)));
  }
  Deserializer d(client);
  for (int pass = 0; pass < 2; ++pass) {
    for (int size = 1; size <= 20; ++size)
      CHECK(read_json(d, records[static_cast<std::size_t>(size - 1)]) == fixed_json(size));
  }
  // The same from another thread, which keeps its own.
  std::thread([&] {
    for (int size = 20; size >= 1; --size)
      CHECK(read_json(d, records[static_cast<std::size_t>(size - 1)]) == fixed_json(size));
  }).join();
}

TEST_CASE("An id whose schema differs in another registry reads with the new schema", "[payload]") {
  // Each registry numbers its contents from 1: the same id, a fixed of 4 bytes, then of 8.
  for (int size : {4, 8, 4}) {
    Fixture f;
    const Serialized s = f.write("orders", fixed_schema(size), fixed_json(size));
    Deserializer d(f.client);
    CHECK(read_json(d, s) == fixed_json(size));
    Serialized longer = s;
    longer.bytes += "x";
    CHECK_THROWS_AS(read_json(d, longer), PayloadError);
  }
}

TEST_CASE_METHOD(Fixture, "A linked list of 990 nodes decodes; past the depth limit it is refused",
                 "[payload]") {
  const std::string list = R"({"type":"record","name":"LongList","fields":[)"
                           R"({"name":"value","type":"long"},)"
                           R"({"name":"next","type":["null","LongList"]}]})";
  const Serialized one = write("lists", list, R"({"value":0,"next":null})");
  const std::int64_t id = read_frame(Framing::confluent4, one.bytes).id;
  // Built by hand: each node is value 0 (0x00) and the LongList branch (0x02), the last one
  // value 0 and the null branch.
  auto nodes = [&](std::size_t count) {
    std::string payload;
    for (std::size_t i = 1; i < count; ++i)
      payload += std::string("\x00\x02", 2);
    payload += std::string("\x00\x00", 2);
    std::string framed;
    append_frame(framed, Framing::confluent4, id, payload);
    return framed;
  };
  Deserializer d(client);
  Value value;
  d.deserialize(nodes(990), {}, value);
  std::string json;
  d.deserialize_json(nodes(990), {}, json);
  CHECK(json.size() > 990 * 20);
  try {
    d.deserialize(nodes(100000), {}, value);
    FAIL("a list 100000 deep was decoded");
  } catch (const PayloadError& e) {
    CHECK_THAT(e.what(), Catch::Contains("limit"));
  }
}
