// apicurio-cli's exit statuses, and which one each error gives.
#pragma once

#include <exception>
#include <string>

namespace cli {

enum ExitStatus : int {
  kOk = 0,
  kFailed = 1,  // anything the other statuses do not cover
  kBadUsage = 2,
  kNotFound = 3,
  kRejected = 4,
  kUnreachable = 5,
  kAuthFailed = 6,
};

/// An error, classified.
struct Failure {
  int status = kFailed;
  std::string message;  // the error's what(), not yet redacted
};

/// The exit status for `error` (an apicurio::Error, a usage error or anything else) and its
/// message. Any thread; never blocks; throws std::bad_alloc only.
Failure classify(const std::exception_ptr& error);

}  // namespace cli
