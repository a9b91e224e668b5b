// Turning a failed HTTP exchange into the public error a future fails with.
#pragma once

#include "connection_failure.hpp"
#include "event_loop.hpp"

#include <apicurio/errors.hpp>

#include <cstdint>
#include <exception>
#include <string>

namespace apicurio::detail {

// What a request was about, so that a 404 becomes the right SchemaNotFoundError.
struct ReplyContext {
  std::string method;    // GET or POST
  std::string url;       // the request URL, without credentials
  std::string base_url;  // the registry base URL, without credentials
  std::int64_t max_response_bytes = 0;
  enum class Subject { artifact, id, registration } subject = Subject::artifact;
  std::string group, artifact, expression;  // for artifact and registration
  IdKind id_kind = IdKind::global_id;       // for id
  std::int64_t id = 0;
};

// The error for a response that is not a 2xx reply: a transport failure, a body over the
// size limit, or an HTTP error status. Any thread.
std::exception_ptr error_for(const HttpResponse& response, const ReplyContext& context);

// The error for a 2xx reply whose body is not what the API documents. Any thread.
std::exception_ptr malformed_reply(const HttpResponse& response, const ReplyContext& context,
                                   const std::string& what_was_wrong);

}  // namespace apicurio::detail
