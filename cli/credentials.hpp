// apicurio-cli's credentials: the --user/--token/--oauth-* options and their environment
// variables turned into an apicurio::Auth, and secrets kept out of every message.
#pragma once

#include "command_line.hpp"

#include <apicurio/auth.hpp>

#include <string>
#include <vector>

namespace cli {

/// The credentials to use: NoAuth, BasicAuth, BearerAuth or OAuth2ClientCredentials. If the
/// command line names a kind of credentials, that kind is used and the environment only
/// fills its missing values; otherwise the environment decides (empty variables count as
/// unset). Any thread; never blocks; throws UsageError, never quoting a value, when two
/// kinds are given at once or a kind lacks a value it needs.
apicurio::Auth resolve_auth(const CredentialOptions& given);

/// Every non-empty password, token and client secret on the command line or in the
/// environment. Any thread; never blocks; throws std::bad_alloc only.
std::vector<std::string> secret_values(const CredentialOptions& given);

/// `message` with each occurrence of each of `secrets` replaced by "***". Any thread;
/// throws std::bad_alloc only.
std::string redact(std::string message, const std::vector<std::string>& secrets);

}  // namespace cli
