#include <apicurio/artifact_strategy.hpp>

#include <fmt/format.h>
#include <simdjson.h>

namespace apicurio {
namespace {

// One parser per thread that parses, reused: its buffers grow to the largest schema seen.
simdjson::dom::parser& thread_parser() {
  thread_local simdjson::dom::parser parser;
  return parser;
}

// Shortens schema text quoted in messages so a large schema cannot flood a log line.
std::string excerpt(std::string_view text) {
  constexpr std::size_t kMax = 60;
  if (text.size() <= kMax) return std::string(text);
  return fmt::format("{}...", text.substr(0, kMax));
}

std::string_view require_topic(const StrategyInput& input, std::string_view strategy) {
  if (input.topic.empty()) {
    throw ArtifactStrategyError(
        fmt::format("The {} strategy needs a topic; it is empty.", strategy));
  }
  return input.topic;
}

// A string member, or empty when absent or null; throws when it is another JSON type.
std::string_view optional_string(const simdjson::dom::object& schema, std::string_view key) {
  simdjson::dom::element value;
  if (schema[key].get(value) != simdjson::SUCCESS || value.is_null()) return {};
  std::string_view text;
  if (value.get(text) != simdjson::SUCCESS) {
    throw ArtifactStrategyError(fmt::format("The Avro schema's \"{}\" must be a string; it is {}.",
                                            key, excerpt(simdjson::to_string(value))));
  }
  return text;
}

void check_full_name(std::string_view full_name) {
  std::size_t start = 0;
  while (true) {
    const std::size_t dot = full_name.find('.', start);
    const std::size_t end = dot == std::string_view::npos ? full_name.size() : dot;
    if (end == start) {
      throw ArtifactStrategyError(fmt::format(
          "The Avro full name \"{}\" has an empty part; names look like \"com.acme.User\".",
          full_name));
    }
    if (dot == std::string_view::npos) return;
    start = dot + 1;
  }
}

}  // namespace

AvroName avro_record_name(std::string_view avro_schema) {
  simdjson::dom::element root;
  if (auto error = thread_parser().parse(avro_schema.data(), avro_schema.size()).get(root)) {
    throw ArtifactStrategyError(fmt::format("The schema is not valid JSON ({}): {}",
                                            simdjson::error_message(error), excerpt(avro_schema)));
  }
  simdjson::dom::object schema;
  if (root.get(schema) != simdjson::SUCCESS) {
    throw ArtifactStrategyError(fmt::format(
        "The record strategies need an Avro record or enum schema (a JSON object with a "
        "\"name\"); got {}.",
        excerpt(simdjson::to_string(root))));
  }
  // RECORD (an error is a record to Avro's Java Schema) and ENUM: the types the Java record
  // strategies accept (RecordIdStrategy, QualifiedRecordIdStrategy); fixed is refused there.
  const std::string_view type = optional_string(schema, "type");
  if (type != "record" && type != "error" && type != "enum") {
    throw ArtifactStrategyError(fmt::format(
        "The record strategies need an Avro record or enum schema; the schema's \"type\" is {}.",
        type.empty() ? std::string("missing or not a string") : fmt::format("\"{}\"", type)));
  }
  const std::string_view name = optional_string(schema, "name");
  if (name.empty()) {
    throw ArtifactStrategyError(
        fmt::format("The Avro {} schema has no \"name\", so the record strategies cannot name its "
                    "artifact: {}",
                    type, excerpt(avro_schema)));
  }
  // A dotted name is already a full name and the namespace attribute is ignored (Avro spec);
  // an empty namespace is the null namespace.
  const std::size_t dot = name.rfind('.');
  std::string full_name = dot != std::string_view::npos ? std::string(name) : [&] {
    const std::string_view space = optional_string(schema, "namespace");
    return space.empty() ? std::string(name) : fmt::format("{}.{}", space, name);
  }();
  check_full_name(full_name);
  AvroName result;
  const std::size_t split = full_name.rfind('.');
  if (split == std::string::npos) {
    result.name = std::move(full_name);
  } else {
    result.name_space = full_name.substr(0, split);
    result.name = full_name.substr(split + 1);
  }
  return result;
}

namespace {

// The default group: a null groupId to the Java serdes.
ArtifactRef in_default_group(std::string artifact) {
  return ArtifactRef{std::nullopt, std::move(artifact)};
}

// The namespace as a group, the null namespace as the default group.
std::optional<std::string> group_of(AvroName& name) {
  if (name.name_space.empty()) return std::nullopt;
  return std::move(name.name_space);
}

}  // namespace

ArtifactRef topic_id_strategy(const StrategyInput& input) {
  return in_default_group(fmt::format("{}-{}", require_topic(input, "topic_id"),
                                      input.part == RecordPart::key ? "key" : "value"));
}

ArtifactRef simple_topic_id_strategy(const StrategyInput& input) {
  return in_default_group(std::string(require_topic(input, "simple_topic_id")));
}

ArtifactRef record_id_strategy(const StrategyInput& input) {
  AvroName name = avro_record_name(input.schema);
  return ArtifactRef{group_of(name), std::move(name.name)};
}

ArtifactRef topic_record_id_strategy(const StrategyInput& input) {
  const std::string_view topic = require_topic(input, "topic_record_id");
  AvroName name = avro_record_name(input.schema);
  return ArtifactRef{group_of(name), fmt::format("{}-{}", topic, name.name)};
}

ArtifactRef qualified_record_id_strategy(const StrategyInput& input) {
  return in_default_group(avro_record_name(input.schema).full_name());
}

}  // namespace apicurio
