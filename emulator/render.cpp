#include "render.hpp"

#include <fmt/format.h>

#include "json_out.hpp"

namespace apicurio::emulator {
namespace {

std::string group_field(const std::string& key) {
  return key.empty() ? std::string() : fmt::format(R"("groupId":{},)", json_quote(key));
}

std::string optional_text(const char* name, const std::string& value) {
  return value.empty() ? std::string() : fmt::format(R"("{}":{},)", name, json_quote(value));
}

}  // namespace

std::string version_metadata_json(const StoredVersion& v) {
  return fmt::format(
      R"({{{}"artifactId":{},"version":{},"globalId":{},"contentId":{},"artifactType":{},)"
      R"("state":"{}",{}{}"owner":"","createdOn":{},"modifiedBy":"","modifiedOn":{},"labels":{{}}}})",
      group_field(v.group), json_quote(v.artifact), json_quote(v.version), v.global_id,
      v.content_id, json_quote(v.artifact_type), to_string(v.state), optional_text("name", v.name),
      optional_text("description", v.description), json_quote(v.created_on),
      json_quote(v.created_on));
}

std::string artifact_metadata_json(const StoredArtifact& a) {
  return fmt::format(R"({{{}"artifactId":{},"artifactType":{},{}{}"owner":"","createdOn":{},)"
                     R"("modifiedBy":"","modifiedOn":{},"labels":{{}}}})",
                     group_field(a.group), json_quote(a.artifact), json_quote(a.artifact_type),
                     optional_text("name", a.name), optional_text("description", a.description),
                     json_quote(a.created_on), json_quote(a.modified_on));
}

std::string version_list_json(const std::vector<StoredVersion>& versions) {
  std::string items;
  for (const auto& v : versions) {
    if (!items.empty()) items.push_back(',');
    items += version_metadata_json(v);
  }
  return fmt::format(R"({{"versions":[{}],"count":{}}})", items, versions.size());
}

std::string references_json(const std::vector<Reference>& references) {
  std::string items;
  for (const auto& r : references) {
    if (!items.empty()) items.push_back(',');
    // The default group is stored as null and left out, as for version metadata.
    items += fmt::format(R"({{{}"artifactId":{},"version":{},"name":{}}})", group_field(r.group_id),
                         json_quote(r.artifact_id), json_quote(r.version), json_quote(r.name));
  }
  return "[" + items + "]";
}

std::string create_artifact_json(const CreateResult& result) {
  if (!result.version) {
    return fmt::format(R"({{"artifact":{}}})", artifact_metadata_json(result.artifact));
  }
  return fmt::format(R"({{"artifact":{},"version":{}}})", artifact_metadata_json(result.artifact),
                     version_metadata_json(*result.version));
}

std::string system_info_json() {
  return R"json({"name":"Apicurio Registry (emulator)",)json"
         R"json("description":"High performance, runtime registry for schemas and API designs.",)json"
         R"json("version":"3.3.1","builtOn":"2025-01-01T00:00:00Z"})json";
}

}  // namespace apicurio::emulator
