#include "register_request.hpp"

#include "json_string.hpp"

#include <fmt/format.h>

namespace apicurio::detail {

const char* if_exists_name(IfExists mode) noexcept {
  switch (mode) {
    case IfExists::fail:
      return "FAIL";
    case IfExists::create_version:
      return "CREATE_VERSION";
    case IfExists::find_or_create_version:
      break;
  }
  return "FIND_OR_CREATE_VERSION";
}

std::string register_query(const RegisterOptions& options) {
  return fmt::format("?ifExists={}&canonical={}&dryRun={}", if_exists_name(options.if_exists),
                     options.canonical, options.dry_run);
}

std::string register_body(std::string_view artifact_id, std::string_view schema_text,
                          const RegisterOptions& options) {
  std::string body;
  body.reserve(schema_text.size() + 256);
  body += "{\"artifactId\":";
  append_json_string(body, artifact_id);
  body += ",\"artifactType\":";
  append_json_string(body, options.artifact_type);
  body += ",\"firstVersion\":{";
  if (!options.version.empty()) {
    body += "\"version\":";
    append_json_string(body, options.version);
    body += ',';
  }
  body += "\"content\":{\"content\":";
  append_json_string(body, schema_text);
  body += ",\"contentType\":";
  append_json_string(body, options.content_type);
  body += ",\"references\":[";
  bool first = true;
  for (const auto& ref : options.references) {
    if (!first) body += ',';
    first = false;
    body += '{';
    // An empty group is the default group, which the server knows as a null groupId; it
    // refuses "" (400, GroupId's length check).
    if (!ref.group_id.empty()) {
      body += "\"groupId\":";
      append_json_string(body, ref.group_id);
      body += ',';
    }
    body += "\"artifactId\":";
    append_json_string(body, ref.artifact_id);
    body += ",\"version\":";
    append_json_string(body, ref.version);
    body += ",\"name\":";
    append_json_string(body, ref.name);
    body += '}';
  }
  body += "]}}}";
  return body;
}

}  // namespace apicurio::detail
