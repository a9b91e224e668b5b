#include "serde.hpp"

#include "exit_status.hpp"
#include "record_lines.hpp"

#include <fmt/format.h>

#include <cstdint>
#include <istream>
#include <memory>
#include <optional>
#include <ostream>
#include <stdexcept>
#include <string_view>
#include <vector>

#if APICURIO_CLI_AVRO
#include <apicurio/avro.hpp>
#endif

namespace cli {

#if APICURIO_CLI_AVRO
namespace {

namespace avro = apicurio::avro;

apicurio::ArtifactStrategy strategy(const Invocation& inv) {
  switch (inv.strategy) {
    case StrategyName::artifact:
      break;
    case StrategyName::topic:
      return apicurio::topic_id_strategy;
    case StrategyName::simple_topic:
      return apicurio::simple_topic_id_strategy;
    case StrategyName::topic_record:
      return apicurio::topic_record_id_strategy;
    case StrategyName::record:
      return apicurio::record_id_strategy;
    case StrategyName::qualified_record:
      return apicurio::qualified_record_id_strategy;
  }
  // ARTIFACT in the client's group (--group), whatever the "topic".
  return [artifact = inv.artifact_id](const apicurio::StrategyInput&) {
    return apicurio::ArtifactRef{std::nullopt, artifact};
  };
}

// Calls handle(text) for each line of `in` that is not blank; an error escaping it
// becomes a StatusError naming the line, kBadRecord when is_bad_record says so.
template <class Handle, class IsBadRecord>
void for_each_line(std::istream& in, Handle handle, IsBadRecord is_bad_record) {
  std::string line;
  for (std::uint64_t number = 1; std::getline(in, line); ++number) {
    const std::string_view text = trim_line(line);
    if (text.empty()) continue;
    try {
      handle(text);
    } catch (const std::exception& e) {
      const std::string message = fmt::format("line {}: {}", number, e.what());
      if (is_bad_record(e)) throw StatusError(kBadRecord, message);
      throw StatusError(classify(std::current_exception()).status, message);
    }
  }
}

void write_line(std::ostream& out, std::string& line) {
  line += '\n';
  out.write(line.data(), static_cast<std::streamsize>(line.size()));
  out.flush();  // a reader at the other end of a pipe sees each record at once
  // Its reader gone (SIGPIPE ignored) or the disk full: the rest would be lost too.
  if (!out) throw std::runtime_error("cannot write to stdout");
}

avro::SerializerOptions serializer_options(const Invocation& inv, const std::string& schema) {
  avro::SerializerOptions options;
  options.part = inv.key ? apicurio::RecordPart::key : apicurio::RecordPart::value;
  options.strategy = strategy(inv);
  if (!inv.version.empty()) {
    options.choice = avro::SchemaChoice::explicit_version;
    options.version = inv.version;
  } else if (inv.schema_file.empty()) {
    options.choice = avro::SchemaChoice::latest;
  } else {
    // Parsed now so that a bad file is a usage error before any record or request.
    try {
      avro::Schema::parse(schema, "--schema " + inv.schema_file);
    } catch (const avro::AvroSchemaError& e) {
      throw UsageError(e.what());
    }
    options.schema = schema;
    options.choice =
        inv.auto_register ? avro::SchemaChoice::auto_register : avro::SchemaChoice::find_by_content;
  }
  options.id_kind = inv.id_kind;
  options.placement = inv.framing == IdFraming::legacy8   ? avro::IdPlacement::legacy8
                      : inv.framing == IdFraming::headers ? avro::IdPlacement::headers
                                                          : avro::IdPlacement::confluent4;
  return options;
}

int serialize(apicurio::RegistryClient& client, const Invocation& inv, const std::string& schema,
              std::istream& in, std::ostream& out) {
  avro::Serializer serializer(client, serializer_options(inv, schema));
  avro::Serialized record;
  std::string line;
  for_each_line(
      in,
      [&](std::string_view json) {
        record.clear();
        serializer.serialize_json(inv.artifact_id, json, record);
        line.clear();
        if (record.has_header()) {
          const avro::IdHeader& header = record.header();
          line.append(header.name).append("=");
          append_hex(line, std::string_view(reinterpret_cast<const char*>(header.value.data()),
                                            header.value.size()));
          line += '\t';
        }
        append_hex(line, record.bytes);
        write_line(out, line);
      },
      [](const std::exception& e) {
        return dynamic_cast<const avro::RecordMismatchError*>(&e) != nullptr;
      });
  return kOk;
}

avro::DeserializerOptions deserializer_options(const Invocation& inv, const std::string& schema) {
  avro::DeserializerOptions options;
  apicurio::ResolverOptions& resolver = options.resolver;
  resolver.part = inv.key ? apicurio::RecordPart::key : apicurio::RecordPart::value;
  resolver.id_kind = inv.id_kind;
  switch (inv.framing) {
    case IdFraming::detect:
      resolver.location = apicurio::IdLocation::detect;
      break;
    case IdFraming::headers:
      resolver.location = apicurio::IdLocation::headers;
      break;
    case IdFraming::confluent4:
    case IdFraming::legacy8:
    case IdFraming::optimistic:
      resolver.location = apicurio::IdLocation::framed;
      resolver.framing = inv.framing == IdFraming::legacy8      ? apicurio::Framing::legacy8
                         : inv.framing == IdFraming::optimistic ? apicurio::Framing::optimistic
                                                                : apicurio::Framing::confluent4;
      break;
  }
  options.reader_schema = schema;
  return options;
}

int deserialize(apicurio::RegistryClient& client, const Invocation& inv, const std::string& schema,
                std::istream& in, std::ostream& out) {
  std::unique_ptr<avro::Deserializer> deserializer;
  try {
    deserializer = std::make_unique<avro::Deserializer>(client, deserializer_options(inv, schema));
  } catch (const avro::AvroSchemaError& e) {
    throw UsageError(fmt::format("--reader-schema {}: {}", inv.reader_schema_file, e.what()));
  }
  RecordLine record;
  std::vector<apicurio::RecordHeader> headers;
  std::string json;
  for_each_line(
      in,
      [&](std::string_view text) {
        parse_record_line(text, record);
        headers.clear();
        for (const auto& [name, value] : record.headers)
          headers.push_back({name, value});
        json.clear();
        deserializer->deserialize_json(record.bytes, headers, json);
        write_line(out, json);
      },
      [](const std::exception& e) {
        // The line's bytes, not the registry: framing, payload, or no match for the reader.
        return dynamic_cast<const MalformedLine*>(&e) != nullptr ||
               dynamic_cast<const apicurio::WireFormatError*>(&e) != nullptr ||
               dynamic_cast<const avro::PayloadError*>(&e) != nullptr ||
               dynamic_cast<const avro::AvroSchemaError*>(&e) != nullptr ||
               dynamic_cast<const avro::RecordMismatchError*>(&e) != nullptr;
      });
  return kOk;
}

}  // namespace

void check_serde_available(const Invocation&) {}

int run_serde(apicurio::RegistryClient& client, const Invocation& inv, const std::string& schema,
              std::istream& in, std::ostream& out) {
  if (inv.command == Command::serialize) return serialize(client, inv, schema, in, out);
  return deserialize(client, inv, schema, in, out);
}

#else  // !APICURIO_CLI_AVRO

void check_serde_available(const Invocation& inv) {
  if (inv.command == Command::serialize || inv.command == Command::deserialize) {
    throw UsageError(
        "serialize and deserialize need apicurio-avro, which this apicurio-cli was built "
        "without (avro-c was not found)");
  }
}

int run_serde(apicurio::RegistryClient&, const Invocation& inv, const std::string&, std::istream&,
              std::ostream&) {
  check_serde_available(inv);
  return kOk;
}

#endif

}  // namespace cli
