#include "request_body.hpp"

#include <fmt/format.h>
#include <simdjson.h>

namespace apicurio::emulator {
namespace {

using simdjson::dom::element;
using simdjson::dom::object;

Problem missing(const std::string& parameter) {
  return Problem(400, "MissingRequiredParameterException",
                 "Request is missing a required parameter: " + parameter);
}

Problem malformed(const std::string& what) {
  return bad_request(fmt::format("Unable to parse the request body: {}", what));
}

// A string field, or "" when absent or null; wrong types are a 400.
std::string text_field(object parent, const char* name, const std::string& path) {
  element value;
  if (parent[name].get(value) != simdjson::SUCCESS || value.is_null()) return {};
  std::string_view text;
  if (value.get(text) != simdjson::SUCCESS) {
    throw malformed(fmt::format("{}.{} must be a string", path, name));
  }
  return std::string(text);
}

bool has_field(object parent, const char* name) {
  element value;
  return parent[name].get(value) == simdjson::SUCCESS && !value.is_null();
}

object object_field(object parent, const char* name, const std::string& path) {
  object value;
  if (parent[name].get(value) != simdjson::SUCCESS) {
    throw malformed(fmt::format("{}.{} must be an object", path, name));
  }
  return value;
}

std::vector<Reference> parse_references(object content, const std::string& path) {
  std::vector<Reference> references;
  if (!has_field(content, "references")) return references;
  simdjson::dom::array items;
  if (content["references"].get(items) != simdjson::SUCCESS) {
    throw malformed(path + ".references must be an array");
  }
  for (element item : items) {
    object ref;
    if (item.get(ref) != simdjson::SUCCESS) {
      throw malformed(path + ".references[] must hold objects");
    }
    const std::string where = path + ".references[]";
    // As v3 GroupsResourceImpl.toReferenceDtos: each groupId becomes a GroupId, whose
    // constructor accepts null (the default group) but refuses "".
    if (has_field(ref, "groupId") && text_field(ref, "groupId", where).empty()) {
      throw validation_error("Group ID '' is invalid. It must have length 1..512 (inclusive).");
    }
    // Kept as GroupId.getRawGroupIdWithNull(): "default" and null are one group, in content
    // hashes too.
    references.push_back(Reference{
        group_key(text_field(ref, "groupId", where)), text_field(ref, "artifactId", where),
        text_field(ref, "version", where), text_field(ref, "name", where)});
  }
  return references;
}

NewVersion parse_version(object root, const std::string& path) {
  if (!has_field(root, "content")) throw missing(path + ".content");
  object content = object_field(root, "content", path);
  NewVersion version;
  version.version = text_field(root, "version", path);
  version.name = text_field(root, "name", path);
  version.description = text_field(root, "description", path);
  if (!has_field(content, "content")) throw missing(path + ".content.content");
  version.content = text_field(content, "content", path + ".content");
  if (!has_field(content, "contentType")) throw missing(path + ".content.contentType");
  version.content_type = text_field(content, "contentType", path + ".content");
  version.references = parse_references(content, path + ".content");
  bool is_draft = false;
  element draft;
  if (root["isDraft"].get(draft) == simdjson::SUCCESS && draft.get(is_draft) == simdjson::SUCCESS &&
      is_draft) {
    version.state = VersionState::DRAFT;
  }
  return version;
}

object parse_root(simdjson::dom::parser& parser, const std::string& body) {
  if (body.empty()) throw missing("body");
  element root;
  auto error = parser.parse(body).get(root);
  if (error != simdjson::SUCCESS) throw malformed(simdjson::error_message(error));
  object top;
  if (root.get(top) != simdjson::SUCCESS) throw malformed("the body must be a JSON object");
  return top;
}

}  // namespace

NewArtifact parse_create_artifact(const std::string& body) {
  simdjson::dom::parser parser;
  object root = parse_root(parser, body);
  NewArtifact artifact;
  artifact.artifact_id = text_field(root, "artifactId", "body");
  artifact.artifact_type = text_field(root, "artifactType", "body");
  artifact.name = text_field(root, "name", "body");
  artifact.description = text_field(root, "description", "body");
  if (has_field(root, "firstVersion")) {
    artifact.first_version =
        parse_version(object_field(root, "firstVersion", "body"), "body.firstVersion");
  }
  return artifact;
}

NewVersion parse_create_version(const std::string& body) {
  simdjson::dom::parser parser;
  return parse_version(parse_root(parser, body), "body");
}

}  // namespace apicurio::emulator
