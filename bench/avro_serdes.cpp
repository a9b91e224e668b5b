// The record and helpers of the serialize and deserialize modes.
#include "avro_serdes.hpp"

#include "alloc_count.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <limits>
#include <stdexcept>

namespace apicurio::bench::serdes {

const char* const kSchema = R"({"type":"record","name":"Order","namespace":"bench","fields":[
{"name":"id","type":"long"},
{"name":"quantity","type":"int"},
{"name":"price","type":"double"},
{"name":"weight","type":"float"},
{"name":"active","type":"boolean"},
{"name":"customer","type":"string"},
{"name":"email","type":"string"},
{"name":"country","type":"string"},
{"name":"note","type":"string"},
{"name":"payload","type":"bytes"},
{"name":"status","type":{"type":"enum","name":"Status","symbols":["NEW","PAID","SHIPPED","DONE"]}},
{"name":"checksum","type":{"type":"fixed","name":"Md5","size":16}},
{"name":"address","type":{"type":"record","name":"Address","fields":[
  {"name":"street","type":"string"},{"name":"city","type":"string"},{"name":"zip","type":"int"}]}},
{"name":"items","type":{"type":"array","items":"int"}},
{"name":"tags","type":{"type":"map","values":"string"}},
{"name":"coupon","type":["null","string"]},
{"name":"parent","type":["null","long"]},
{"name":"amount","type":{"type":"bytes","logicalType":"decimal","precision":12,"scale":2}},
{"name":"created","type":{"type":"long","logicalType":"timestamp-millis"}},
{"name":"uuid","type":{"type":"string","logicalType":"uuid"}}]})";

const char* const kRecordJson =
    R"({"id":1234567890123,"quantity":17,"price":1234.5,"weight":2.75,"active":true,)"
    R"("customer":"Ada Lovelace","email":"ada.lovelace@example.com","country":"GB",)"
    R"("note":"leave it at the door, please","payload":"\u0001\u0002\u0003\u00ff\u0080abcdef",)"
    R"("status":"PAID","checksum":"0123456789abcdef",)"
    R"("address":{"street":"12 St James's Square","city":"London","zip":10115},)"
    R"("items":[1,2,3,5,8,13,21],"tags":{"channel":"web","campaign":"spring"},)"
    R"("coupon":{"string":"SPRING10"},"parent":null,"amount":"\u0000\u0001\u00e2\u0040",)"
    R"("created":1700000000000,"uuid":"123e4567-e89b-12d3-a456-426614174000"})";

void check_avro(int rc, const char* what) {
  if (rc != 0) throw std::runtime_error(fmt::format("{}: {}", what, avro_strerror()));
}

AvroClass::AvroClass() {
  check_avro(
      avro_schema_from_json_length(kSchema, std::char_traits<char>::length(kSchema), &schema_),
      "avro-c cannot parse the record's schema");
  class_ = avro_generic_class_from_schema(schema_);
  if (class_ == nullptr) {
    avro_schema_decref(schema_);
    check_avro(1, "avro-c cannot make the record's class");
  }
}

AvroClass::~AvroClass() {
  avro_value_iface_decref(class_);
  avro_schema_decref(schema_);
}

avro::Value AvroClass::filled_value() const {
  avro::Value value(class_);
  avro::from_json(kRecordJson, value.get());
  return value;
}

avro::SerializerOptions serializer_options() {
  avro::SerializerOptions o;
  o.choice = avro::SchemaChoice::auto_register;
  o.schema = kSchema;
  return o;
}

Plan plan(double seconds, std::size_t variants) {
  Plan p;
  const double phases = seconds / static_cast<double>(variants);  // phases per variant's time
  // Phases of 0.1 s when there is time for a warm-up and one round at that length.
  p.phase_seconds = std::min(0.1, phases / 2);
  p.rounds = std::max(1, static_cast<int>(std::floor(phases / p.phase_seconds)) - 1);
  return p;
}

void print_summary(const char* mode, const Plan& plan, std::int64_t threads,
                   const VariantFigures& library, const VariantFigures& avro_c) {
  const std::vector<double> r = ratios(library, avro_c);
  std::fprintf(stderr,
               "%s: %d rounds of %.3f s phases on %lld threads; library/avro-c per round p10 "
               "%.3f p90 %.3f; wall-clock records/s avro-c %.0f, library %.0f\n",
               mode, plan.rounds, plan.phase_seconds, static_cast<long long>(threads),
               percentile(r, 0.1), percentile(r, 0.9),
               percentile(avro_c.wall_records_per_second, 0.5),
               percentile(library.wall_records_per_second, 0.5));
}

void add_allocations(Report& report, const std::string& prefix, std::uint64_t allocations,
                     std::uint64_t records) {
  const double per_record = allocations_counted() && records > 0
                                ? static_cast<double>(allocations) / static_cast<double>(records)
                                : std::numeric_limits<double>::quiet_NaN();
  report.add(prefix + "_allocations_per_record", per_record);
}

}  // namespace apicurio::bench::serdes
