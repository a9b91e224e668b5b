#include "auth.hpp"

#include "decode.hpp"
#include "reply_errors.hpp"
#include "time_math.hpp"

#include <apicurio/errors.hpp>

#include <fmt/format.h>

#include <algorithm>
#include <stdexcept>

namespace apicurio::detail {
namespace {

std::string form_field(std::string_view name, std::string_view value) {
  return fmt::format("{}={}", name, encode_segment(value));
}

std::exception_ptr token_endpoint_error(const HttpResponse& r, const std::string& url) {
  if (r.transport != 0) {
    return std::make_exception_ptr(
        RegistryConnectionError(url, connection_failure(r.transport), r.transport_error));
  }
  OAuthError oauth = decode_oauth_error(r.body);
  std::string message = fmt::format("the token endpoint {} answered {}", url, r.status);
  if (!oauth.error.empty()) message += fmt::format(": {}", oauth.error);
  if (!oauth.description.empty()) message += fmt::format(" ({})", oauth.description);
  return std::make_exception_ptr(
      AuthenticationError(message, static_cast<int>(r.status), oauth.error, oauth.description));
}

}  // namespace

void validate_auth(const Auth& auth) {
  auto require = [](bool ok, const char* what) {
    if (!ok) throw std::invalid_argument(fmt::format("ClientOptions::auth: {}", what));
  };
  if (auto* basic = std::get_if<BasicAuth>(&auth)) {
    require(!basic->user.empty(), "BasicAuth::user is empty");
  } else if (auto* bearer = std::get_if<BearerAuth>(&auth)) {
    require(!bearer->token.empty(), "BearerAuth::token is empty");
  } else if (auto* provider = std::get_if<TokenProviderAuth>(&auth)) {
    require(static_cast<bool>(provider->provide), "TokenProviderAuth::provide is empty");
  } else if (auto* oauth = std::get_if<OAuth2ClientCredentials>(&auth)) {
    parse_base_url(oauth->token_url, "ClientOptions::auth: OAuth2ClientCredentials::token_url");
    require(!oauth->client_id.empty(), "OAuth2ClientCredentials::client_id is empty");
    require(!oauth->client_secret.empty(), "OAuth2ClientCredentials::client_secret is empty");
  }
}

Authenticator::Authenticator(Auth auth, std::string url_user, std::string url_password,
                             EventLoop& loop, std::shared_ptr<Executor> executor, RetryPolicy retry,
                             std::atomic<std::uint64_t>& token_requests)
    : auth_(std::move(auth)),
      url_user_(std::move(url_user)),
      url_password_(std::move(url_password)),
      loop_(loop),
      executor_(std::move(executor)),
      retry_(retry),
      token_requests_(token_requests),
      mailbox_(std::make_shared<LoopMailbox>(loop)) {}

bool Authenticator::uses_tokens() const {
  return std::holds_alternative<TokenProviderAuth>(auth_) ||
         std::holds_alternative<OAuth2ClientCredentials>(auth_);
}

bool Authenticator::authorize_now(HttpRequest& request) {
  if (auto* basic = std::get_if<BasicAuth>(&auth_)) {
    request.user = basic->user;
    request.password = basic->password;
  } else if (auto* bearer = std::get_if<BearerAuth>(&auth_)) {
    request.bearer = bearer->token;
  } else if (!uses_tokens() && !url_user_.empty()) {
    request.user = url_user_;
    request.password = url_password_;
  }
  if (!uses_tokens()) return true;
  const auto now = loop_.now();
  if (token_.empty() || now >= expires_at_) return false;
  // Renewing early keeps a token at hand; until the renewal lands (or if it fails) the old
  // token, still valid, serves.
  if (now >= renew_at_ && !fetching_) fetch_token();
  request.bearer = token_;
  return true;
}

void Authenticator::when_authorized(HttpRequest request, std::optional<Clock::time_point> deadline,
                                    Ready ready, Failed failed) {
  const std::uint64_t id = next_waiter_++;
  waiters_.push_back({id, std::move(request), std::move(ready), std::move(failed)});
  // A token source that never answers must not hold the call past its deadline.
  if (deadline) loop_.add_timer(*deadline, [this, id] { expire_waiter(id); });
  if (!fetching_) fetch_token();
}

void Authenticator::expire_waiter(std::uint64_t id) {
  auto it =
      std::find_if(waiters_.begin(), waiters_.end(), [id](const Waiter& w) { return w.id == id; });
  if (it == waiters_.end()) return;  // served or failed already
  Waiter waiter = std::move(*it);
  waiters_.erase(it);
  waiter.failed(std::make_exception_ptr(
      RegistryConnectionError(waiter.request.url, ConnectionFailure::timeout,
                              "the call's deadline passed while waiting for a token")));
}

bool Authenticator::reject(const HttpRequest& request) {
  if (!uses_tokens()) return false;
  if (request.bearer == token_) token_.clear();
  return true;
}

void Authenticator::fetch_token() {
  fetching_ = true;
  fetch_started_ = loop_.now();
  if (auto* oauth = std::get_if<OAuth2ClientCredentials>(&auth_)) {
    fetch_from_endpoint(*oauth);
  } else {
    fetch_from_provider(std::get<TokenProviderAuth>(auth_));
  }
}

void Authenticator::fetch_from_endpoint(const OAuth2ClientCredentials& oauth) {
  HttpRequest request;
  request.method = "POST";
  request.url = oauth.token_url;
  request.headers = {"Content-Type: application/x-www-form-urlencoded", "Accept: application/json"};
  request.body = "grant_type=client_credentials&" + form_field("client_id", oauth.client_id) + '&' +
                 form_field("client_secret", oauth.client_secret);
  if (!oauth.scope.empty()) request.body += '&' + form_field("scope", oauth.scope);
  ExchangeOptions options;
  options.retry = retry_;
  send_with_retries(
      loop_, std::move(request), options, {token_requests_, token_retries_},
      [this, url = oauth.token_url](HttpResponse&& r, const HttpRequest&) {
        if (r.transport != 0 || r.status != 200) {
          return on_token({}, {}, token_endpoint_error(r, url));
        }
        try {
          TokenReply reply = decode_token(r.body);
          on_token(std::move(reply.access_token), std::chrono::seconds(reply.expires_in), nullptr);
        } catch (const DecodeError& e) {
          on_token(
              {}, {},
              std::make_exception_ptr(AuthenticationError(
                  fmt::format("the token endpoint {} sent a malformed reply: {}", url, e.what()),
                  200, "", "", {}, true)));
        }
      });
}

void Authenticator::fetch_from_provider(const TokenProviderAuth& provider) {
  // User code: it runs on the executor, and its answer comes back through the mailbox. An
  // executor that refuses the task fails the requests waiting for a token with its reason.
  std::exception_ptr refused;
  try {
    executor_->post([provide = provider.provide, mailbox = mailbox_, this] {
      AccessToken token;
      std::exception_ptr error;
      try {
        token = provide();
        if (token.token.empty()) {
          throw AuthenticationError("the token provider returned an empty token", 0, "", "");
        }
      } catch (...) {
        error = std::current_exception();
      }
      mailbox->post([this, token = std::move(token), error] {
        on_token(token.token, token.expires_in, error);
      });
    });
  } catch (...) {
    refused = std::current_exception();
  }
  if (refused) mailbox_->post([this, refused] { on_token({}, {}, refused); });
}

void Authenticator::on_token(std::string token, std::chrono::seconds expires_in,
                             std::exception_ptr error) {
  fetching_ = false;
  std::vector<Waiter> waiters;
  waiters.swap(waiters_);
  if (error) {
    // A failed renewal leaves the old token serving until it expires; the next renewal
    // waits a backoff, so that a token source that is down is not asked on every request.
    renew_at_ = std::min(saturating_after<Clock>(loop_.now(), retry_.backoff), expires_at_);
    for (auto& w : waiters)
      w.failed(error);
    return;
  }
  token_ = std::move(token);
  // Lifetimes count from when the fetch began, so that the token expires here no later
  // than at its issuer. Zero (or a meaningless negative) lifetime: until the registry rejects it.
  if (expires_in.count() > 0) {
    const Millis lifetime = saturating_millis(expires_in);
    expires_at_ = saturating_after<Clock>(fetch_started_, lifetime);
    renew_at_ = saturating_after<Clock>(fetch_started_, lifetime - lifetime / 5);
  } else {
    expires_at_ = renew_at_ = Clock::time_point::max();
  }
  for (auto& w : waiters) {
    w.request.bearer = token_;
    w.ready(std::move(w.request));
  }
}

}  // namespace apicurio::detail
