// The registry's error replies: every 4xx/5xx carries a ProblemDetails body whose `name` is
// the server's exception class and whose `title` is that exception's message.
#pragma once

#include <stdexcept>
#include <string>

namespace apicurio::emulator {

struct Problem : std::runtime_error {
  Problem(int status_code, std::string exception_name, const std::string& title_text)
      : std::runtime_error(title_text), status(status_code), name(std::move(exception_name)) {}
  int status;
  std::string name;
};

/// {"detail":..., "title":..., "status":..., "name":...}; detail repeats the title, as the
/// server's root-cause message does. Never throws except std::bad_alloc.
std::string problem_json(const Problem& problem);

// The exceptions the emulated routes raise, with the server's messages.
Problem version_not_found(const std::string& group_title, const std::string& artifact,
                          const std::string& version);
Problem artifact_not_found(const std::string& group_title, const std::string& artifact);
Problem validation_error(const std::string& message);
Problem bad_request(const std::string& message);

}  // namespace apicurio::emulator
