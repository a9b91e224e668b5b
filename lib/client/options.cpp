#include "options.hpp"

#include "auth.hpp"
#include "url.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <cstring>
#include <stdexcept>

namespace apicurio::detail {
namespace {

void require(bool ok, const char* field, const char* rule) {
  if (!ok) throw std::invalid_argument(fmt::format("ClientOptions::{} {}", field, rule));
}

bool is_token_char(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) || std::strchr("!#$%&'*+-.^_`|~", c);
}

void validate_transport(const TransportOptions& t) {
  if (!t.proxy.empty()) {
    auto scheme_end = t.proxy.find("://");
    require(scheme_end != std::string::npos && scheme_end > 0, "transport.proxy",
            "needs a scheme, e.g. http://proxy:3128");
  }
  for (const auto& [name, value] : t.headers) {
    if (name.empty() || !std::all_of(name.begin(), name.end(), is_token_char)) {
      throw std::invalid_argument(
          fmt::format("ClientOptions::transport.headers: '{}' is not a valid header name", name));
    }
    if (value.find_first_of("\r\n") != std::string::npos) {
      throw std::invalid_argument(fmt::format(
          "ClientOptions::transport.headers: the value of '{}' contains a line break", name));
    }
  }
  require(t.max_connections_per_host >= 0, "transport.max_connections_per_host",
          "must not be negative");
  require(t.max_connections >= 0, "transport.max_connections", "must not be negative");
  require(t.keepalive_idle.count() > 0, "transport.keepalive_idle", "must be positive");
  require(t.keepalive_interval.count() > 0, "transport.keepalive_interval", "must be positive");
}

}  // namespace

void validate(const ClientOptions& o) {
  BaseUrl base = parse_base_url(o.url, "ClientOptions::url");
  validate_auth(o.auth);
  require(base.user.empty() || std::holds_alternative<NoAuth>(o.auth), "url",
          "carries credentials and ClientOptions::auth is set too; give them once");
  require(o.tls.client_key_file.empty() || !o.tls.client_cert_file.empty(), "tls.client_key_file",
          "is set without tls.client_cert_file");
  require(!o.group_id.empty(), "group_id", "is empty");
  require(o.group_id.size() <= 512, "group_id", "is longer than 512 characters");
  require(o.connect_timeout.count() > 0, "connect_timeout", "must be positive");
  require(o.request_timeout.count() > 0, "request_timeout", "must be positive");
  require(o.call_deadline.count() >= 0, "call_deadline", "must not be negative");
  require(o.max_cache_entries >= 1, "max_cache_entries", "must be at least 1");
  require(o.latest_ttl.count() >= 0, "latest_ttl", "must not be negative");
  require(o.max_stale.count() >= 0, "max_stale", "must not be negative");
  require(o.not_found_ttl.count() >= 0, "not_found_ttl", "must not be negative");
  require(o.metrics_interval.count() > 0, "metrics_interval", "must be positive");
  require(o.max_retries >= 0, "max_retries", "must not be negative");
  require(o.retry_backoff.count() >= 0, "retry_backoff", "must not be negative");
  require(o.retry_max_backoff.count() >= 0, "retry_max_backoff", "must not be negative");
  require(o.retry_max_backoff >= o.retry_backoff, "retry_max_backoff",
          "must not be less than retry_backoff");
  require(o.max_response_bytes >= 1, "max_response_bytes", "must be at least 1");
  require(o.worker_threads >= 1, "worker_threads", "must be at least 1");
  require(o.worker_threads <= 256, "worker_threads", "must be at most 256");
  validate_transport(o.transport);
}

}  // namespace apicurio::detail
