#include "schema_json.hpp"

#include "json_string.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <cstdint>
#include <vector>

namespace cli {
namespace {

// The library's escaping, shared with its request bodies: one copy, and no JSON library for
// three flat objects.
using apicurio::detail::json_string;

std::string json_id(std::int64_t id) {
  return id < 0 ? "null" : std::to_string(id);
}

}  // namespace

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
