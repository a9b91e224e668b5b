#include "api.hpp"

#include <fmt/format.h>

#include <charconv>

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

void add_deprecation_headers(Reply& reply, const StoredVersion& version, bool with_coordinates) {
  if (version.state != VersionState::DEPRECATED) return;
  reply.headers.emplace_back("X-Registry-Deprecated", "true");
  if (!with_coordinates) return;
  if (!version.group.empty()) reply.headers.emplace_back("X-Registry-GroupId", version.group);
  reply.headers.emplace_back("X-Registry-ArtifactId", version.artifact);
  reply.headers.emplace_back("X-Registry-Version", version.version);
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

Reply dispatch(Store& store, const Route& route, const httplib::Request& request) {
  const auto& s = route.segments;
  const std::string& name = route.name;
  if (name == "system-info") return json(system_info_json());
  if (name == "create-artifact") {
    IfExists if_exists = parse_if_exists(request);
    NewArtifact body = parse_create_artifact(request.body);
    return json(create_artifact_json(store.create_artifact(
        s[1], std::move(body), if_exists, flag(request, "canonical"), flag(request, "dryRun"))));
  }
  if (name == "artifact-metadata") return json(artifact_metadata_json(store.artifact(s[1], s[3])));
  if (name == "delete-artifact") {
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
    if (version.state == VersionState::DISABLED) {
      throw version_not_found(group_title(version.group), s[3], s[5]);
    }
    StoredContent content = store.content(version.content_id);
    if (name == "version-references") return json(references_json(content.references));
    Reply reply = raw_content(content);
    add_deprecation_headers(reply, version, true);
    return reply;
  }
  if (name == "global-id-content" || name == "global-id-references") {
    auto [version, content] = store.by_global_id(parse_id(s[2], "globalId"));
    if (name == "global-id-references") return json(references_json(content.references));
    Reply reply = raw_content(content);
    if (flag(request, "returnArtifactType")) {
      reply.headers.emplace_back("X-Registry-ArtifactType", version.artifact_type);
    }
    add_deprecation_headers(reply, version, false);
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
  return json(problem_json(problem), problem.status);
}

Reply handle_api(Store& store, const Route& route, const httplib::Request& request) {
  try {
    return dispatch(store, route, request);
  } catch (const Problem& problem) {
    return problem_reply(problem);
  } catch (const std::bad_alloc&) {
    throw;
  } catch (const std::exception& error) {
    return problem_reply(Problem(500, "RegistryException", error.what()));
  }
}

}  // namespace apicurio::emulator
