#include "auth_http.hpp"

#include <fmt/format.h>

#include "json_out.hpp"
#include "problem.hpp"
#include "routes.hpp"

namespace apicurio::emulator {
namespace {

constexpr const char* kApiPrefix = "/apis/registry/v3";

Reply oauth_error(int status, const char* error, const std::string& description) {
  Reply reply;
  reply.status = status;
  reply.body = fmt::format(R"({{"error":{},"error_description":{}}})", json_quote(error),
                           json_quote(description));
  reply.headers.emplace_back("Cache-Control", "no-store");
  return reply;
}

std::string form_value(const std::vector<std::pair<std::string, std::string>>& form,
                       const char* name) {
  for (const auto& [key, value] : form) {
    if (key == name) return value;
  }
  return std::string();
}

bool under_api(const std::string& target) {
  const std::string prefix = kApiPrefix;
  if (target.compare(0, prefix.size(), prefix) != 0) return false;
  return target.size() == prefix.size() || target[prefix.size()] == '/' ||
         target[prefix.size()] == '?';
}

bool is_write(const std::string& method) {
  return method == "POST" || method == "PUT" || method == "PATCH" || method == "DELETE";
}

void add_challenges(Reply& reply, AuthMode mode) {
  if (mode == AuthMode::bearer || mode == AuthMode::basic_or_bearer) {
    reply.headers.emplace_back("WWW-Authenticate", "Bearer");
  }
  if (mode == AuthMode::basic || mode == AuthMode::basic_or_bearer) {
    reply.headers.emplace_back("WWW-Authenticate", R"(Basic realm="apicurio")");
  }
}

}  // namespace

bool is_token_target(const std::string& target) {
  return target.substr(0, target.find('?')) == kTokenPath;
}

Reply token_reply(Authenticator& auth, const httplib::Request& request) {
  if (request.method != "POST") {
    Reply reply = oauth_error(405, "invalid_request", "HTTP method not allowed");
    reply.headers.emplace_back("Allow", "POST");
    return reply;
  }
  std::vector<std::pair<std::string, std::string>> form;
  const std::string content_type = request.get_header_value("Content-Type");
  if (content_type.rfind("application/x-www-form-urlencoded", 0) == 0) {
    form = parse_form(request.body);
  }
  const std::string grant_type = form_value(form, "grant_type");
  if (grant_type.empty()) {
    return oauth_error(400, "invalid_request", "Missing form parameter: grant_type");
  }
  // As Keycloak does, credentials in the Authorization header win over the form's.
  std::string client_id = form_value(form, "client_id");
  std::string secret = form_value(form, "client_secret");
  if (auto basic = parse_basic(request.get_header_value("Authorization"))) {
    client_id = form_decode(basic->first);
    secret = form_decode(basic->second);
  }
  if (client_id.empty()) {
    return oauth_error(400, "invalid_request", "Missing form parameter: client_id");
  }
  if (secret.empty()) {
    return oauth_error(400, "invalid_request", "Missing form parameter: client_secret");
  }
  std::optional<Principal> client = auth.authenticate_client(client_id, secret);
  if (!client) {
    return oauth_error(401, "invalid_client", "Invalid client or Invalid client credentials");
  }
  if (grant_type != "client_credentials") {
    return oauth_error(400, "unsupported_grant_type", "Unsupported grant_type");
  }
  const std::string scope = form_value(form, "scope");
  IssuedToken token = auth.issue_token(*client, client_id, scope);
  Reply reply;
  reply.body = fmt::format(R"({{"access_token":{},"expires_in":{},"token_type":"Bearer")",
                           json_quote(token.access_token), token.lifetime.count());
  if (!scope.empty()) reply.body += fmt::format(R"(,"scope":{})", json_quote(scope));
  reply.body += "}";
  reply.headers.emplace_back("Cache-Control", "no-store");
  reply.headers.emplace_back("Pragma", "no-cache");
  return reply;
}

std::optional<Reply> refuse_access(const Authenticator& auth, const Route& route,
                                   const httplib::Request& request) {
  if (auth.mode() == AuthMode::none || route.name == "system-info" || !under_api(request.target)) {
    return std::nullopt;
  }
  AuthVerdict verdict = auth.authenticate(request.get_header_value("Authorization"));
  if (verdict.outcome == AuthVerdict::Outcome::missing) {
    // The registry's own check (AuthorizedInterceptor) finds an anonymous caller.
    Reply reply =
        problem_reply(Problem(401, "UnauthorizedException", "User is not authenticated."));
    add_challenges(reply, auth.mode());
    return reply;
  }
  if (verdict.outcome == AuthVerdict::Outcome::invalid) {
    // Quarkus rejects bad credentials before the registry runs: a bare challenge, no body.
    Reply reply;
    reply.status = 401;
    reply.content_type.clear();
    add_challenges(reply, auth.mode());
    return reply;
  }
  // The search by content is a POST the server authorizes at Read level
  // (SearchResourceImpl: @Authorized(level = AuthorizedLevel.Read)).
  if (verdict.principal.role == Role::readonly && is_write(request.method) &&
      route.name != "search-versions-by-content") {
    return problem_reply(
        Problem(403, "ForbiddenException",
                fmt::format("User {} is not authorized to perform the requested operation.",
                            verdict.principal.name)));
  }
  return std::nullopt;
}

}  // namespace apicurio::emulator
