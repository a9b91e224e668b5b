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

std::string avro_full_name(std::string_view avro_schema) {
  simdjson::dom::element root;
  if (auto error = thread_parser().parse(avro_schema.data(), avro_schema.size()).get(root)) {
    throw ArtifactStrategyError(fmt::format("The schema is not valid JSON ({}): {}",
                                            simdjson::error_message(error), excerpt(avro_schema)));
  }
  simdjson::dom::object schema;
  if (root.get(schema) != simdjson::SUCCESS) {
    throw ArtifactStrategyError(fmt::format(
        "The record strategies need an Avro record, enum or fixed schema (a JSON object with a "
        "\"name\"); got {}.",
        excerpt(simdjson::to_string(root))));
  }
  const std::string_view type = optional_string(schema, "type");
  if (type != "record" && type != "error" && type != "enum" && type != "fixed") {
    throw ArtifactStrategyError(fmt::format(
        "The record strategies need an Avro named type (record, error, enum or fixed); the "
        "schema's \"type\" is {}.",
        type.empty() ? std::string("missing or not a string") : fmt::format("\"{}\"", type)));
  }
  const std::string_view name = optional_string(schema, "name");
  if (name.empty()) {
    throw ArtifactStrategyError(
        fmt::format("The Avro {} schema has no \"name\", so the record strategies cannot name its "
                    "artifact: {}",
                    type, excerpt(avro_schema)));
  }
  // A dotted name is already a full name and the namespace attribute is ignored (Avro spec).
  if (name.find('.') != std::string_view::npos) {
    check_full_name(name);
    return std::string(name);
  }
  const std::string_view space = optional_string(schema, "namespace");
  std::string full_name = space.empty() ? std::string(name) : fmt::format("{}.{}", space, name);
  check_full_name(full_name);
  return full_name;
}

std::string topic_strategy(const StrategyInput& input) {
  return fmt::format("{}-{}", require_topic(input, "topic"),
                     input.part == RecordPart::key ? "key" : "value");
}

std::string simple_topic_strategy(const StrategyInput& input) {
  return std::string(require_topic(input, "simple topic"));
}

std::string record_strategy(const StrategyInput& input) {
  return avro_full_name(input.schema);
}

std::string topic_record_strategy(const StrategyInput& input) {
  const std::string_view topic = require_topic(input, "topic-record");
  return fmt::format("{}-{}", topic, avro_full_name(input.schema));
}

}  // namespace apicurio
