#include "exit_status.hpp"

#include <apicurio/errors.hpp>

namespace cli {
namespace {

int exit_status(apicurio::ErrorCode code) {
  using apicurio::ErrorCode;
  switch (code) {
    case ErrorCode::invalid_argument:  // cli::UsageError and bad ClientOptions too
      return kBadUsage;
    case ErrorCode::not_found:
      return kNotFound;
    case ErrorCode::auth:
      return kAuthFailed;
    case ErrorCode::rejected:
    case ErrorCode::conflict:
    case ErrorCode::unavailable:
    case ErrorCode::server:
    case ErrorCode::malformed_reply:
    case ErrorCode::too_large:
      return kRejected;
    case ErrorCode::connection:
    case ErrorCode::timed_out:
      return kUnreachable;
    case ErrorCode::closed:
    case ErrorCode::wire_format:
    case ErrorCode::unknown:
      break;
  }
  return kFailed;
}

}  // namespace

Failure classify(const std::exception_ptr& error) {
  Failure failure{exit_status(apicurio::error_code(error)), "unknown error"};
  if (!error) return failure;
  try {
    std::rethrow_exception(error);
  } catch (const StatusError& e) {
    failure.status = e.status();
    failure.message = e.what();
  } catch (const std::exception& e) {
    failure.message = e.what();
  } catch (...) {
  }
  return failure;
}

}  // namespace cli
