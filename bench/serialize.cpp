// serialize: records/s of Serializer::serialize (cached schema, a reused Serialized) against
// avro-c's own encode of the same value (avro_value_write into a reused memory writer), in
// interleaved phases of the same run on --threads threads; and the JSON path
// (serialize_json from a rendered line) against the binary one; and serialize of a value
// whose schema is the user's own object (equal to the topic's, not the same object). Every thread
// has its own values and buffers; the threads share the one Serializer.
#include "avro_serdes.hpp"
#include "phases.hpp"

#include <apicurio/registry.hpp>

#include <fmt/format.h>

#include <cstdio>
#include <stdexcept>
#include <vector>

namespace apicurio::bench {

namespace {

using namespace serdes;

enum Variant : std::size_t { kAvroC, kLibrary, kForeign, kJson, kVariants };

// One cache line apart: the threads must not share a line the loop writes.
struct alignas(64) Worker {
  avro::Value avro_c_value;  // of avro-c's own class
  avro::Value value;         // of the serializer's schema object, as avro.hpp advises
  std::vector<char> buffer = std::vector<char>(4096);
  avro_writer_t writer = nullptr;
  avro::Serialized out;
  std::uint64_t checksum = 0;

  ~Worker() {
    if (writer != nullptr) avro_writer_free(writer);
  }
};

std::string avro_c_encode(Worker& w) {
  avro_writer_memory_set_dest(w.writer, w.buffer.data(),
                              static_cast<std::int64_t>(w.buffer.size()));
  check_avro(avro_value_write(w.writer, &w.avro_c_value.get()), "avro-c cannot encode");
  return std::string(w.buffer.data(), static_cast<std::size_t>(avro_writer_tell(w.writer)));
}

}  // namespace

int run_serialize(const Args& args, Target& target) {
  RegistryClient client(target.client_options());
  avro::Serializer serializer(client, serializer_options());
  const avro::Schema schema = serializer.schema(kTopic);  // registers it: untimed
  const std::int64_t id = client.get_schema(std::string(kTopic) + "-value").get().content_id;
  AvroClass avro_c;

  std::vector<Worker> workers(static_cast<std::size_t>(args.threads));
  for (Worker& w : workers) {
    w.avro_c_value = avro_c.filled_value();
    w.value = avro::Value(schema);
    avro::from_json(kRecordJson, w.value.get());
    w.writer = avro_writer_memory(w.buffer.data(), static_cast<std::int64_t>(w.buffer.size()));
    if (w.writer == nullptr) throw std::bad_alloc();
  }
  // The variants write the same bytes: the frame and avro-c's encoding.
  {
    Worker& w = workers[0];
    std::string expected;
    append_frame(expected, Framing::confluent4, id, avro_c_encode(w));
    serializer.serialize(kTopic, w.value.get(), w.out);
    if (w.out.bytes != expected)
      throw std::runtime_error("serialize wrote other bytes than avro-c");
    w.out.clear();
    serializer.serialize_json(kTopic, kRecordJson, w.out);
    if (w.out.bytes != expected) throw std::runtime_error("serialize_json wrote other bytes");
    std::fprintf(stderr, "serialize: %zu bytes a record, %zu of them avro-c's encoding\n",
                 expected.size(), expected.size() - 5);
  }

  Phases phases(workers.size(), [&](std::size_t t, std::size_t variant) {
    Worker& w = workers[t];
    std::uint64_t checksum = 0;
    for (int i = 0; i < Phases::kBatch; ++i) {
      switch (variant) {
        case kAvroC:
          avro_writer_memory_set_dest(w.writer, w.buffer.data(),
                                      static_cast<std::int64_t>(w.buffer.size()));
          check_avro(avro_value_write(w.writer, &w.avro_c_value.get()), "avro-c cannot encode");
          checksum += static_cast<std::uint64_t>(avro_writer_tell(w.writer));
          break;
        case kLibrary:
          w.out.clear();
          serializer.serialize(kTopic, w.value.get(), w.out);
          checksum += w.out.bytes.size();
          break;
        case kForeign:  // a value of the user's own schema object, equal to the topic's
          w.out.clear();
          serializer.serialize(kTopic, w.avro_c_value.get(), w.out);
          checksum += w.out.bytes.size();
          break;
        default:
          w.out.clear();
          serializer.serialize_json(kTopic, kRecordJson, w.out);
          checksum += w.out.bytes.size();
          break;
      }
    }
    w.checksum += checksum;
  });
  const Plan p = plan(args.seconds, kVariants);
  const auto figures =
      interleave(phases, {"avro-c", "library", "foreign", "json"}, p.rounds, p.phase_seconds);

  const auto& avro_c_figures = figures[kAvroC];
  const auto& library = figures[kLibrary];
  const auto& json = figures[kJson];
  print_summary("serialize", p, args.threads, library, avro_c_figures);
  Report report("serialize");
  report.add("threads", args.threads);
  report.add("avro_c_records_per_second", percentile(avro_c_figures.records_per_second, 0.5));
  report.add("library_records_per_second", percentile(library.records_per_second, 0.5));
  report.add("ratio", median_ratio(library, avro_c_figures));
  report.add("foreign_schema_ratio", median_ratio(figures[kForeign], avro_c_figures));
  report.add("json_records_per_second", percentile(json.records_per_second, 0.5));
  report.add("json_to_binary_ratio", median_ratio(json, library));
  add_allocations(report, "avro_c", avro_c_figures.allocations, avro_c_figures.records);
  add_allocations(report, "library", library.allocations, library.records);
  add_allocations(report, "foreign_schema", figures[kForeign].allocations,
                  figures[kForeign].records);
  add_allocations(report, "json", json.allocations, json.records);
  report.print(args.json);
  std::uint64_t checksum = 0;
  for (const Worker& w : workers)
    checksum += w.checksum;
  return checksum == 0 ? 1 : 0;
}

}  // namespace apicurio::bench
