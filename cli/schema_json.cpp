#include "schema_json.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <cstdint>
#include <vector>

namespace cli {
namespace {

std::string json_id(std::int64_t id) {
  return id < 0 ? "null" : std::to_string(id);
}

}  // namespace

std::string json_string(std::string_view text) {
  std::string out;
  out.reserve(text.size() + 2);
  out += '"';
  for (char c : text) {
    auto byte = static_cast<unsigned char>(c);
    if (c == '"' || c == '\\') {
      out += '\\';
      out += c;
    } else if (c == '\n') {
      out += "\\n";
    } else if (c == '\r') {
      out += "\\r";
    } else if (c == '\t') {
      out += "\\t";
    } else if (byte < 0x20) {
      out += fmt::format("\\u{:04x}", byte);
    } else {
      out += c;
    }
  }
  out += '"';
  return out;
}

std::string schema_json(const apicurio::CachedSchema& schema) {
  return fmt::format(
      R"({{"group_id":{},"artifact_id":{},"version":{},"global_id":{},"content_id":{},)"
      R"("artifact_type":{},"schema":{}}})",
      json_string(schema.group_id), json_string(schema.artifact_id), json_string(schema.version),
      json_id(schema.global_id), json_id(schema.content_id), json_string(schema.artifact_type),
      json_string(schema.schema()));
}

std::string preload_json(const apicurio::PreloadReport& report,
                         const std::function<std::string(std::string)>& scrub) {
  std::vector<std::string> cached, failures;
  for (const auto& id : report.cached)
    cached.push_back(json_string(id));
  for (const auto& failure : report.failures) {
    failures.push_back(fmt::format(R"({{"artifact_id":{},"error":{}}})",
                                   json_string(failure.artifact_id),
                                   json_string(scrub(failure.message))));
  }
  return fmt::format(R"({{"cached":[{}],"failures":[{}]}})", fmt::join(cached, ","),
                     fmt::join(failures, ","));
}

}  // namespace cli
