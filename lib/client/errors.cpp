#include <apicurio/errors.hpp>

#include <fmt/format.h>

namespace apicurio {
namespace {

const char* id_kind_name(IdKind kind) {
  return kind == IdKind::global_id ? "globalId" : "contentId";
}

const char* failure_name(ConnectionFailure failure) {
  switch (failure) {
    case ConnectionFailure::refused:
      return "connection refused";
    case ConnectionFailure::reset:
      return "connection reset";
    case ConnectionFailure::timeout:
      return "timed out";
    case ConnectionFailure::dns:
      return "host name not resolved";
    case ConnectionFailure::tls:
      return "TLS failure";
    case ConnectionFailure::other:
      break;
  }
  return "transport failure";
}

std::string with_title(std::string message, const std::string& title) {
  if (!title.empty()) message += fmt::format(" (registry: {})", title);
  return message;
}

}  // namespace

SchemaNotFoundError::SchemaNotFoundError(std::string group_id, std::string artifact_id,
                                         std::string version, std::string registry_title)
    : Error(with_title(fmt::format("no schema for artifact '{}' version '{}' in group '{}'",
                                   artifact_id, version, group_id),
                       registry_title)),
      group_id_(std::move(group_id)),
      artifact_id_(std::move(artifact_id)),
      version_(std::move(version)),
      registry_title_(std::move(registry_title)) {}

SchemaNotFoundError::SchemaNotFoundError(IdKind kind, std::int64_t id, std::string registry_title)
    : Error(
          with_title(fmt::format("no schema with {} {}", id_kind_name(kind), id), registry_title)),
      registry_title_(std::move(registry_title)),
      by_id_(true),
      id_kind_(kind),
      id_(id) {}

RegistryConnectionError::RegistryConnectionError(std::string url, ConnectionFailure failure,
                                                 std::string cause)
    : Error(fmt::format("cannot reach the registry at {}: {} ({})", url, failure_name(failure),
                        cause)),
      url_(std::move(url)),
      failure_(failure),
      cause_(std::move(cause)) {}

RegistryError::RegistryError(const std::string& message, int status, std::string problem_name,
                             std::string problem_title, std::vector<RuleViolation> causes,
                             bool malformed)
    : Error(message),
      status_(status),
      problem_name_(std::move(problem_name)),
      problem_title_(std::move(problem_title)),
      causes_(std::move(causes)),
      malformed_(malformed) {}

ResponseTooLargeError::ResponseTooLargeError(std::string url, std::size_t limit)
    : Error(fmt::format("the reply from {} is larger than max_response_bytes ({} bytes)", url,
                        limit)),
      limit_(limit) {}

ClientClosedError::ClientClosedError() : Error("the registry client is closed") {}

}  // namespace apicurio
