#include "decode.hpp"

#include <fmt/format.h>
#include <simdjson.h>

#include <algorithm>
#include <cctype>
#include <cstdint>
#include <limits>

namespace apicurio::detail {
namespace {

using simdjson::dom::element;
using simdjson::dom::object;

simdjson::dom::parser& thread_parser() {
  thread_local simdjson::dom::parser parser;
  return parser;
}

element parse(std::string_view body, const char* what) {
  element root;
  // The parser copies into its own padded buffer, so the body needs no padding.
  auto error = thread_parser().parse(body.data(), body.size(), true).get(root);
  if (error) {
    throw DecodeError(
        fmt::format("{} is not valid JSON ({})", what, simdjson::error_message(error)));
  }
  return root;
}

object as_object(element value, const char* what) {
  object result;
  if (value.get(result)) throw DecodeError(fmt::format("{} is not a JSON object", what));
  return result;
}

std::string required_string(object obj, const char* field, const char* what) {
  std::string_view value;
  auto error = obj[field].get(value);
  if (error == simdjson::NO_SUCH_FIELD) {
    throw DecodeError(fmt::format("{} has no field '{}'", what, field));
  }
  if (error) throw DecodeError(fmt::format("{} field '{}' is not a string", what, field));
  return std::string(value);
}

// Absent and null both read as `fallback`; another type is an error.
std::string optional_string(object obj, const char* field, const char* what,
                            std::string_view fallback = {}) {
  element value;
  if (obj[field].get(value) || value.is_null()) return std::string(fallback);
  std::string_view text;
  if (value.get(text)) throw DecodeError(fmt::format("{} field '{}' is not a string", what, field));
  return std::string(text);
}

std::int64_t required_int(object obj, const char* field, const char* what) {
  element value;
  if (obj[field].get(value)) throw DecodeError(fmt::format("{} has no field '{}'", what, field));
  std::int64_t number = 0;
  if (value.get(number)) {
    throw DecodeError(fmt::format("{} field '{}' is not a 64-bit integer", what, field));
  }
  return number;
}

VersionMeta version_meta_from(object obj, const char* what) {
  VersionMeta meta;
  meta.global_id = required_int(obj, "globalId", what);
  meta.content_id = required_int(obj, "contentId", what);
  meta.artifact_id = required_string(obj, "artifactId", what);
  meta.version = required_string(obj, "version", what);
  meta.artifact_type = optional_string(obj, "artifactType", what);
  meta.state = optional_string(obj, "state", what);
  meta.group_id = optional_string(obj, "groupId", what, "default");
  return meta;
}

}  // namespace

VersionMeta decode_version_meta(std::string_view body) {
  const char* what = "the version metadata";
  return version_meta_from(as_object(parse(body, what), what), what);
}

VersionMeta decode_create_artifact(std::string_view body) {
  const char* what = "the create-artifact reply";
  object root = as_object(parse(body, what), what);
  element version;
  if (root["version"].get(version)) {
    throw DecodeError(fmt::format("{} has no field 'version'", what));
  }
  return version_meta_from(as_object(version, "the create-artifact reply's version"),
                           "the create-artifact reply's version");
}

std::vector<VersionMeta> decode_version_search(std::string_view body) {
  const char* what = "the version search results";
  object root = as_object(parse(body, what), what);
  simdjson::dom::array items;
  if (root["versions"].get(items)) {
    throw DecodeError(fmt::format("{} has no array 'versions'", what));
  }
  std::vector<VersionMeta> versions;
  for (element item : items) {
    versions.push_back(
        version_meta_from(as_object(item, "a searched version"), "a searched version"));
  }
  return versions;
}

void take_version_meta(CachedSchema& schema, VersionMeta meta) {
  schema.global_id = meta.global_id;
  schema.content_id = meta.content_id;
  schema.group_id = std::move(meta.group_id);
  schema.artifact_id = std::move(meta.artifact_id);
  schema.version = std::move(meta.version);
  schema.artifact_type = std::move(meta.artifact_type);
  schema.state = parse_version_state(meta.state);
}

VersionState parse_version_state(std::string_view name) noexcept {
  if (name == "ENABLED") return VersionState::enabled;
  if (name == "DISABLED") return VersionState::disabled;
  if (name == "DEPRECATED") return VersionState::deprecated;
  if (name == "DRAFT") return VersionState::draft;
  if (name == "SUNSET") return VersionState::sunset;
  return VersionState::unknown;
}

std::vector<ArtifactReference> decode_references(std::string_view body) {
  const char* what = "the references list";
  simdjson::dom::array items;
  if (parse(body, what).get(items)) throw DecodeError(fmt::format("{} is not a JSON array", what));
  std::vector<ArtifactReference> references;
  for (element item : items) {
    object obj = as_object(item, "a reference");
    ArtifactReference ref;
    ref.group_id = optional_string(obj, "groupId", "a reference", "default");
    ref.artifact_id = required_string(obj, "artifactId", "a reference");
    ref.version = optional_string(obj, "version", "a reference");
    ref.name = optional_string(obj, "name", "a reference");
    references.push_back(std::move(ref));
  }
  return references;
}

TokenReply decode_token(std::string_view body) {
  const char* what = "the token response";
  object obj = as_object(parse(body, what), what);
  TokenReply reply;
  reply.access_token = required_string(obj, "access_token", what);
  if (reply.access_token.empty()) throw DecodeError("the token response has an empty access_token");
  element expires;
  if (!obj["expires_in"].get(expires) && !expires.is_null()) {
    std::uint64_t seconds = 0;
    if (expires.get(seconds)) {  // negative, fractional or not a number
      throw DecodeError("the token response field 'expires_in' is not a non-negative integer");
    }
    // A lifetime past what int64 holds is "for ever", not an error.
    constexpr auto kMax = static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max());
    reply.expires_in = static_cast<std::int64_t>(std::min(seconds, kMax));
  }
  reply.token_type = optional_string(obj, "token_type", what);
  std::string type = reply.token_type;
  for (char& c : type)
    c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (!type.empty() && type != "bearer") {
    throw DecodeError(
        fmt::format("the token response has token_type '{}', not Bearer", reply.token_type));
  }
  return reply;
}

OAuthError decode_oauth_error(std::string_view body) {
  OAuthError error;
  try {
    object obj = as_object(parse(body, "the token error"), "the token error");
    error.error = optional_string(obj, "error", "");
    error.description = optional_string(obj, "error_description", "");
  } catch (const DecodeError&) {
    // Not JSON: the status alone must do.
  }
  return error;
}

Problem decode_problem(std::string_view body) {
  Problem problem;
  try {
    object obj = as_object(parse(body, "the error body"), "the error body");
    problem.title = optional_string(obj, "title", "");
    problem.name = optional_string(obj, "name", "");
    problem.detail = optional_string(obj, "detail", "");
    std::int64_t status = 0;
    if (!obj["status"].get(status)) problem.status = static_cast<int>(status);
    simdjson::dom::array causes;
    if (!obj["causes"].get(causes)) {
      for (element cause : causes) {
        object c;
        if (cause.get(c)) continue;
        problem.causes.push_back(
            {optional_string(c, "description", ""), optional_string(c, "context", "")});
      }
    }
  } catch (const DecodeError&) {
    // Not a ProblemDetails body (proxies send HTML, OIDC layers send nothing): the status
    // alone must do.
  }
  return problem;
}

}  // namespace apicurio::detail
