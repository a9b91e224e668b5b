// Credentials and TLS settings for reaching the registry.
#pragma once

#include <apicurio/export.hpp>

#include <chrono>
#include <functional>
#include <string>
#include <variant>

namespace apicurio {

/// No credentials (the default). Credentials in ClientOptions::url's userinfo still count
/// as BasicAuth.
struct APICURIO_API NoAuth {};

/// HTTP Basic authentication.
struct APICURIO_API BasicAuth {
  /// The user name; must not be empty.
  std::string user;
  /// The password; never shown in any message.
  std::string password;
};

/// A fixed bearer token. A 401 fails the call: nothing can renew the token.
struct APICURIO_API BearerAuth {
  /// The token sent as "Authorization: Bearer <token>"; never shown in any message.
  std::string token;
};

/// A bearer token and how long it lives.
struct APICURIO_API AccessToken {
  /// The token; must not be empty.
  std::string token;
  /// How long the token lives from when it was asked for. Zero (or negative): valid until
  /// the registry rejects it. Any positive value works, seconds::max() included (no wrap).
  std::chrono::seconds expires_in{0};
};

/// Bearer tokens from a callback, for tokens the application obtains itself. The client
/// calls `provide` on the continuation executor (never on its event thread, never under a
/// lock) when it needs a token: on first use, once a request finds less than 20% of the
/// token's lifetime left, and once after the registry answers 401. A renewal runs in the
/// background: the current token serves every request until it expires, even while the
/// renewal is under way or after it failed (a failed renewal is tried again after
/// retry_backoff). Only requests that have no unexpired token wait for the one call under
/// way, for at most call_deadline (then RegistryConnectionError, timeout) and never past
/// close(); if `provide` throws, those requests fail with what it threw.
struct APICURIO_API TokenProviderAuth {
  /// Returns a fresh token; called as described above. It may block (on its own request,
  /// say), holding one executor thread meanwhile.
  std::function<AccessToken()> provide;
};

/// OAuth2 client credentials (Keycloak and other OIDC servers). The token request goes
/// through the client's own event loop; the token is cached and renewed as for
/// TokenProviderAuth. A failing token endpoint fails calls with AuthenticationError carrying
/// its status and its `error` field; the secret never appears in any message.
struct APICURIO_API OAuth2ClientCredentials {
  /// The token endpoint, e.g. https://keycloak/realms/registry/protocol/openid-connect/token.
  std::string token_url;
  /// The client's id.
  std::string client_id;
  /// The client's secret; never shown in any message.
  std::string client_secret;
  /// Optional; sent when not empty.
  std::string scope;
};

/// How the client authenticates.
using Auth =
    std::variant<NoAuth, BasicAuth, BearerAuth, TokenProviderAuth, OAuth2ClientCredentials>;

/// TLS settings for https URLs (the registry's and the token endpoint's). Certificates are
/// verified against the system's CA store unless told otherwise.
struct APICURIO_API TlsOptions {
  /// A PEM file of CA certificates to trust instead of the system store.
  std::string ca_file;
  /// A directory of CA certificates (c_rehash layout).
  std::string ca_path;
  /// A PEM client certificate, for mutual TLS.
  std::string client_cert_file;
  /// The PEM private key of client_cert_file.
  std::string client_key_file;
  /// The server's public key, as curl's CURLOPT_PINNEDPUBLICKEY takes it: a PEM or DER file,
  /// or "sha256//<base64>" hashes separated by ';'.
  std::string pinned_public_key;
  /// Turns off certificate and host name verification. Only for tests against a server
  /// with a throwaway certificate: anyone on the path can then read and change traffic.
  bool insecure_skip_verification = false;
};

}  // namespace apicurio
