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

// The statuses the client itself retries (lib/retry.cpp): the registry or a gateway turned
// the request away for now.
bool is_unavailable(int status) noexcept {
  return status == 429 || status == 502 || status == 503 || status == 504;
}

ErrorCode code_of_status(int status, bool malformed) noexcept {
  if (malformed) return ErrorCode::malformed_reply;
  if (is_unavailable(status)) return ErrorCode::unavailable;
  if (status == 409) return ErrorCode::conflict;
  if (status >= 400 && status < 500) return ErrorCode::rejected;
  return ErrorCode::server;  // 5xx, or a status the call does not expect
}

// As lib/retry.cpp: a TLS or unknown transport failure would fail the same way again.
bool connection_retriable(ConnectionFailure failure) noexcept {
  return failure != ConnectionFailure::tls && failure != ConnectionFailure::other;
}

}  // namespace

const char* to_string(ErrorCode code) noexcept {
  switch (code) {
    case ErrorCode::unknown:
      break;
    case ErrorCode::not_found:
      return "not_found";
    case ErrorCode::connection:
      return "connection";
    case ErrorCode::timed_out:
      return "timed_out";
    case ErrorCode::auth:
      return "auth";
    case ErrorCode::rejected:
      return "rejected";
    case ErrorCode::conflict:
      return "conflict";
    case ErrorCode::unavailable:
      return "unavailable";
    case ErrorCode::server:
      return "server";
    case ErrorCode::malformed_reply:
      return "malformed_reply";
    case ErrorCode::too_large:
      return "too_large";
    case ErrorCode::closed:
      return "closed";
    case ErrorCode::wire_format:
      return "wire_format";
    case ErrorCode::invalid_argument:
      return "invalid_argument";
  }
  return "unknown";
}

// An exception_ptr can only be looked into by rethrowing it; this is the one place that does
// so to classify, so that callers switch on a code instead of ordering catch clauses.
ErrorCode error_code(const std::exception_ptr& error) noexcept {
  if (!error) return ErrorCode::unknown;
  try {
    std::rethrow_exception(error);
  } catch (const Error& e) {
    return e.code();
  } catch (const std::invalid_argument&) {
    return ErrorCode::invalid_argument;
  } catch (...) {
    return ErrorCode::unknown;
  }
}

bool is_retriable(const std::exception_ptr& error) noexcept {
  if (!error) return false;
  try {
    std::rethrow_exception(error);
  } catch (const Error& e) {
    return e.is_retriable();
  } catch (...) {
    return false;
  }
}

SchemaNotFoundError::SchemaNotFoundError(std::string group_id, std::string artifact_id,
                                         std::string version, std::string registry_title)
    : Error(ErrorCode::not_found, false,
            with_title(fmt::format("no schema for artifact '{}' version '{}' in group '{}'",
                                   artifact_id, version, group_id),
                       registry_title)),
      group_id_(std::move(group_id)),
      artifact_id_(std::move(artifact_id)),
      version_(std::move(version)),
      registry_title_(std::move(registry_title)) {}

SchemaNotFoundError::SchemaNotFoundError(IdKind kind, std::int64_t id, std::string registry_title)
    : Error(
          ErrorCode::not_found, false,
          with_title(fmt::format("no schema with {} {}", id_kind_name(kind), id), registry_title)),
      registry_title_(std::move(registry_title)),
      by_id_(true),
      id_kind_(kind),
      id_(id) {}

RegistryConnectionError::RegistryConnectionError(std::string url, ConnectionFailure failure,
                                                 std::string cause)
    : Error(failure == ConnectionFailure::timeout ? ErrorCode::timed_out : ErrorCode::connection,
            connection_retriable(failure),
            fmt::format("cannot reach the registry at {}: {} ({})", url, failure_name(failure),
                        cause)),
      url_(std::move(url)),
      failure_(failure),
      cause_(std::move(cause)) {}

RegistryError::RegistryError(const std::string& message, int status, std::string problem_name,
                             std::string problem_title, std::vector<RuleViolation> causes,
                             bool malformed)
    : RegistryError(code_of_status(status, malformed), !malformed && is_unavailable(status),
                    message, status, std::move(problem_name), std::move(problem_title),
                    std::move(causes), malformed) {}

RegistryError::RegistryError(ErrorCode code, bool retriable, const std::string& message, int status,
                             std::string problem_name, std::string problem_title,
                             std::vector<RuleViolation> causes, bool malformed)
    : Error(code, retriable, message),
      status_(status),
      problem_name_(std::move(problem_name)),
      problem_title_(std::move(problem_title)),
      causes_(std::move(causes)),
      malformed_(malformed) {}

AuthenticationError::AuthenticationError(const std::string& message, int status,
                                         std::string problem_name, std::string problem_title,
                                         std::vector<RuleViolation> causes, bool malformed)
    : RegistryError(ErrorCode::auth, !malformed && is_unavailable(status), message, status,
                    std::move(problem_name), std::move(problem_title), std::move(causes),
                    malformed) {}

ResponseTooLargeError::ResponseTooLargeError(std::string url, std::size_t limit)
    : Error(ErrorCode::too_large, false,
            fmt::format("the reply from {} is larger than max_response_bytes ({} bytes)", url,
                        limit)),
      limit_(limit) {}

ClientClosedError::ClientClosedError()
    : Error(ErrorCode::closed, false, "the registry client is closed") {}

ClientClosedError::ClientClosedError(const std::string& message)
    : Error(ErrorCode::closed, false, message) {}

}  // namespace apicurio
