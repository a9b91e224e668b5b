#include "auth.hpp"

#include <fmt/format.h>
#include <openssl/evp.h>
#include <openssl/rand.h>
#include <strings.h>

#include <ctime>
#include <limits>
#include <stdexcept>
#include <vector>

#include "json_out.hpp"

namespace apicurio::emulator {
namespace {

std::string base64url(const std::string& bytes) {
  std::string out(4 * ((bytes.size() + 2) / 3) + 1, '\0');
  int length = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                               reinterpret_cast<const unsigned char*>(bytes.data()),
                               static_cast<int>(bytes.size()));
  out.resize(static_cast<size_t>(length));
  while (!out.empty() && out.back() == '=')
    out.pop_back();
  for (char& c : out) {
    if (c == '+') c = '-';
    if (c == '/') c = '_';
  }
  return out;
}

std::optional<std::string> base64_decode(std::string text) {
  if (text.empty() || text.size() % 4 != 0) return std::nullopt;
  std::string out(text.size() / 4 * 3, '\0');
  int length = EVP_DecodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                               reinterpret_cast<const unsigned char*>(text.data()),
                               static_cast<int>(text.size()));
  if (length < 0) return std::nullopt;
  // EVP_DecodeBlock counts the bytes the '=' padding stands for.
  size_t padding = 0;
  while (padding < 2 && text[text.size() - 1 - padding] == '=')
    ++padding;
  out.resize(static_cast<size_t>(length) - padding);
  return out;
}

std::string random_bytes(size_t count) {
  std::string bytes(count, '\0');
  if (RAND_bytes(reinterpret_cast<unsigned char*>(bytes.data()), static_cast<int>(count)) != 1) {
    throw std::runtime_error("apicurio emulator: RAND_bytes failed");
  }
  return bytes;
}

// now + lifetime, saturated: tests ask for lifetimes past what the clock counts.
std::chrono::steady_clock::time_point expiry(std::chrono::steady_clock::time_point now,
                                             std::chrono::seconds lifetime) {
  using Steady = std::chrono::steady_clock;
  const auto room =
      std::chrono::duration_cast<std::chrono::seconds>(Steady::time_point::max() - now);
  return lifetime >= room ? Steady::time_point::max() : now + lifetime;
}

// Seconds since the epoch `lifetime` from `now`, saturated like expiry().
long long exp_claim(long long now, std::chrono::seconds lifetime) {
  const long long room = std::numeric_limits<long long>::max() - now;
  return lifetime.count() >= room ? std::numeric_limits<long long>::max() : now + lifetime.count();
}

// Keycloak issues JWTs; this one has the usual claims and a random (unverifiable) signature,
// so a client that peeks at `exp` sees the same expiry as `expires_in`.
std::string make_jwt(const std::string& subject, const std::string& client_id,
                     const std::string& scope, std::chrono::seconds lifetime) {
  const long long now = static_cast<long long>(std::time(nullptr));
  const std::string header = R"({"alg":"RS256","typ":"JWT"})";
  const std::string payload =
      fmt::format(R"({{"exp":{},"iat":{},"jti":{},"iss":"emulator/realms/registry","typ":"Bearer",)"
                  R"("azp":{},"preferred_username":{},"scope":{}}})",
                  exp_claim(now, lifetime), now, json_quote(base64url(random_bytes(12))),
                  json_quote(client_id), json_quote(subject), json_quote(scope));
  return base64url(header) + "." + base64url(payload) + "." + base64url(random_bytes(32));
}

bool starts_with_scheme(const std::string& value, const char* scheme, std::string& rest) {
  const size_t length = std::char_traits<char>::length(scheme);
  if (value.size() <= length || strncasecmp(value.c_str(), scheme, length) != 0 ||
      value[length] != ' ') {
    return false;
  }
  size_t start = value.find_first_not_of(' ', length);
  if (start == std::string::npos) return false;
  size_t end = value.find_last_not_of(' ');
  rest = value.substr(start, end - start + 1);
  return true;
}

std::string service_account(const std::string& client_id) {
  return "service-account-" + client_id;
}

}  // namespace

