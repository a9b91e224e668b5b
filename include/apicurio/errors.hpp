// The error hierarchy. Every failure a future or a call reports is an apicurio::Error;
// each subclass carries the fields a caller needs to act on it.
//
// Threads: an error is immutable once constructed, so every member of these classes may be
// called from any thread, concurrently on one object, and none blocks. The accessors (and
// what()) never throw; the constructors throw std::bad_alloc only.
#pragma once

#include <apicurio/export.hpp>

#include <cstdint>
#include <exception>
#include <stdexcept>
#include <string>
#include <vector>

namespace apicurio {

/// What kind of failure an Error is, for callers that decide by kind rather than by
/// exception class (as librdkafka's rd_kafka_error_code()). Every error the library reports
/// has one; the names are stable (to_string()).
enum class ErrorCode {
  /// Not an error of this library (what a user callback threw), or an Error built without
  /// a code.
  unknown,
  /// The registry has no such artifact, version or id (SchemaNotFoundError).
  not_found,
  /// No HTTP answer: connection refused or reset, host not resolved, TLS failure
  /// (RegistryConnectionError).
  connection,
  /// No answer in time: request_timeout or call_deadline passed (RegistryConnectionError
  /// with ConnectionFailure::timeout).
  timed_out,
  /// Credentials or role refused (401, 403), or no token could be had (AuthenticationError).
  auth,
  /// The registry refused the request as invalid (a 4xx other than 401, 403, 409 and 429;
  /// for a registration, 400 or 422 rule violations).
  rejected,
  /// The artifact or version already exists (409; a registration with IfExists::fail).
  conflict,
  /// The registry or a gateway is briefly unavailable (429, 502, 503, 504 after the
  /// client's own retries).
  unavailable,
  /// The registry failed (500 and other 5xx) or answered a status the call does not expect.
  server,
  /// The reply's body is not what the API documents (RegistryError::malformed()).
  malformed_reply,
  /// A limit the caller set was exceeded: a reply larger than max_response_bytes
  /// (ResponseTooLargeError), references nested deeper than resolve_references' bound
  /// (ReferenceDepthError).
  too_large,
  /// The client was closed, or moved from (ClientClosedError).
  closed,
  /// A record's bytes or id header do not have the expected framing (WireFormatError).
  wire_format,
  /// An argument cannot be used: a schema an artifact id strategy cannot name
  /// (ArtifactStrategyError); error_code() also gives it for std::invalid_argument.
  invalid_argument,
};

/// The code's name as written in ErrorCode ("not_found", ...). Any thread; never throws.
APICURIO_API const char* to_string(ErrorCode code) noexcept;

/// Root of every error the library reports. what() is a complete sentence.
class APICURIO_API Error : public std::runtime_error {
 public:
  /// `message` becomes what(); code() is ErrorCode::unknown. Throws only std::bad_alloc.
  explicit Error(const std::string& message) : Error(ErrorCode::unknown, false, message) {}
  /// An error of kind `code` (for test doubles of the library's errors; the library itself
  /// throws the subclasses below). Throws only std::bad_alloc.
  Error(ErrorCode code, bool retriable, const std::string& message)
      : std::runtime_error(message), code_(code), retriable_(retriable) {}

  /// What kind of failure this is.
  ErrorCode code() const noexcept { return code_; }
  /// True when the same call, made again later, may succeed: the failure was transient (no
  /// connection, a timeout, 429, 502, 503, 504) and the client's own retries (max_retries)
  /// are spent. A retriable timed_out or connection reset of a register_schema with
  /// IfExists::create_version may have registered the version already.
  bool is_retriable() const noexcept { return retriable_; }

 private:
  ErrorCode code_;
  bool retriable_;
};

/// The code of the error `error` holds: Error::code() for an apicurio::Error,
/// ErrorCode::invalid_argument for a std::invalid_argument, ErrorCode::unknown for anything
/// else or a null pointer. For a future's failure: error_code(result.error()). Any thread;
/// never blocks; never throws.
APICURIO_API ErrorCode error_code(const std::exception_ptr& error) noexcept;
/// Error::is_retriable() for an apicurio::Error; false for anything else or a null pointer.
/// Any thread; never blocks; never throws.
APICURIO_API bool is_retriable(const std::exception_ptr& error) noexcept;

/// Which kind of identifier a lookup used.
enum class IdKind { global_id, content_id };

/// The registry has no such artifact, version or id (HTTP 404).
class APICURIO_API SchemaNotFoundError : public Error {
 public:
  /// Not found by group, artifact and version expression.
  SchemaNotFoundError(std::string group_id, std::string artifact_id, std::string version,
                      std::string registry_title);
  /// Not found by globalId or contentId.
  SchemaNotFoundError(IdKind kind, std::int64_t id, std::string registry_title);

