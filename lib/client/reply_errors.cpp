#include "reply_errors.hpp"

#include "decode.hpp"

#include <fmt/format.h>

namespace apicurio::detail {

std::exception_ptr error_for(const HttpResponse& response, const ReplyContext& context) {
  if (response.error) return response.error;
  if (response.too_large) {
    return std::make_exception_ptr(
        ResponseTooLargeError(context.url, static_cast<std::size_t>(context.max_response_bytes)));
  }
  if (response.transport != 0) {
    return std::make_exception_ptr(RegistryConnectionError(
        context.base_url, connection_failure(response.transport), response.transport_error));
  }
  Problem problem = decode_problem(response.body);
  const int status = static_cast<int>(response.status);
  if (status == 404 && context.subject == ReplyContext::Subject::artifact) {
    return std::make_exception_ptr(
        SchemaNotFoundError(context.group, context.artifact, context.expression, problem.title));
  }
  if (status == 404 && context.subject == ReplyContext::Subject::id) {
    return std::make_exception_ptr(SchemaNotFoundError(context.id_kind, context.id, problem.title));
  }
  std::string message =
      fmt::format("the registry answered {} to {} {}", status, context.method, context.url);
  if (!problem.name.empty()) message += fmt::format(": {}", problem.name);
  if (!problem.title.empty()) message += fmt::format(": {}", problem.title);
  for (const auto& cause : problem.causes) {
    message += fmt::format("; {} ({})", cause.description, cause.context);
  }
  if (status == 401 || status == 403) {
    return std::make_exception_ptr(
        AuthenticationError(message, status, problem.name, problem.title, problem.causes));
  }
  if (context.subject == ReplyContext::Subject::registration && status >= 400 && status < 500) {
    return std::make_exception_ptr(
        SchemaRegistrationError(message, status, problem.name, problem.title, problem.causes));
  }
  return std::make_exception_ptr(
      RegistryError(message, status, problem.name, problem.title, problem.causes));
}

std::exception_ptr malformed_reply(const HttpResponse& response, const ReplyContext& context,
                                   const std::string& what_was_wrong) {
  const int status = static_cast<int>(response.status);
  return std::make_exception_ptr(
      RegistryError(fmt::format("the registry's {} reply to {} {} is malformed: {}", status,
                                context.method, context.url, what_was_wrong),
                    status, "", "", {}, true));
}

}  // namespace apicurio::detail
