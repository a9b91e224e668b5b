// The schemas the Avro fuzz targets read with: every type, a recursive one, and collections
// of items that take no bytes.
#pragma once

#include <array>

namespace apicurio::avro::fuzz {

inline constexpr std::array<const char*, 3> kSchemas = {
    R"({"type":"record","name":"All","namespace":"f","fields":[
      {"name":"n","type":"null"},{"name":"b","type":"boolean"},{"name":"i","type":"int"},
      {"name":"l","type":"long"},{"name":"f","type":"float"},{"name":"d","type":"double"},
      {"name":"s","type":"string"},{"name":"by","type":"bytes"},
      {"name":"fx","type":{"type":"fixed","name":"Two","size":2}},
      {"name":"e","type":{"type":"enum","name":"E","symbols":["A","B","C"]}},
      {"name":"a","type":{"type":"array","items":{"type":"map","values":"long"}}},
      {"name":"u","type":["null","string","Two","E"]}]})",
    R"({"type":"record","name":"Node","fields":[{"name":"v","type":"int"},
      {"name":"next","type":["null","Node"]}]})",
    R"({"type":"record","name":"Empty","fields":[{"name":"a","type":{"type":"array","items":"null"}},
      {"name":"m","type":{"type":"map","values":{"type":"record","name":"Z","fields":[]}}}]})",
};

}  // namespace apicurio::avro::fuzz
