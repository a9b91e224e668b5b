// Artifact id strategies: which registry artifact holds the schema of a Kafka record.
//
// A strategy is any callable from a StrategyInput to an artifact id, so a user callback is
// just a lambda:
//
//   apicurio::ArtifactIdStrategy strategy = apicurio::topic_record_strategy;
//   apicurio::ArtifactIdStrategy mine = [](const apicurio::StrategyInput& in) {
//     return std::string(in.topic) + "-schema";
//   };
//   std::string id = strategy({"orders", apicurio::RecordPart::value, avro_schema_text});
//
// Threads: the built-in strategies and avro_full_name are pure: any thread, never block. Each
// throws what its comment says, or std::bad_alloc.
#pragma once

#include <apicurio/errors.hpp>
#include <apicurio/export.hpp>
#include <apicurio/wire_format.hpp>

#include <functional>
#include <string>
#include <string_view>

namespace apicurio {

/// A strategy could not name the artifact (for instance, the schema has no record name).
class APICURIO_API ArtifactStrategyError : public Error {
 public:
  /// `message` becomes what(). Any thread; never blocks; throws std::bad_alloc only.
  explicit ArtifactStrategyError(const std::string& message)
      : Error(ErrorCode::invalid_argument, false, message) {}
};

/// What a strategy may look at. The views must outlive the call.
struct APICURIO_API StrategyInput {
  /// The Kafka topic the record goes to.
  std::string_view topic;
  /// Whether the schema is the record's key or its value.
  RecordPart part = RecordPart::value;
  /// The schema text; the record strategies read an Avro schema (JSON) from it.
  std::string_view schema;
};

/// A strategy: the built-ins below, or any callable of this shape. May throw.
using ArtifactIdStrategy = std::function<std::string(const StrategyInput&)>;

/// "{topic}-key" or "{topic}-value" (Apicurio's TopicIdStrategy, the serdes' default).
/// Throws ArtifactStrategyError for an empty topic.
APICURIO_API std::string topic_strategy(const StrategyInput& input);

/// "{topic}" (SimpleTopicIdStrategy). Throws ArtifactStrategyError for an empty topic.
APICURIO_API std::string simple_topic_strategy(const StrategyInput& input);

/// "{namespace}.{name}" of the Avro schema, or "{name}" when it has no namespace
/// (RecordIdStrategy). Throws ArtifactStrategyError as avro_full_name does.
APICURIO_API std::string record_strategy(const StrategyInput& input);

/// "{topic}-{namespace}.{name}", or "{topic}-{name}" without a namespace
/// (TopicRecordIdStrategy). Throws ArtifactStrategyError for an empty topic or as
/// avro_full_name does.
APICURIO_API std::string topic_record_strategy(const StrategyInput& input);

/// The full name of the named type (record, error, enum or fixed) an Avro schema defines at
/// its top: its "name" if that contains a dot (a full name), else "{namespace}.{name}", else
/// "{name}" when "namespace" is absent, null or empty. Throws ArtifactStrategyError naming
/// the problem: text that is not JSON, a top level that is not a named type (a primitive,
/// a union, a type reference), a missing or empty "name", a name ending with a dot.
APICURIO_API std::string avro_full_name(std::string_view avro_schema);

}  // namespace apicurio
