#include "credentials.hpp"

#include <fmt/format.h>

#include <cstdlib>
#include <optional>
#include <string_view>

namespace cli {
namespace {

std::optional<std::string> from_environment(const char* variable) {
  const char* value = std::getenv(variable);
  if (value == nullptr || *value == '\0') return std::nullopt;
  return std::string(value);
}

// One value a kind of credentials takes.
struct Setting {
  std::string_view option;
  const char* variable;
  const std::optional<std::string>& given;
  bool required;
  // Whether setting it alone names the kind (--scope does; $APICURIO_SCOPE does not, so
  // that a scope left in the environment is harmless).
  bool names_kind_in_environment;

  std::optional<std::string> value() const { return given ? given : from_environment(variable); }
};

struct Kind {
  std::string_view name;
  std::vector<Setting> settings;

  bool on_command_line() const {
    for (const auto& s : settings) {
      if (s.given) return true;
    }
    return false;
  }
  bool in_environment() const {
    for (const auto& s : settings) {
      if (s.names_kind_in_environment && from_environment(s.variable)) return true;
    }
    return false;
  }
  // The values of every setting, in order; a missing required one is a usage error.
  std::vector<std::string> values() const {
    std::vector<std::string> out;
    for (const auto& s : settings) {
      std::optional<std::string> v = s.value();
      if (!v && s.required) {
        throw UsageError(
            fmt::format("{} credentials need {} (or ${})", name, s.option, s.variable));
      }
      out.push_back(v.value_or(""));
    }
    return out;
  }
};

std::vector<Kind> kinds(const CredentialOptions& c) {
  return {
      {"basic",
       {{"--user", "APICURIO_USER", c.user, true, true},
        {"--password", "APICURIO_PASSWORD", c.password, true, true}}},
      {"bearer", {{"--token", "APICURIO_TOKEN", c.token, true, true}}},
      {"OAuth2",
       {{"--oauth-token-url", "APICURIO_OAUTH_TOKEN_URL", c.token_url, true, true},
        {"--client-id", "APICURIO_CLIENT_ID", c.client_id, true, true},
        {"--client-secret", "APICURIO_CLIENT_SECRET", c.client_secret, true, true},
        {"--scope", "APICURIO_SCOPE", c.scope, false, false}}},
  };
}

// The one kind named, or null; UsageError when several are.
const Kind* chosen_kind(const std::vector<Kind>& all) {
  std::vector<const Kind*> on_command_line, in_environment;
  for (const auto& kind : all) {
    if (kind.on_command_line()) on_command_line.push_back(&kind);
    if (kind.in_environment()) in_environment.push_back(&kind);
  }
  const auto& named = on_command_line.empty() ? in_environment : on_command_line;
  if (named.size() > 1) {
    throw UsageError(fmt::format("give one kind of credentials, not both {} and {}{}",
                                 named[0]->name, named[1]->name,
                                 on_command_line.empty() ? " (from the environment)" : ""));
  }
  return named.empty() ? nullptr : named.front();
}

}  // namespace

apicurio::Auth resolve_auth(const CredentialOptions& given) {
  std::vector<Kind> all = kinds(given);
  const Kind* kind = chosen_kind(all);
  if (kind == nullptr) return apicurio::NoAuth{};
  std::vector<std::string> v = kind->values();
  if (kind == &all[0]) return apicurio::BasicAuth{v[0], v[1]};
  if (kind == &all[1]) return apicurio::BearerAuth{v[0]};
  return apicurio::OAuth2ClientCredentials{v[0], v[1], v[2], v[3]};
}

std::vector<std::string> secret_values(const CredentialOptions& given) {
  std::vector<std::string> secrets;
  auto add = [&](const std::optional<std::string>& value) {
    if (value && !value->empty()) secrets.push_back(*value);
  };
  for (const auto& [option, variable] :
       {std::pair{&given.password, "APICURIO_PASSWORD"}, std::pair{&given.token, "APICURIO_TOKEN"},
        std::pair{&given.client_secret, "APICURIO_CLIENT_SECRET"}}) {
    add(*option);
    add(from_environment(variable));
  }
  return secrets;
}

std::string redact(std::string message, const std::vector<std::string>& secrets) {
  for (const auto& secret : secrets) {
    if (secret.empty()) continue;
    for (std::size_t at = message.find(secret); at != std::string::npos;
         at = message.find(secret, at + 3)) {
      message.replace(at, secret.size(), "***");
    }
  }
  return message;
}

}  // namespace cli