std::optional<std::pair<std::string, std::string>> parse_basic(const std::string& authorization) {
  std::string encoded;
  if (!starts_with_scheme(authorization, "Basic", encoded)) return std::nullopt;
  std::optional<std::string> decoded = base64_decode(encoded);
  if (!decoded) return std::nullopt;
  size_t colon = decoded->find(':');
  if (colon == std::string::npos) return std::nullopt;
  return std::make_pair(decoded->substr(0, colon), decoded->substr(colon + 1));
}

void Authenticator::add_user(const std::string& user, const std::string& password, Role role) {
  std::lock_guard<std::mutex> lock(mutex_);
  users_[user] = Account{password, role};
}

void Authenticator::add_client(const std::string& client_id, const std::string& secret, Role role) {
  std::lock_guard<std::mutex> lock(mutex_);
  clients_[client_id] = Account{secret, role};
}

void Authenticator::set_token_lifetime(std::chrono::seconds lifetime) {
  std::lock_guard<std::mutex> lock(mutex_);
  token_lifetime_ = lifetime;
}

void Authenticator::revoke_tokens() {
  std::lock_guard<std::mutex> lock(mutex_);
  tokens_.clear();
}

std::optional<Principal> Authenticator::authenticate_client(const std::string& client_id,
                                                            const std::string& secret) const {
  std::lock_guard<std::mutex> lock(mutex_);
  auto it = clients_.find(client_id);
  if (it == clients_.end() || it->second.secret != secret) return std::nullopt;
  return Principal{service_account(client_id), it->second.role};
}

IssuedToken Authenticator::issue_token(const Principal& client, const std::string& client_id,
                                       const std::string& scope) {
  std::chrono::seconds lifetime;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    lifetime = token_lifetime_;
  }
  IssuedToken issued{make_jwt(client.name, client_id, scope, lifetime), lifetime};
  const auto now = std::chrono::steady_clock::now();
  std::lock_guard<std::mutex> lock(mutex_);
  for (auto it = tokens_.begin(); it != tokens_.end();)
    it = it->second.expires <= now ? tokens_.erase(it) : std::next(it);
  tokens_[issued.access_token] = Token{client, expiry(now, lifetime)};
  return issued;
}

std::optional<Principal> Authenticator::check_basic(const std::string& user,
                                                    const std::string& password) const {
  auto found = users_.find(user);
  if (found != users_.end() && found->second.secret == password) {
    return Principal{user, found->second.role};
  }
  found = clients_.find(user);
  if (found != clients_.end() && found->second.secret == password) {
    return Principal{service_account(user), found->second.role};
  }
  return std::nullopt;
}

AuthVerdict Authenticator::authenticate(const std::string& authorization) const {
  const bool basic_ok = mode_ == AuthMode::basic || mode_ == AuthMode::basic_or_bearer;
  const bool bearer_ok = mode_ == AuthMode::bearer || mode_ == AuthMode::basic_or_bearer;
  AuthVerdict verdict;
  std::string token;
  if (bearer_ok && starts_with_scheme(authorization, "Bearer", token)) {
    std::lock_guard<std::mutex> lock(mutex_);
    auto it = tokens_.find(token);
    if (it == tokens_.end() || it->second.expires <= std::chrono::steady_clock::now()) {
      verdict.outcome = AuthVerdict::Outcome::invalid;
    } else {
      verdict.outcome = AuthVerdict::Outcome::accepted;
      verdict.principal = it->second.principal;
    }
    return verdict;
  }
  std::string ignored;
  if (basic_ok && starts_with_scheme(authorization, "Basic", ignored)) {
    auto credentials = parse_basic(authorization);
    std::lock_guard<std::mutex> lock(mutex_);
    std::optional<Principal> principal =
        credentials ? check_basic(credentials->first, credentials->second) : std::nullopt;
    verdict.outcome = principal ? AuthVerdict::Outcome::accepted : AuthVerdict::Outcome::invalid;
    if (principal) verdict.principal = std::move(*principal);
  }
  return verdict;
}

}  // namespace apicurio::emulator
