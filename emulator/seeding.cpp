// The in-process API without HTTP: seeding, fault factories and small value helpers.
#include <fmt/format.h>
#include <strings.h>

#include <stdexcept>

#include "emulator_impl.hpp"

namespace apicurio::emulator {
namespace {

VersionInfo to_info(const StoredVersion& version) {
  return VersionInfo{version.group.empty() ? "default" : version.group,
                     version.artifact,
                     version.version,
                     version.global_id,
                     version.content_id,
                     version.artifact_type,
                     version.content_type,
                     version.state};
}

std::string lookup(const Pairs& pairs, const std::string& name, bool ignore_case) {
  for (const auto& [key, value] : pairs) {
    if (ignore_case ? strcasecmp(key.c_str(), name.c_str()) == 0 : key == name) return value;
  }
  return {};
}

// Seeding errors: bad ids are the caller's mistake, the rest is registry state.
[[noreturn]] void rethrow(const Problem& problem) {
  if (problem.status == 400) throw std::invalid_argument(problem.what());
  throw std::runtime_error(problem.what());
}

}  // namespace

const char* to_string(VersionState state) {
  switch (state) {
    case VersionState::ENABLED:
      return "ENABLED";
    case VersionState::DISABLED:
      return "DISABLED";
    case VersionState::DEPRECATED:
      return "DEPRECATED";
    case VersionState::DRAFT:
      return "DRAFT";
    case VersionState::SUNSET:
      return "SUNSET";
  }
  return "ENABLED";
}

std::string LoggedRequest::header(const std::string& name) const {
  return lookup(headers, name, true);
}

std::string LoggedRequest::query_param(const std::string& name) const {
  return lookup(query, name, false);
}

Fault Fault::reply_status(std::string route, int status, int count, std::string retry_after,
                          std::string body) {
  Fault fault;
  fault.kind = Kind::Status;
  fault.route = std::move(route);
  fault.status = status;
  fault.count = count;
  fault.retry_after = std::move(retry_after);
  fault.body = std::move(body);
  return fault;
}

Fault Fault::delay_reply(std::string route, std::chrono::milliseconds delay, int count) {
  Fault fault;
  fault.kind = Kind::Delay;
  fault.route = std::move(route);
  fault.delay = delay;
  fault.count = count;
  return fault;
}

Fault Fault::close_mid_body(std::string route, int count) {
  Fault fault;
  fault.kind = Kind::CloseMidBody;
  fault.route = std::move(route);
  fault.count = count;
  return fault;
}

Fault Fault::replace_body(std::string route, std::string body, int count) {
  Fault fault;
  fault.kind = Kind::Body;
  fault.route = std::move(route);
  fault.body = std::move(body);
  fault.count = count;
  return fault;
}

Fault Fault::stall(std::string route, int count, std::chrono::milliseconds max) {
  Fault fault;
  fault.kind = Kind::Stall;
  fault.route = std::move(route);
  fault.delay = max;
  fault.count = count;
  return fault;
}

VersionInfo Emulator::add_version(const std::string& group, const std::string& artifact,
                                  const std::string& content, const VersionSpec& spec) {
  NewVersion version;
  version.version = spec.version;
  version.content = content;
  version.content_type = spec.content_type;
  version.references = spec.references;
  for (Reference& ref : version.references)
    ref.group_id = group_key(ref.group_id);  // as the HTTP route keeps it
  version.state = spec.state;
  NewArtifact request;
  request.artifact_id = artifact;
  request.artifact_type = spec.artifact_type;
  request.first_version = std::move(version);
  try {
    if (artifact.empty()) throw validation_error("The artifact id must not be empty.");
    // As a client would: POST .../versions when the artifact exists, else POST .../artifacts,
    // so each call consumes the ids of one REST call (create_artifact's CREATE_VERSION path
    // takes two contentIds, as the server's does). A creation lost to a concurrent one falls
    // back to a new version.
    Store& store = impl_->store;
    bool exists = true;
    try {
      store.artifact(group, artifact);
    } catch (const Problem& problem) {
      if (problem.status != 404) throw;
      exists = false;
    }
    if (!exists) {
      NewVersion first = *request.first_version;
      try {
        return to_info(
            *store.create_artifact(group, std::move(request), IfExists::Fail, false, false)
                 .version);
      } catch (const Problem& problem) {
        if (problem.name != "ArtifactAlreadyExistsException") throw;
        return to_info(store.create_version(group, artifact, std::move(first), false));
      }
    }
    return to_info(store.create_version(group, artifact, std::move(*request.first_version), false));
  } catch (const Problem& problem) {
    rethrow(problem);
  }
}

void Emulator::set_version_state(const std::string& group, const std::string& artifact,
                                 const std::string& version, VersionState state) {
  try {
    impl_->store.set_state(group, artifact, version, state);
  } catch (const Problem& problem) {
    rethrow(problem);
  }
}

void Emulator::delete_artifact(const std::string& group, const std::string& artifact) {
  try {
    impl_->store.delete_artifact(group, artifact);
  } catch (const Problem& problem) {
    rethrow(problem);
  }
}

}  // namespace apicurio::emulator
