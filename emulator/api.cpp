#include "api.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <set>

#include "avro_dereference.hpp"
#include "render.hpp"
#include "request_body.hpp"

namespace apicurio::emulator {
namespace {

bool flag(const httplib::Request& request, const char* name) {
  return request.get_param_value(name) == "true";
}

IfExists parse_if_exists(const httplib::Request& request) {
  if (!request.has_param("ifExists")) return IfExists::Fail;
  const std::string value = request.get_param_value("ifExists");
  if (value == "FAIL") return IfExists::Fail;
  if (value == "CREATE_VERSION") return IfExists::CreateVersion;
  if (value == "FIND_OR_CREATE_VERSION") return IfExists::FindOrCreateVersion;
  throw bad_request(fmt::format("Invalid value '{}' for query parameter 'ifExists'.", value));
}

// JAX-RS cannot convert a non-numeric id path parameter and answers 404.
std::int64_t parse_id(const std::string& text, const char* parameter) {
  std::int64_t id = 0;
  auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), id);
  if (error != std::errc() || end != text.data() + text.size()) {
    throw Problem(404, "NotFoundException",
                  fmt::format("Unable to extract parameter from http request: "
                              "jakarta.ws.rs.PathParam(\"{}\") value is '{}'",
                              parameter, text));
  }
  return id;
}

Reply json(std::string body, int status = 200) {
  Reply reply;
  reply.status = status;
  reply.body = std::move(body);
  return reply;
}

Reply raw_content(const StoredContent& content) {
  Reply reply;
  reply.content_type =
      content.content_type.empty() ? "application/octet-stream" : content.content_type;
  reply.body = *content.bytes;
  return reply;
}

// Every version `references` names, directly or not, as texts, those referenced by others
// first (RegistryContentUtils.recursivelyResolveReferences); each content once.
void collect_referenced(const Store& store, const std::vector<Reference>& references,
                        std::set<std::int64_t>& seen, std::vector<std::string>& texts) {
  for (const Reference& ref : references) {
    const StoredVersion version =
        store.resolve(ref.group_id.empty() ? "default" : ref.group_id, ref.artifact_id,
                      ref.version.empty() ? "branch=latest" : ref.version);
    if (!seen.insert(version.content_id).second) continue;
    const StoredContent content = store.content(version.content_id);
    collect_referenced(store, content.references, seen, texts);
    texts.push_back(*content.bytes);
  }
}

// The content as the `references` query asks (AbstractResourceImpl.handleContentReferences):
// DEREFERENCE rewrites only content that has references. Only Avro's dereferencer is
// emulated; other types come back as stored.
Reply content_reply(const Store& store, const httplib::Request& request,
                    const StoredVersion& version, const StoredContent& content) {
  if (request.get_param_value("references") != "DEREFERENCE" || content.references.empty() ||
      version.artifact_type != "AVRO") {
    return raw_content(content);
  }
  std::set<std::int64_t> seen{content.content_id};
  std::vector<std::string> referenced;
  collect_referenced(store, content.references, seen, referenced);
  Reply reply;
  reply.content_type = "application/json";  // AvroDereferencer's TypedContent
  reply.body = dereference_avro(*content.bytes, referenced);
  return reply;
}

// Headers.checkIfDeprecated: by coordinates, the server echoes its path parameters as given
// (the group as typed, the version expression unresolved); by globalId, only the flag.
void add_deprecation_headers(Reply& reply, const StoredVersion& version,
                             const std::vector<std::string>* path) {
  if (version.state != VersionState::DEPRECATED) return;
  reply.headers.emplace_back("X-Registry-Deprecated", "true");
  if (path == nullptr) return;
  reply.headers.emplace_back("X-Registry-GroupId", (*path)[1]);
  reply.headers.emplace_back("X-Registry-ArtifactId", (*path)[3]);
  reply.headers.emplace_back("X-Registry-Version", (*path)[5]);
}

Reply unknown(const Route& route, const httplib::Request& request) {
  if (route.wrong_method) {
    return problem_reply(Problem(405, "NotAllowedException",
                                 fmt::format("RESTEASY003650: No resource method found for {}, "
                                             "return 405 with Allow header",
                                             request.method)));
  }
  return problem_reply(Problem(
      404, "NotFoundException",
      fmt::format("RESTEASY003210: Could not find resource for full path: {}", request.target)));
}

// A BigInteger query parameter, or `fallback` when absent; JAX-RS answers 404 for text it
// cannot convert.
std::int64_t integer_param(const httplib::Request& request, const char* name,
                           std::int64_t fallback) {
  if (!request.has_param(name)) return fallback;
  return parse_id(request.get_param_value(name), name);
}

