// apicurio-cli's exit statuses, and which one each error gives.
#pragma once

#include <exception>
#include <stdexcept>
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
  kBadRecord = 7,  // serialize, deserialize: an input line that is not a record of its schema
};

/// An error that already knows its exit status (an input line's, say), so that classify
/// keeps it. what() is the whole message.
class StatusError : public std::runtime_error {
 public:
  /// Throws std::bad_alloc only.
  StatusError(int status, const std::string& message)
      : std::runtime_error(message), status_(status) {}
  /// The exit status. Never throws.
  int status() const noexcept { return status_; }

 private:
  int status_;
};

/// An error, classified.
struct Failure {
  int status = kFailed;
  std::string message;  // the error's what(), not yet redacted
};

/// The exit status for `error` (a StatusError, an apicurio::Error, a usage error or anything
/// else) and its message. Any thread; never blocks; throws std::bad_alloc only.
Failure classify(const std::exception_ptr& error);

}  // namespace cli
