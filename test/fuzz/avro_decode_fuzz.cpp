// Fuzzes the Avro payload decoder: the first byte picks a schema, the rest is the payload.
// A payload the checker and avro-c accept prints as JSON, and re-encodes to bytes that
// decode to the same JSON. Rejections are PayloadError only; nothing may crash, leak or
// ask for memory the payload does not justify.
#include "../../lib/avro/internal.hpp"
#include "avro_schemas.hpp"

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <vector>

using namespace apicurio::avro;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const std::vector<Schema> schemas = [] {
    std::vector<Schema> out;
    for (const char* text : fuzz::kSchemas)
      out.push_back(Schema::parse(text));
    return out;
  }();
  if (size == 0) return 0;
  const Schema& schema = schemas[data[0] % schemas.size()];
  const apicurio::ByteView payload(data + 1, size - 1);
  Value value(schema);
  try {
    detail::decode_payload(schema.get(), payload, value.get(), apicurio::CachedSchema{});
  } catch (const PayloadError&) {
    return 0;
  }
  std::string json;
  to_json(value.get(), json);
  const apicurio::ByteView again = detail::encode_to_scratch(value.get());
  const std::string bytes(again.chars());
  Value second(schema);
  detail::decode_payload(schema.get(), bytes, second.get(), apicurio::CachedSchema{});
  std::string json2;
  to_json(second.get(), json2);
  if (json != json2) std::abort();
  return 0;
}