// SearchResourceImpl#searchVersionsByContent: every version (any state but a draft, whose
// content hash is unique) whose content matches the body, ordered by `orderby` (default
// globalId) `order` (default asc), paged by offset (0) and limit (20), with the total count.
Reply search_versions_by_content(const Store& store, const httplib::Request& request) {
  const bool canonical = flag(request, "canonical");
  const std::string artifact_type = request.get_param_value("artifactType");
  if (request.body.empty()) throw bad_request("Empty content is not allowed.");
  if (canonical && !request.has_param("artifactType")) {
    throw bad_request(
        "When setting 'canonical' to 'true', the 'artifactType' query parameter is also "
        "required.");
  }
  const std::string order = request.has_param("order") ? request.get_param_value("order") : "asc";
  const std::string orderby =
      request.has_param("orderby") ? request.get_param_value("orderby") : "globalId";
  if (order != "asc" && order != "desc") {
    throw Problem(404, "NotFoundException",
                  fmt::format("Unable to extract parameter from http request: "
                              "jakarta.ws.rs.QueryParam(\"order\") value is '{}'",
                              order));
  }
  static const char* kSortable[] = {"groupId",   "artifactId", "version", "name",
                                    "createdOn", "modifiedOn", "globalId"};
  if (std::find(std::begin(kSortable), std::end(kSortable), orderby) == std::end(kSortable)) {
    throw Problem(404, "NotFoundException",
                  fmt::format("Unable to extract parameter from http request: "
                              "jakarta.ws.rs.QueryParam(\"orderby\") value is '{}'",
                              orderby));
  }
  const std::int64_t offset = std::max<std::int64_t>(0, integer_param(request, "offset", 0));
  const std::int64_t limit = std::max<std::int64_t>(0, integer_param(request, "limit", 20));
  std::vector<StoredVersion> found = store.search_by_content(
      request.get_param_value("groupId"), request.get_param_value("artifactId"), request.body,
      canonical, artifact_type);
  auto field = [&orderby](const StoredVersion& v) -> std::string {
    if (orderby == "groupId") return v.group;
    if (orderby == "artifactId") return v.artifact;
    if (orderby == "version") return v.version;
    if (orderby == "name") return v.name;
    return v.created_on;
  };
  std::stable_sort(found.begin(), found.end(), [&](const StoredVersion& a, const StoredVersion& b) {
    if (orderby == "globalId") return a.global_id < b.global_id;
    return field(a) < field(b);
  });
  if (order == "desc") std::reverse(found.begin(), found.end());
  std::string items;
  for (std::int64_t i = offset; i < static_cast<std::int64_t>(found.size()) && i - offset < limit;
       ++i) {
    if (!items.empty()) items.push_back(',');
    items += version_metadata_json(found[static_cast<std::size_t>(i)]);
  }
  return json(fmt::format(R"({{"versions":[{}],"count":{}}})", items, found.size()));
}

Reply dispatch(Store& store, const EmulatorOptions& options, const Route& route,
               const httplib::Request& request) {
  const auto& s = route.segments;
  const std::string& name = route.name;
  if (name == "system-info") return json(system_info_json());
  if (name == "search-versions-by-content") return search_versions_by_content(store, request);
  if (name == "create-artifact") {
    IfExists if_exists = parse_if_exists(request);
    NewArtifact body = parse_create_artifact(request.body);
    return json(create_artifact_json(store.create_artifact(
        s[1], std::move(body), if_exists, flag(request, "canonical"), flag(request, "dryRun"))));
  }
  if (name == "artifact-metadata") return json(artifact_metadata_json(store.artifact(s[1], s[3])));
  if (name == "delete-artifact") {
    // GroupsResourceImpl.deleteArtifact: checked before anything else (RestConfig's
    // apicurio.rest.deletion.artifact.enabled, false by default).
    if (!options.artifact_deletion_enabled) {
      Problem refused(405, "NotAllowedException", "Artifact deletion operation is not enabled.");
      refused.headers.emplace_back("Allow", "GET");
      throw refused;
    }
    store.delete_artifact(s[1], s[3]);
    Reply reply = json("", 204);
    reply.content_type.clear();
    return reply;
  }
  if (name == "list-versions") return json(version_list_json(store.versions(s[1], s[3])));
  if (name == "create-version") {
    NewVersion body = parse_create_version(request.body);
    return json(version_metadata_json(
        store.create_version(s[1], s[3], std::move(body), flag(request, "dryRun"))));
  }
  if (name == "version-metadata") {
    return json(version_metadata_json(store.resolve(s[1], s[3], s[5])));
  }
  if (name == "version-content" || name == "version-references") {
    StoredVersion version = store.resolve(s[1], s[3], s[5]);
    // GroupsResourceImpl.getArtifactVersionContent names the path's group and expression.
    if (version.state == VersionState::DISABLED) throw version_not_found(s[1], s[3], s[5]);
    StoredContent content = store.content(version.content_id);
    if (name == "version-references") return json(references_json(content.references));
    Reply reply = content_reply(store, request, version, content);
    add_deprecation_headers(reply, version, &s);
    return reply;
  }
  if (name == "global-id-content" || name == "global-id-references") {
    auto [version, content] = store.by_global_id(parse_id(s[2], "globalId"));
    if (name == "global-id-references") return json(references_json(content.references));
    Reply reply = content_reply(store, request, version, content);
    if (flag(request, "returnArtifactType")) {
      reply.headers.emplace_back("X-Registry-ArtifactType", version.artifact_type);
    }
    add_deprecation_headers(reply, version, nullptr);
    return reply;
  }
  if (name == "content-id-content" || name == "content-id-references") {
    StoredContent content = store.by_content_id(parse_id(s[2], "contentId"));
    if (name == "content-id-references") return json(references_json(content.references));
    return raw_content(content);
  }
  if (name == "content-hash-content" || name == "content-hash-references") {
    StoredContent content = store.by_content_hash(s[2]);
    if (name == "content-hash-references") return json(references_json(content.references));
    return raw_content(content);
  }
  return unknown(route, request);
}

}  // namespace

Reply problem_reply(const Problem& problem) {
  Reply reply = json(problem_json(problem), problem.status);
  reply.headers = problem.headers;
  return reply;
}

Reply handle_api(Store& store, const EmulatorOptions& options, const Route& route,
                 const httplib::Request& request) {
  try {
    return dispatch(store, options, route, request);
  } catch (const Problem& problem) {
    return problem_reply(problem);
  } catch (const std::bad_alloc&) {
    throw;
  } catch (const std::exception& error) {
    return problem_reply(Problem(500, "RegistryException", error.what()));
  }
}

}  // namespace apicurio::emulator
