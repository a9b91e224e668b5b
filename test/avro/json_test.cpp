// The Avro JSON encoding: JSON text to avro-c values and back, without a registry.
#include <apicurio/avro.hpp>

#include <catch2/catch.hpp>

#include <string>

using namespace apicurio::avro;

namespace {

const char* kEverything =
    R"({"type":"record","name":"Everything","namespace":"com.example","fields":[
  {"name":"n","type":"null"},
  {"name":"b","type":"boolean"},
  {"name":"i","type":"int"},
  {"name":"l","type":"long"},
  {"name":"f","type":"float"},
  {"name":"d","type":"double"},
  {"name":"s","type":"string"},
  {"name":"by","type":"bytes"},
  {"name":"fx","type":{"type":"fixed","name":"Four","size":4}},
  {"name":"e","type":{"type":"enum","name":"Color","symbols":["RED","GREEN"]}},
  {"name":"a","type":{"type":"array","items":"int"}},
  {"name":"m","type":{"type":"map","values":"string"}},
  {"name":"address","type":{"type":"record","name":"Address","fields":[{"name":"zip","type":"int"}]}},
  {"name":"u","type":["null","string","Address"]}
]})";

const char* kEverythingJson =
    R"({"n":null,"b":true,"i":-7,"l":9007199254740993,"f":1.5,"d":-0.1,"s":"h\u00e9 \"q\"\n",)"
    R"("by":"\u0000\u00ff\u0080A","fx":"\u0001\u0002\u0003\u0004","e":"GREEN","a":[1,2,3],)"
    R"("m":{"k":"v","":"empty"},"address":{"zip":12345},"u":{"com.example.Address":{"zip":1}}})";

std::string round_trip(const Schema& schema, const std::string& json) {
  Value value(schema);
  from_json(json, value.get());
  std::string out;
  to_json(value.get(), out);
  return out;
}

std::string mismatch(const Schema& schema, const std::string& json) {
  Value value(schema);
  try {
    from_json(json, value.get());
  } catch (const RecordMismatchError& e) {
    return e.what();
  }
  return "no error";
}

}  // namespace

