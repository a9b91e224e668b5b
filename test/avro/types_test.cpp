// Round trips of every Avro type and logical type through the serializer and deserializer:
// both input forms (JSON text, avro-c value), every framing and id kind, and the payload
// equal to avro-c's own encoding.
#include "client_fixture.hpp"

#include <apicurio/avro.hpp>

#include <catch2/catch.hpp>

#include <string>

using namespace apicurio;
using namespace apicurio::avro;

namespace {

// Logical types ride on their underlying types (avro-c 1.11 has none of its own).
const std::string kAll = R"({"type":"record","name":"All","namespace":"com.example","fields":[
  {"name":"n","type":"null"},
  {"name":"b","type":"boolean"},
  {"name":"i","type":"int"},
  {"name":"l","type":"long"},
  {"name":"f","type":"float"},
  {"name":"d","type":"double"},
  {"name":"s","type":"string"},
  {"name":"by","type":"bytes"},
  {"name":"fx","type":{"type":"fixed","name":"Two","size":2}},
  {"name":"e","type":{"type":"enum","name":"Suit","symbols":["HEARTS","SPADES"]}},
  {"name":"a","type":{"type":"array","items":{"type":"map","values":"long"}}},
  {"name":"m","type":{"type":"map","values":["null","Two"]}},
  {"name":"rec","type":{"type":"record","name":"Inner","namespace":"other","fields":[{"name":"x","type":"int"}]}},
  {"name":"u","type":["null","string","other.Inner","com.example.Suit"]},
  {"name":"list","type":{"type":"record","name":"Node","fields":[{"name":"v","type":"int"},{"name":"next","type":["null","Node"]}]}},
  {"name":"dec_bytes","type":{"type":"bytes","logicalType":"decimal","precision":10,"scale":2}},
  {"name":"dec_fixed","type":{"type":"fixed","name":"Dec8","size":8,"logicalType":"decimal","precision":18,"scale":4}},
  {"name":"uuid","type":{"type":"string","logicalType":"uuid"}},
  {"name":"date","type":{"type":"int","logicalType":"date"}},
  {"name":"time_ms","type":{"type":"int","logicalType":"time-millis"}},
  {"name":"time_us","type":{"type":"long","logicalType":"time-micros"}},
  {"name":"ts_ms","type":{"type":"long","logicalType":"timestamp-millis"}},
  {"name":"ts_us","type":{"type":"long","logicalType":"timestamp-micros"}},
  {"name":"lts_ms","type":{"type":"long","logicalType":"local-timestamp-millis"}},
  {"name":"lts_us","type":{"type":"long","logicalType":"local-timestamp-micros"}}
]})";

// As to_json prints it, so that text in equals text out.
const std::string kAllJson =
    R"({"n":null,"b":false,"i":-2147483648,"l":9223372036854775807,"f":3.25,"d":1e+300,)"
    R"("s":"ünïcode","by":"\u0000\u0001\u00ff","fx":"\u00ab\u00cd","e":"SPADES",)"
    R"("a":[{"x":1},{}],"m":{"k":null,"j":{"com.example.Two":"AB"}},"rec":{"x":7},)"
    R"("u":{"other.Inner":{"x":8}},"list":{"v":1,"next":{"com.example.Node":{"v":2,"next":null}}},)"
    R"("dec_bytes":"\u0004\u00d2","dec_fixed":"\u0000\u0000\u0000\u0000\u0000\u0001\u00e2@",)"
    R"("uuid":"123e4567-e89b-12d3-a456-426614174000","date":19700,"time_ms":43200000,)"
    R"("time_us":43200000000,"ts_ms":1700000000000,"ts_us":1700000000000000,)"
    R"("lts_ms":1700000000000,"lts_us":-1})";

std::string avro_c_encoding(avro_value_t& value) {
  std::size_t size = 0;
  REQUIRE(avro_value_sizeof(&value, &size) == 0);
  std::string buf(size, '\0');
  avro_writer_t writer = avro_writer_memory(buf.data(), static_cast<std::int64_t>(size));
  REQUIRE(avro_value_write(writer, &value) == 0);
  avro_writer_free(writer);
  return buf;
}

}  // namespace

TEST_CASE("Every type and logical type round trips through JSON", "[types]") {
  Value value(Schema::parse(kAll));
  from_json(kAllJson, value.get());
  std::string out;
  to_json(value.get(), out);
  CHECK(out == kAllJson);
}

TEST_CASE_METHOD(testing::ClientFixture,
                 "Every type round trips in both input forms, every framing and id kind",
                 "[types]") {
  RegistryClient client(options());
  Value original(Schema::parse(kAll));
  from_json(kAllJson, original.get());
  const std::string payload = avro_c_encoding(original.get());

  for (IdPlacement placement :
       {IdPlacement::confluent4, IdPlacement::legacy8, IdPlacement::headers}) {
    for (IdKind kind : {IdKind::content_id, IdKind::global_id}) {
      SerializerOptions so;
      so.choice = SchemaChoice::auto_register;
      so.schema = kAll;
      so.placement = placement;
      so.id_kind = kind;
      Serializer serializer(client, so);
      DeserializerOptions dso;
      dso.resolver.id_kind = kind;
      dso.resolver.framing =
          placement == IdPlacement::legacy8 ? Framing::legacy8 : Framing::confluent4;
      Deserializer deserializer(client, dso);

      Serialized from_text, from_value;
      serializer.serialize_json("all", kAllJson, from_text);
      serializer.serialize("all", original.get(), from_value);
      CHECK(from_text.bytes == from_value.bytes);
      const ByteView written =
          placement == IdPlacement::headers
              ? ByteView(from_text.bytes)
              : read_frame(
                    placement == IdPlacement::legacy8 ? Framing::legacy8 : Framing::confluent4,
                    from_text.bytes)
                    .payload;
      CHECK(written.chars() == payload);

      std::string json;
      deserializer.deserialize_json(from_text.bytes, from_text.headers(), json);
      CHECK(json == kAllJson);
      Value back;
      deserializer.deserialize(from_value.bytes, from_value.headers(), back);
      CHECK(avro_value_equal(&original.get(), &back.get()));
    }
  }
}
