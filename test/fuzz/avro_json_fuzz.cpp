// Fuzzes the Avro JSON reader: the first byte picks a schema, the rest is JSON text. Text
// that reads into a value prints back to text that reads into the same value (compared by
// its printed form, which also holds for NaN). Rejections are RecordMismatchError only.
#include "../../lib/avro/internal.hpp"
#include "avro_schemas.hpp"

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>
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
  const std::string_view text(reinterpret_cast<const char*>(data + 1), size - 1);
  Value value(schema);
  try {
    from_json(text, value.get());
  } catch (const RecordMismatchError&) {
    return 0;
  }
  std::string printed;
  to_json(value.get(), printed);
  Value again(schema);
  try {
    from_json(printed, again.get());
  } catch (const RecordMismatchError&) {
    // Strings are passed through as they are; JSON text with invalid UTF-8 never got here.
    std::abort();
  }
  std::string reprinted;
  to_json(again.get(), reprinted);
  if (printed != reprinted) std::abort();
  return 0;
}