  /// The group looked in; empty when the lookup was by id.
  const std::string& group_id() const noexcept { return group_id_; }
  /// The artifact looked for; empty when the lookup was by id.
  const std::string& artifact_id() const noexcept { return artifact_id_; }
  /// The version expression asked for ("branch=latest" for the latest version).
  const std::string& version() const noexcept { return version_; }
  /// True when the lookup was by id; then id_kind() and id() say which.
  bool by_id() const noexcept { return by_id_; }
  /// Whether id() is a globalId or a contentId; meaningful only when by_id().
  IdKind id_kind() const noexcept { return id_kind_; }
  /// The globalId or contentId looked for; meaningful only when by_id().
  std::int64_t id() const noexcept { return id_; }
  /// The registry's ProblemDetails title, empty if it sent none.
  const std::string& registry_title() const noexcept { return registry_title_; }

 private:
  std::string group_id_, artifact_id_, version_, registry_title_;
  bool by_id_ = false;
  IdKind id_kind_ = IdKind::global_id;
  std::int64_t id_ = 0;
};

/// Why a request never got an HTTP answer.
enum class ConnectionFailure { refused, reset, timeout, dns, tls, other };

/// The registry could not be reached or did not answer in time.
class APICURIO_API RegistryConnectionError : public Error {
 public:
  /// `url` must already be stripped of credentials; `cause` is the transport's message.
  RegistryConnectionError(std::string url, ConnectionFailure failure, std::string cause);
  /// The registry base URL, without credentials.
  const std::string& url() const noexcept { return url_; }
  /// What went wrong, for callers that react differently to, say, DNS and timeouts.
  ConnectionFailure failure() const noexcept { return failure_; }
  /// The transport's own description of the failure.
  const std::string& cause() const noexcept { return cause_; }

 private:
  std::string url_;
  ConnectionFailure failure_;
  std::string cause_;
};

/// One rule violation the registry listed in a ProblemDetails `causes` array.
struct APICURIO_API RuleViolation {
  /// What the rule found wrong.
  std::string description;
  /// Where in the content, as the registry reports it (may be empty).
  std::string context;
};

/// The registry answered with a status the operation did not expect, or with a body that
/// is not what the API promises (then status() is the HTTP status of that reply and
/// malformed() is true). code() follows from the status: see ErrorCode.
class APICURIO_API RegistryError : public Error {
 public:
  /// `message` becomes what(); the other arguments are what the accessors return.
  RegistryError(const std::string& message, int status, std::string problem_name,
                std::string problem_title, std::vector<RuleViolation> causes = {},
                bool malformed = false);
  /// The HTTP status.
  int status() const noexcept { return status_; }
  /// ProblemDetails `name` (the server's exception class), empty if absent.
  const std::string& problem_name() const noexcept { return problem_name_; }
  /// ProblemDetails `title`, empty if absent.
  const std::string& problem_title() const noexcept { return problem_title_; }
  /// ProblemDetails `causes` (rule violations), empty if absent.
  const std::vector<RuleViolation>& causes() const noexcept { return causes_; }
  /// True when the body did not have the shape the API documents.
  bool malformed() const noexcept { return malformed_; }

 protected:
  /// For subclasses whose code does not follow from the status alone.
  RegistryError(ErrorCode code, bool retriable, const std::string& message, int status,
                std::string problem_name, std::string problem_title,
                std::vector<RuleViolation> causes, bool malformed);

 private:
  int status_;
  std::string problem_name_, problem_title_;
  std::vector<RuleViolation> causes_;
  bool malformed_;
};

/// The registry refused to register a schema (409 already exists, 400/422 rule violations).
class APICURIO_API SchemaRegistrationError : public RegistryError {
 public:
  /// The same arguments as RegistryError.
  using RegistryError::RegistryError;
};

/// The registry rejected the credentials (401) or the caller's role (403), or no token could
/// be had (then status() is the token endpoint's, or 0 for a token provider's empty token).
/// code() is ErrorCode::auth; retriable when the token endpoint was briefly unavailable.
class APICURIO_API AuthenticationError : public RegistryError {
 public:
  /// The same arguments as RegistryError.
  AuthenticationError(const std::string& message, int status, std::string problem_name,
                      std::string problem_title, std::vector<RuleViolation> causes = {},
                      bool malformed = false);
};

/// The reply was larger than ClientOptions::max_response_bytes.
class APICURIO_API ResponseTooLargeError : public Error {
 public:
  /// `url` is the request's URL without credentials, `limit` the size it exceeded.
  ResponseTooLargeError(std::string url, std::size_t limit);
  /// ClientOptions::max_response_bytes at the time of the request.
  std::size_t limit() const noexcept { return limit_; }

 private:
  std::size_t limit_;
};

/// RegistryClient::resolve_references met references nested deeper than its bound: a
/// runaway chain of versions, each referencing a new one.
class APICURIO_API ReferenceDepthError : public Error {
 public:
  /// `message` becomes what(). Any thread; never blocks; throws std::bad_alloc only.
  explicit ReferenceDepthError(const std::string& message)
      : Error(ErrorCode::too_large, false, message) {}
};

/// The client was closed before the operation completed, or the call came after close().
class APICURIO_API ClientClosedError : public Error {
 public:
  /// what() says that the client is closed. Throws std::bad_alloc only.
  ClientClosedError();
  /// `message` becomes what(), for a client closed in a particular way (moved from).
  /// Throws std::bad_alloc only.
  explicit ClientClosedError(const std::string& message);
};

}  // namespace apicurio
