// Fuzzes schema resolution: the first byte picks a writer schema of avro_schemas.hpp, the
// rest is its payload, which is decoded, then resolved to an evolved reader schema (added
// fields with defaults, removed fields, promotions, aliases, an enum with a default, a
// union branch the reader lacks) twice into one reused value. Rejections are PayloadError
// (the payload) and RecordMismatchError (a record the reader cannot take) only.
#include "../../lib/avro/resolution.hpp"
#include "avro_schemas.hpp"

#include <array>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <memory>
#include <string>
#include <vector>

using namespace apicurio::avro;

namespace {

constexpr std::array<const char*, 3> kReaders = {
    R"({"type":"record","name":"All","namespace":"f","fields":[
      {"name":"i","type":"double"},{"name":"l","type":"float"},{"name":"f","type":"double"},
      {"name":"s","type":"bytes"},{"name":"by","type":"string"},
      {"name":"fx2","aliases":["fx"],"type":{"type":"fixed","name":"Two2","aliases":["Two"],"size":2}},
      {"name":"e","type":{"type":"enum","name":"E","symbols":["C","A"],"default":"A"}},
      {"name":"a","type":{"type":"array","items":{"type":"map","values":"double"}}},
      {"name":"u","type":["null","bytes","Two2"]},
      {"name":"added","type":["string","null"],"default":"\u00ff\u0000"},
      {"name":"rec","type":{"type":"record","name":"R","fields":[{"name":"x","type":"int"}]},
       "default":{"x":3}}]})",
    R"({"type":"record","name":"Node","fields":[{"name":"v","type":"long"},
      {"name":"next","type":["null","Node"],"default":null},{"name":"w","type":"int","default":0},
      {"name":"kids","type":{"type":"array","items":"Node"},"default":[]}]})",
    R"({"type":"record","name":"Vide","aliases":["Empty"],"fields":[
      {"name":"m","type":{"type":"map","values":{"type":"record","name":"Z","fields":[
        {"name":"k","type":{"type":"array","items":"long"},"default":[1]}]}}}]})",
};

struct Pair {
  Schema writer, reader;
  std::unique_ptr<detail::Resolution> plan;
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const std::vector<Pair> pairs = [] {
    std::vector<Pair> out;
    for (std::size_t i = 0; i < kReaders.size(); ++i) {
      Pair p{Schema::parse(fuzz::kSchemas[i]), Schema::parse(kReaders[i]), nullptr};
      auto meta = std::make_shared<const detail::ReaderSchema>(p.reader, kReaders[i]);
      p.plan = std::make_unique<detail::Resolution>(meta, p.writer.get(), "fuzz");
      if (p.plan->plain()) std::abort();  // every pair needs the plan
      out.push_back(std::move(p));
    }
    return out;
  }();
  if (size == 0) return 0;
  const Pair& pair = pairs[data[0] % pairs.size()];
  const apicurio::ByteView payload(data + 1, size - 1);
  Value written(pair.writer);
  try {
    detail::decode_payload(pair.writer.get(), payload, written.get(), apicurio::CachedSchema{});
  } catch (const PayloadError&) {
    return 0;
  }
  Value read(pair.reader);
  std::string first, second;
  for (std::string* json : {&first, &second}) {
    avro_value_reset(&read.get());
    try {
      pair.plan->copy(written.get(), read.get());
    } catch (const RecordMismatchError&) {
      return 0;
    }
    to_json(read.get(), *json);
  }
  if (first != second) std::abort();
  return 0;
}
