#include "content_util.hpp"

#include <fmt/format.h>
#include <openssl/evp.h>
#include <simdjson.h>

#include <algorithm>
#include <stdexcept>
#include <utility>

#include "avro_canonical.hpp"
#include "json_out.hpp"

namespace apicurio::emulator {
namespace {

void write_canonical(simdjson::dom::element element, std::string& out) {
  using simdjson::dom::element_type;
  switch (element.type()) {
    case element_type::OBJECT: {
      std::vector<std::pair<std::string_view, simdjson::dom::element>> fields;
      simdjson::dom::object object;
      if (element.get(object) != simdjson::SUCCESS) return;
      for (auto field : object) {
        fields.emplace_back(field.key, field.value);
      }
      std::sort(fields.begin(), fields.end(),
                [](const auto& a, const auto& b) { return a.first < b.first; });
      out.push_back('{');
      for (size_t i = 0; i < fields.size(); ++i) {
        if (i > 0) out.push_back(',');
        out += json_quote(fields[i].first);
        out.push_back(':');
        write_canonical(fields[i].second, out);
      }
      out.push_back('}');
      break;
    }
    case element_type::ARRAY: {
      out.push_back('[');
      bool first = true;
      simdjson::dom::array array;
      if (element.get(array) != simdjson::SUCCESS) return;
      for (auto item : array) {
        if (!first) out.push_back(',');
        first = false;
        write_canonical(item, out);
      }
      out.push_back(']');
      break;
    }
    case element_type::STRING: {
      std::string_view text;
      if (element.get(text) == simdjson::SUCCESS) out += json_quote(text);
      break;
    }
    default:
      out += simdjson::minify(element);
  }
}

std::string trim(const std::string& text) {
  auto begin = text.find_first_not_of(" \t\r\n");
  if (begin == std::string::npos) return {};
  auto end = text.find_last_not_of(" \t\r\n");
  return text.substr(begin, end - begin + 1);
}

}  // namespace

std::string sha256_hex(const std::string& bytes) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  if (EVP_Digest(bytes.data(), bytes.size(), digest, &length, EVP_sha256(), nullptr) != 1) {
    throw std::runtime_error("EVP_Digest(sha256) failed");
  }
  std::string hex;
  for (unsigned int i = 0; i < length; ++i)
    hex += fmt::format("{:02x}", digest[i]);
  return hex;
}

std::string content_hash(const std::string& bytes, const std::vector<Reference>& references) {
  if (references.empty()) return sha256_hex(bytes);
  std::string keyed = bytes;
  for (const auto& ref : references) {
    keyed +=
        fmt::format("\n{}\x1f{}\x1f{}\x1f{}", ref.group_id, ref.artifact_id, ref.version, ref.name);
  }
  return sha256_hex(keyed);
}

std::string canonical_form(const std::string& content) {
  simdjson::dom::parser parser;
  simdjson::dom::element root;
  if (parser.parse(content).get(root) != simdjson::SUCCESS) return trim(content);
  std::string out;
  write_canonical(root, out);
  return out;
}

std::string canonical_for(const std::string& artifact_type, const std::string& content) {
  if (artifact_type == "AVRO") {
    if (auto avro = avro_canonical(content)) return *avro;
  }
  return canonical_form(content);
}

bool parses_as_avro(const std::string& content) {
  simdjson::dom::parser parser;
  simdjson::dom::element root;
  if (parser.parse(content).get(root) != simdjson::SUCCESS) return false;
  simdjson::dom::object object;
  if (root.get(object) == simdjson::SUCCESS) return object["type"].error() == simdjson::SUCCESS;
  return root.is_string() || root.is_array();
}

bool parses_as_json(const std::string& content) {
  simdjson::dom::parser parser;
  simdjson::dom::element root;
  return parser.parse(content).get(root) == simdjson::SUCCESS;
}

bool known_artifact_type(const std::string& type) {
  // io.apicurio.registry.types.ArtifactType, one provider each in 3.3.1.
  static const char* const kTypes[] = {
      "AVRO",         "PROTOBUF",        "JSON",          "OPENAPI",      "ASYNCAPI",
      "GRAPHQL",      "KCONNECT",        "WSDL",          "XSD",          "XML",
      "AGENT_CARD",   "MCP_TOOL",        "ICEBERG_TABLE", "ICEBERG_VIEW", "OPENRPC",
      "MODEL_SCHEMA", "PROMPT_TEMPLATE", "ODCS_CONTRACT", "THRIFT"};
  return std::any_of(std::begin(kTypes), std::end(kTypes),
                     [&](const char* known) { return type == known; });
}

std::string detect_artifact_type(const std::string& content, const std::string& content_type) {
  std::string type_lower = content_type;
  std::transform(type_lower.begin(), type_lower.end(), type_lower.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  simdjson::dom::parser parser;
  simdjson::dom::element root;
  const bool is_json = parser.parse(content).get(root) == simdjson::SUCCESS;
  // ProtobufContentAccepter: only for content types naming "proto"; a parse stands in here.
  if (!is_json && (content_type.empty() || type_lower.find("proto") != std::string::npos) &&
      (content.find("syntax") != std::string::npos ||
       content.find("message") != std::string::npos)) {
    return "PROTOBUF";
  }
  if (is_json) {
    simdjson::dom::object object;
    if (root.get(object) == simdjson::SUCCESS) {
      auto has = [&](const char* key) { return object[key].error() == simdjson::SUCCESS; };
      if (has("openapi") || has("swagger")) return "OPENAPI";
      if (has("asyncapi")) return "ASYNCAPI";
      std::string_view schema;
      if ((object["$schema"].get(schema) == simdjson::SUCCESS &&
           schema.find("json-schema.org") != std::string_view::npos) ||
          has("properties")) {
        return "JSON";
      }
      // AvroContentAccepter: Schema.Parser needs a type it knows.
      simdjson::dom::element type;
      if (object["type"].get(type) == simdjson::SUCCESS) {
        static const char* const kAvroTypes[] = {"record", "enum",    "fixed", "array", "map",
                                                 "null",   "boolean", "int",   "long",  "float",
                                                 "double", "bytes",   "string"};
        std::string_view name;
        if (type.get(name) != simdjson::SUCCESS) return "AVRO";  // a nested schema or union
        if (std::any_of(std::begin(kAvroTypes), std::end(kAvroTypes),
                        [&](const char* known) { return name == known; })) {
          return "AVRO";
        }
      }
    } else if (root.is_string() || root.is_array()) {
      return "AVRO";  // a named or primitive type, or a union
    }
    return "";
  }
  std::string text = trim(content);
  if (!text.empty() && text[0] == '<') return "XML";
  return "";
}

}  // namespace apicurio::emulator
