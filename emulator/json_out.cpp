#include "json_out.hpp"

#include <fmt/chrono.h>
#include <fmt/format.h>

#include <chrono>
#include <ctime>

#include "json_string.hpp"
#include "problem.hpp"

namespace apicurio::emulator {

std::string json_quote(std::string_view text) {
  return detail::json_string(text);
}

std::string now_timestamp() {
  std::time_t now = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now());
  return fmt::format("{:%Y-%m-%dT%H:%M:%SZ}", fmt::gmtime(now));
}

std::string problem_json(const Problem& problem) {
  if (!problem.causes) {
    return fmt::format(R"({{"detail":{},"title":{},"status":{},"name":{}}})",
                       json_quote(problem.name + ": " + problem.what()), json_quote(problem.what()),
                       problem.status, json_quote(problem.name));
  }
  // RuleViolationProblemDetails, detail from RuleViolationException.getDetailMessage().
  std::string detail = problem.what(), causes;
  for (const auto& [description, context] : *problem.causes) {
    detail += causes.empty() ? " Causes: " : ", ";
    detail += context.empty() ? description : description + " at " + context;
    if (!causes.empty()) causes.push_back(',');
    causes += fmt::format(R"({{"description":{},"context":{}}})", json_quote(description),
                          json_quote(context));
  }
  return fmt::format(R"({{"causes":[{}],"detail":{},"title":{},"status":{},"name":{}}})", causes,
                     json_quote(detail), json_quote(problem.what()), problem.status,
                     json_quote(problem.name));
}

Problem version_not_found(const std::string& group_title, const std::string& artifact,
                          const std::string& version) {
  return Problem(404, "VersionNotFoundException",
                 fmt::format("No version '{}' found for artifact with ID '{}' in group '{}'.",
                             version, artifact, group_title));
}

Problem artifact_not_found(const std::string& group_title, const std::string& artifact) {
  return Problem(
      404, "ArtifactNotFoundException",
      fmt::format("No artifact with ID '{}' in group '{}' was found.", artifact, group_title));
}

Problem global_id_not_found(long long global_id) {
  return Problem(404, "VersionNotFoundException",
                 fmt::format("No version with global ID '{}' found.", global_id));
}

Problem validation_error(const std::string& message) {
  return Problem(400, "ValidationException", message);
}

Problem bad_request(const std::string& message) {
  return Problem(400, "BadRequestException", message);
}

}  // namespace apicurio::emulator
