// Credentials: users for HTTP Basic, OAuth clients for the token endpoint, and the tokens
// issued to them. Thread-safe (one mutex, never held across I/O).
#pragma once

#include <chrono>
#include <map>
#include <mutex>
#include <optional>
#include <string>

#include <apicurio/testing/emulator.hpp>

namespace apicurio::emulator {

struct Principal {
  /// As the server names it: the user name, or "service-account-<client id>" for a client.
  std::string name;
  Role role = Role::readonly;
};

struct AuthVerdict {
  enum class Outcome {
    /// No credentials of a scheme the mode accepts.
    missing,
    /// Credentials of an accepted scheme that are wrong, expired or revoked.
    invalid,
    accepted,
  };
  Outcome outcome = Outcome::missing;
  Principal principal;
};

struct IssuedToken {
  std::string access_token;
  std::chrono::seconds lifetime{0};
};

/// The user and password of an HTTP Basic Authorization header value, if it is one.
/// Never throws except std::bad_alloc.
std::optional<std::pair<std::string, std::string>> parse_basic(const std::string& authorization);

class Authenticator {
 public:
  Authenticator(AuthMode mode, std::chrono::seconds token_lifetime)
      : mode_(mode), token_lifetime_(token_lifetime) {}

  AuthMode mode() const { return mode_; }

  void add_user(const std::string& user, const std::string& password, Role role);
  void add_client(const std::string& client_id, const std::string& secret, Role role);
  void set_token_lifetime(std::chrono::seconds lifetime);
  void revoke_tokens();

  /// The client's principal if the id and secret match; std::nullopt otherwise.
  std::optional<Principal> authenticate_client(const std::string& client_id,
                                               const std::string& secret) const;
  /// A new token for an authenticated client. `scope` may be empty.
  IssuedToken issue_token(const Principal& client, const std::string& client_id,
                          const std::string& scope);

  /// Judges an Authorization header value (empty when absent) under the mode.
  AuthVerdict authenticate(const std::string& authorization) const;

 private:
  struct Account {
    std::string secret;
    Role role;
  };
  struct Token {
    Principal principal;
    std::chrono::steady_clock::time_point expires;
  };

  std::optional<Principal> check_basic(const std::string& user,
                                       const std::string& password) const;  // requires mutex_

  const AuthMode mode_;
  mutable std::mutex mutex_;
  std::map<std::string, Account> users_;    // guarded by mutex_
  std::map<std::string, Account> clients_;  // guarded by mutex_
  std::map<std::string, Token> tokens_;     // guarded by mutex_
  std::chrono::seconds token_lifetime_;     // guarded by mutex_
};

}  // namespace apicurio::emulator