TEST_CASE("JSON of every Avro type reads into a value and prints back the same", "[json]") {
  const Schema schema = Schema::parse(kEverything);
  const std::string once = round_trip(schema, kEverythingJson);
  CHECK(round_trip(schema, once) == once);
  CHECK(once.find(R"("u":{"com.example.Address":{"zip":1}})") != std::string::npos);
  CHECK(once.find(R"("by":"\u0000\u00ffA")") == std::string::npos);
  CHECK(once.find(R"("by":"\u0000\u00ff\u0080A")") != std::string::npos);
  CHECK(once.find(R"("l":9007199254740993)") != std::string::npos);
  CHECK(once.find(R"("s":"hé \"q\"\u000a")") != std::string::npos);

  Value value(schema);
  from_json(kEverythingJson, value.get());
  avro_value_t field;
  REQUIRE(avro_value_get_by_name(&value.get(), "by", &field, nullptr) == 0);
  const void* bytes = nullptr;
  std::size_t size = 0;
  REQUIRE(avro_value_get_bytes(&field, &bytes, &size) == 0);
  CHECK(std::string(static_cast<const char*>(bytes), size) == std::string("\0\xff\x80"
                                                                          "A",
                                                                          4));
}

TEST_CASE("A union's null, primitive and named branches, and NaN and infinities", "[json]") {
  const Schema schema = Schema::parse(
      R"({"type":"record","name":"R","fields":[{"name":"u","type":["null","long","string"]},)"
      R"({"name":"d","type":"double"},{"name":"f","type":"float"}]})");
  CHECK(round_trip(schema, R"({"u":null,"d":"NaN","f":"-Infinity"})") ==
        R"({"u":null,"d":"NaN","f":"-Infinity"})");
  CHECK(round_trip(schema, R"({"u":{"long":5},"d":"Infinity","f":2})") ==
        R"({"u":{"long":5},"d":"Infinity","f":2.0})");
  CHECK(round_trip(schema, R"({"u":{"string":"x"},"d":0.1,"f":0.1})") ==
        R"({"u":{"string":"x"},"d":0.1,"f":0.1})");
  // Found by the fuzzer: "-0" would read back as the integer 0 and lose the sign.
  CHECK(round_trip(schema, R"({"u":null,"d":-0.0,"f":1e20})") ==
        R"({"u":null,"d":-0.0,"f":1e+20})");
}

TEST_CASE("avro-c's own printer names union branches by their short name", "[json]") {
  // Why to_json is ours: the Avro JSON encoding names a branch by its full name.
  const Schema schema = Schema::parse(kEverything);
  Value value(schema);
  from_json(kEverythingJson, value.get());
  char* printed = nullptr;
  REQUIRE(avro_value_to_json(&value.get(), 1, &printed) == 0);
  const std::string theirs(printed);
  free(printed);
  CHECK(theirs.find(R"("com.example.Address")") == std::string::npos);
  std::string ours;
  to_json(value.get(), ours);
  CHECK(ours.find(R"("com.example.Address")") != std::string::npos);
}

TEST_CASE("A record that does not match names the field path and what was expected", "[json]") {
  const Schema schema = Schema::parse(kEverything);
  auto with = [](const std::string& from, const std::string& to) {
    std::string json = kEverythingJson;
    json.replace(json.find(from), from.size(), to);
    return json;
  };
  CHECK(mismatch(schema, with(R"("zip":12345)", R"("zip":"12345")")) ==
        "$.address.zip: expected int, got string");
  CHECK(mismatch(schema, with(R"("i":-7)", R"("i":2147483648)")) ==
        "$.i: expected int, got 2147483648 (out of range)");
  CHECK(mismatch(schema, with(R"("i":-7)", R"("i":1.5)")).rfind("$.i: expected int", 0) == 0);
  CHECK(mismatch(schema, with("[1,2,3]", R"([1,"two",3])")) == "$.a[1]: expected int, got string");
  CHECK(mismatch(schema, with(R"("k":"v")", R"("k":1)")) == "$.m.k: expected string, got number");
  CHECK(mismatch(schema, with(R"("e":"GREEN")", R"("e":"BLUE")")) ==
        "$.e: \"BLUE\" is not a symbol of enum Color");
  CHECK(mismatch(schema, with(R"("fx":"\u0001\u0002\u0003\u0004")", R"("fx":"abc")")) ==
        "$.fx: expected fixed Four of 4 bytes, got 3 bytes");
  CHECK(mismatch(schema, with(R"("by":"\u0000\u00ff\u0080A")", R"("by":"\u0100")"))
            .rfind("$.by: expected bytes (characters U+0000..U+00FF)", 0) == 0);
  CHECK(mismatch(schema, with(R"("u":{"com.example.Address":{"zip":1}})",
                              R"("u":{"Address":{"zip":1}})")) ==
        "$.u: union branch \"Address\" is not one of: null, string, com.example.Address");
  CHECK(mismatch(schema, with(R"("u":{"com.example.Address":{"zip":1}})", R"("u":"x")")) ==
        "$.u: expected a union as null or {\"branch type\": value}, got string");
  CHECK(mismatch(schema, with(R"("u":{"com.example.Address":{"zip":1}})",
                              R"("u":{"com.example.Address":{"zip":true}})")) ==
        "$.u.com.example.Address.zip: expected int, got boolean");
  CHECK(mismatch(schema, with(R"("n":null,)", "")) == "$.n: missing field");
  CHECK(mismatch(schema, with(R"("n":null,)", R"("n":null,"extra":1,)")) ==
        "$: field \"extra\" is not in record Everything");
  CHECK(mismatch(schema, "{").rfind("$: not JSON", 0) == 0);
  CHECK(mismatch(schema, "[]") == "$: expected record Everything, got array");
}

TEST_CASE("A schema avro-c cannot parse is an error naming it and avro-c's message", "[json]") {
  try {
    Schema::parse(R"({"type":"record","name":"R","fields":[{"name":"x","type":"nope"}]})",
                  "artifact orders-value");
    FAIL("no error");
  } catch (const AvroSchemaError& e) {
    CHECK(e.artifact() == "artifact orders-value");
    CHECK(!e.avro_message().empty());
    CHECK(std::string(e.what()).find("artifact orders-value") != std::string::npos);
  }
}

TEST_CASE("Values release their schema's class; moves leave an empty value", "[json]") {
  const Schema schema = Schema::parse(R"("string")");
  Value a(schema);
  REQUIRE(avro_value_set_string(&a.get(), "x") == 0);
  Value b(std::move(a));
  CHECK_FALSE(a.valid());  // NOLINT(bugprone-use-after-move): the moved-from state is specified
  CHECK(b.valid());
  CHECK(b.schema() == schema.get());
  a = std::move(b);
  CHECK(a.valid());
  std::string out;
  to_json(a.get(), out);
  CHECK(out == "\"x\"");
}

TEST_CASE("Strings that are not UTF-8 print as JSON, each bad sequence as U+FFFD", "[json]") {
  // avro-c decodes a string's bytes unchecked, and bytes promoted to string are any bytes:
  // printed as they are they would make the line invalid JSON. Java's decoder replaces
  // each maximal ill-formed subsequence with U+FFFD, as here.
  const Schema schema = Schema::parse(R"({"type":"record","name":"S","fields":[
    {"name":"s","type":"string"},{"name":"m","type":{"type":"map","values":"int"}}]})");
  Value value(schema);
  avro_value_t s, m, item;
  REQUIRE(avro_value_get_by_index(&value.get(), 0, &s, nullptr) == 0);
  REQUIRE(avro_value_get_by_index(&value.get(), 1, &m, nullptr) == 0);
  // A lone continuation byte, a truncated 3-byte sequence before 'A', an overlong, a
  // surrogate, a code point above U+10FFFF, then valid 2-, 3- and 4-byte characters.
  const std::string bad =
      "a\x80"
      "b\xe2\x82"
      "A\xc0\xaf\xed\xa0\x80\xf4\x90\x80\x80"
      "\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80";
  REQUIRE(avro_value_set_string_len(&s, bad.c_str(), bad.size() + 1) == 0);
  REQUIRE(avro_value_add(&m, "k\xff", &item, nullptr, nullptr) == 0);
  REQUIRE(avro_value_set_int(&item, 1) == 0);
  std::string out;
  to_json(value.get(), out);
  const std::string r = "\xef\xbf\xbd";
  CHECK(out == "{\"s\":\"a" + r + "b" + r + "A" + r + r + r + r + r + r + r + r + r +
                   "\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80\",\"m\":{\"k" + r + "\":1}}");
  // What is printed reads back.
  Value again(schema);
  from_json(out, again.get());
}
