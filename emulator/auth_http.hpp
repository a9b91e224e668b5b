// The HTTP face of authentication: Keycloak's token endpoint and the registry's 401/403
// replies.
#pragma once

#include <httplib.h>

#include <optional>
#include <string>

#include "api.hpp"
#include "auth.hpp"
#include "routes.hpp"

namespace apicurio::emulator {

/// The token endpoint's path, as Keycloak serves it for the realm "registry".
inline constexpr const char* kTokenPath = "/realms/registry/protocol/openid-connect/token";

/// True if the raw target (path and query) is the token endpoint. Never throws.
bool is_token_target(const std::string& target);

/// Serves one token request (client_credentials grant). Never throws except std::bad_alloc.
Reply token_reply(Authenticator& auth, const httplib::Request& request);

/// The 401 or 403 reply for a request the registry must refuse, or std::nullopt when it may
/// proceed (auth off, GET /system/info, paths outside /apis/registry/v3, or a caller whose
/// role allows the method). Never throws except std::bad_alloc.
std::optional<Reply> refuse_access(const Authenticator& auth, const Route& route,
                                   const httplib::Request& request);

}  // namespace apicurio::emulator
