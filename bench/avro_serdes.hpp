// What the serialize and deserialize modes share: the record, avro-c's own objects for the
// baseline, and how a run's time is cut into interleaved phases.
#pragma once

#include "bench.hpp"
#include "phases.hpp"

#include <apicurio/avro.hpp>

#include <string>

namespace apicurio::bench::serdes {

/// The topic the serializer writes (artifact "<topic>-value" in the run's group).
inline constexpr const char* kTopic = "serdes-bench";
/// A record of 20 fields of mixed types (logical types included), and one of its values as
/// one line of Avro JSON (248 bytes in the binary encoding).
extern const char* const kSchema;
extern const char* const kRecordJson;

/// Throws std::runtime_error naming `what` and avro_strerror() unless rc is 0.
void check_avro(int rc, const char* what);

/// avro-c's own schema and generic value class, parsed with avro-c alone (the baseline does
/// not share the library's objects).
class AvroClass {
 public:
  AvroClass();
  ~AvroClass();
  AvroClass(const AvroClass&) = delete;
  AvroClass& operator=(const AvroClass&) = delete;
  /// A new value of the class, filled with kRecordJson.
  avro::Value filled_value() const;
  avro_value_iface_t* value_class() const noexcept { return class_; }

 private:
  avro_schema_t schema_ = nullptr;
  avro_value_iface_t* class_ = nullptr;
};

/// The serializer's options for the run: auto_register of kSchema, contentId, 4-byte frame.
avro::SerializerOptions serializer_options();

/// How --seconds is cut: rounds of one phase per variant, after a warm-up phase of each.
struct Plan {
  int rounds = 1;
  double phase_seconds = 0.1;
};
Plan plan(double seconds, std::size_t variants);

/// Prints to stderr how the run went: the plan, the spread of library/avro-c over the
/// rounds, and the wall-clock rates beside the CPU-time ones of the report.
void print_summary(const char* mode, const Plan& plan, std::int64_t threads,
                   const VariantFigures& library, const VariantFigures& avro_c);

/// Adds "<prefix>_allocations_per_record" (null when not counted).
void add_allocations(Report& report, const std::string& prefix, std::uint64_t allocations,
                     std::uint64_t records);

}  // namespace apicurio::bench::serdes
