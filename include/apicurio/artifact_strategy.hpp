// Artifact strategies: which registry group and artifact hold the schema of a Kafka record,
// named and computed as the Apicurio 3.x Java serdes do, so that a C++ producer or consumer
// finds the artifacts a Java one registered.
//
// A strategy is any callable from a StrategyInput to an ArtifactRef, so a user callback is
// just a lambda, and its result goes straight to the client:
//
//   apicurio::ArtifactStrategy strategy = apicurio::record_id_strategy;
//   apicurio::ArtifactStrategy mine = [](const apicurio::StrategyInput& in) {
//     return apicurio::ArtifactRef{"orders-team", std::string(in.topic) + "-schema"};
//   };
//   apicurio::ArtifactRef where = strategy({"orders", apicurio::RecordPart::value, avro_text});
//   client.register_schema(where, avro_text);
//
// A std::nullopt group is the default group: the client's ClientOptions::group_id, as a null
// groupId is the Java serdes' (which their config `apicurio.registry.artifact.group-id` may
// set, like ClientOptions::group_id).
//
// Threads: the built-in strategies and avro_record_name are pure: any thread, never block.
// Each throws what its comment says, or std::bad_alloc.
#pragma once

#include <apicurio/errors.hpp>
#include <apicurio/export.hpp>
#include <apicurio/schema.hpp>
#include <apicurio/wire_format.hpp>

#include <functional>
#include <string>
#include <string_view>

namespace apicurio {

/// A strategy could not name the artifact (for instance, the schema is not an Avro record).
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
using ArtifactStrategy = std::function<ArtifactRef(const StrategyInput&)>;

/// The default group, artifact "{topic}-key" or "{topic}-value": Java's TopicIdStrategy
/// (io.apicurio.registry.serde.strategy), the serdes' default. Reads no schema. Throws
/// ArtifactStrategyError for an empty topic.
APICURIO_API ArtifactRef topic_id_strategy(const StrategyInput& input);

/// The default group, artifact "{topic}": Java's SimpleTopicIdStrategy. Reads no schema.
/// Throws ArtifactStrategyError for an empty topic.
APICURIO_API ArtifactRef simple_topic_id_strategy(const StrategyInput& input);

/// Group: the Avro schema's namespace (the default group when it has none); artifact: its
/// name. Java's RecordIdStrategy (io.apicurio.registry.serde.avro.strategy). Throws
/// ArtifactStrategyError as avro_record_name does.
APICURIO_API ArtifactRef record_id_strategy(const StrategyInput& input);

/// Group: the namespace (the default group when none); artifact: "{topic}-{name}". Java's
/// TopicRecordIdStrategy. Throws ArtifactStrategyError for an empty topic or as
/// avro_record_name does.
APICURIO_API ArtifactRef topic_record_id_strategy(const StrategyInput& input);

/// The default group; artifact: the full name "{namespace}.{name}" ("{name}" without a
/// namespace). Java's QualifiedRecordIdStrategy. Throws ArtifactStrategyError as
/// avro_record_name does.
APICURIO_API ArtifactRef qualified_record_id_strategy(const StrategyInput& input);

/// The name of the record (or error) or enum an Avro schema defines at its top, split as Avro
/// does: a dotted "name" is a full name whose namespace wins over "namespace".
struct AvroName {
  /// The namespace; empty when there is none (absent, null or "", all the null namespace).
  std::string name_space;
  /// The simple name, without dots.
  std::string name;
  /// "{name_space}.{name}", or "{name}" without a namespace. Throws std::bad_alloc only.
  std::string full_name() const { return name_space.empty() ? name : name_space + '.' + name; }
};

/// The name the record strategies use. Only record (and error) and enum schemas have one for
/// them, as for the Java strategies: a fixed, a primitive, a union or an array is refused.
/// Throws ArtifactStrategyError naming the problem: text that is not JSON, another type, a
/// missing or empty "name", an empty name part ("a..b", "com.acme.").
APICURIO_API AvroName avro_record_name(std::string_view avro_schema);

}  // namespace apicurio
