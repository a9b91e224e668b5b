// The registry's error replies: every 4xx/5xx carries a ProblemDetails body whose `name` is
// the server's exception class, whose `title` is that exception's message and whose `detail`
// is the root cause's message (CoreRegistryExceptionMapperService.toProblemDetails).
#pragma once

#include <optional>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

namespace apicurio::emulator {

struct Problem : std::runtime_error {
  Problem(int status_code, std::string exception_name, const std::string& title_text)
      : std::runtime_error(title_text), status(status_code), name(std::move(exception_name)) {}
  int status;
  std::string name;
  /// RuleViolationException's causes as (description, context) pairs; when set, the reply
  /// lists them and its detail is getDetailMessage(): the title, then " Causes: ...".
  std::optional<std::vector<std::pair<std::string, std::string>>> causes;
  /// Extra headers of the reply, e.g. Allow on a 405.
  std::vector<std::pair<std::string, std::string>> headers;
};

/// {"detail":..., "title":..., "status":..., "name":...}. The emulator's exceptions have no
/// causes, so detail is what commons-lang ExceptionUtils.getRootCauseMessage prints for the
/// exception itself: "Name: title". Never throws except std::bad_alloc.
std::string problem_json(const Problem& problem);

// The exceptions the emulated routes raise, with the server's messages.
Problem version_not_found(const std::string& group_title, const std::string& artifact,
                          const std::string& version);
Problem artifact_not_found(const std::string& group_title, const std::string& artifact);
Problem validation_error(const std::string& message);
Problem bad_request(const std::string& message);
/// VersionNotFoundException(long globalId): "No version with global ID 'N' found."
Problem global_id_not_found(long long global_id);

}  // namespace apicurio::emulator
