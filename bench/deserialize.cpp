// deserialize: records/s of Deserializer::deserialize (cached schema, into a reused Value)
// against avro-c's own decode of the same payload (avro_value_reset, then avro_value_read
// from a reused memory reader), in interleaved phases of the same run on --threads
// threads; and the JSON path (deserialize_json into a reused string) against avro-c's
// decode and avro_value_to_json copied into a reused string. Every thread has its own
// values and buffers; the threads share the one Deserializer.
#include "avro_serdes.hpp"
#include "phases.hpp"

#include <apicurio/registry.hpp>

#include <cstdio>
#include <cstdlib>
#include <stdexcept>
#include <vector>

namespace apicurio::bench {

namespace {

using namespace serdes;

enum Variant : std::size_t { kAvroC, kLibrary, kAvroCJson, kLibraryJson, kVariants };

// One cache line apart: the threads must not share a line the loop writes.
struct alignas(64) Worker {
  avro::Value avro_c_value;  // of avro-c's own class
  avro_reader_t reader = nullptr;
  avro::Value value;  // the deserializer's output, reused
  std::string json;
  std::uint64_t checksum = 0;

  ~Worker() {
    if (reader != nullptr) avro_reader_free(reader);
  }
};

void avro_c_decode(Worker& w, const std::string& payload) {
  avro_reader_memory_set_source(w.reader, payload.data(),
                                static_cast<std::int64_t>(payload.size()));
  avro_value_reset(&w.avro_c_value.get());
  check_avro(avro_value_read(w.reader, &w.avro_c_value.get()), "avro-c cannot decode");
}

void avro_c_to_json(Worker& w) {
  char* text = nullptr;
  check_avro(avro_value_to_json(&w.avro_c_value.get(), 1, &text), "avro-c cannot print JSON");
  w.json.assign(text);
  std::free(text);
}

}  // namespace

int run_deserialize(const Args& args, Target& target) {
  RegistryClient client(target.client_options());
  avro::Serializer serializer(client, serializer_options());
  avro::Serialized record;
  serializer.serialize_json(kTopic, kRecordJson, record);  // registers the schema: untimed
  const std::string payload = record.bytes.substr(5);      // avro-c's encoding, unframed
  avro::Deserializer deserializer(client);
  AvroClass avro_c;

  std::vector<Worker> workers(static_cast<std::size_t>(args.threads));
  for (Worker& w : workers) {
    w.avro_c_value = avro_c.filled_value();
    w.reader = avro_reader_memory(payload.data(), static_cast<std::int64_t>(payload.size()));
    if (w.reader == nullptr) throw std::bad_alloc();
  }
  // The variants read the same record.
  {
    Worker& w = workers[0];
    avro::Value expected = avro_c.filled_value();
    avro_c_decode(w, payload);
    deserializer.deserialize(record.bytes, record.headers(), w.value);
    if (!avro_value_equal(&w.value.get(), &expected.get()) ||
        !avro_value_equal(&w.avro_c_value.get(), &expected.get())) {
      throw std::runtime_error("a decoded record differs from the one written");
    }
    std::string json;
    deserializer.deserialize_json(record.bytes, record.headers(), json);
    avro::Value parsed = avro_c.filled_value();
    avro::from_json(json, parsed.get());
    if (!avro_value_equal(&parsed.get(), &expected.get()))
      throw std::runtime_error("deserialize_json wrote another record");
  }

  Phases phases(workers.size(), [&](std::size_t t, std::size_t variant) {
    Worker& w = workers[t];
    std::uint64_t checksum = 0;
    for (int i = 0; i < Phases::kBatch; ++i) {
      switch (variant) {
        case kAvroC: {
          avro_c_decode(w, payload);
          std::int64_t id = 0;
          avro_value_t field;
          avro_value_get_by_index(&w.avro_c_value.get(), 0, &field, nullptr);
          avro_value_get_long(&field, &id);
          checksum += static_cast<std::uint64_t>(id);
          break;
        }
        case kLibrary: {
          deserializer.deserialize(record.bytes, {}, w.value);
          std::int64_t id = 0;
          avro_value_t field;
          avro_value_get_by_index(&w.value.get(), 0, &field, nullptr);
          avro_value_get_long(&field, &id);
          checksum += static_cast<std::uint64_t>(id);
          break;
        }
        case kAvroCJson:
          avro_c_decode(w, payload);
          avro_c_to_json(w);
          checksum += w.json.size();
          break;
        default:
          w.json.clear();
          deserializer.deserialize_json(record.bytes, {}, w.json);
          checksum += w.json.size();
          break;
      }
    }
    w.checksum += checksum;
  });
  const Plan p = plan(args.seconds, kVariants);
  const auto figures = interleave(phases, {"avro-c", "library", "avro-c-json", "library-json"},
                                  p.rounds, p.phase_seconds);

  const auto& avro_c_figures = figures[kAvroC];
  const auto& library = figures[kLibrary];
  print_summary("deserialize", p, args.threads, library, avro_c_figures);
  Report report("deserialize");
  report.add("threads", args.threads);
  report.add("avro_c_records_per_second", percentile(avro_c_figures.records_per_second, 0.5));
  report.add("library_records_per_second", percentile(library.records_per_second, 0.5));
  report.add("ratio", median_ratio(library, avro_c_figures));
  report.add("avro_c_json_records_per_second",
             percentile(figures[kAvroCJson].records_per_second, 0.5));
  report.add("library_json_records_per_second",
             percentile(figures[kLibraryJson].records_per_second, 0.5));
  report.add("json_ratio", median_ratio(figures[kLibraryJson], figures[kAvroCJson]));
  const char* const prefixes[] = {"avro_c", "library", "avro_c_json", "library_json"};
  for (std::size_t v = 0; v < kVariants; ++v)
    add_allocations(report, prefixes[v], figures[v].allocations, figures[v].records);
  report.print(args.json);
  std::uint64_t checksum = 0;
  for (const Worker& w : workers)
    checksum += w.checksum;
  return checksum == 0 ? 1 : 0;
}

}  // namespace apicurio::bench
