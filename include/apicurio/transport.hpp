// How the client reaches the registry over the network: proxies, headers, connection
// limits, HTTP/2, keep-alive, and a hook for anything else libcurl can do.
#pragma once

#include <apicurio/export.hpp>

#include <chrono>
#include <functional>
#include <string>
#include <utility>
#include <vector>

/// The struct behind libcurl's easy handle. <curl/curl.h> makes CURL this very type in its
/// strict form (CURL_NO_OLDIES, CURL_STRICTER) and `void` otherwise; naming the struct, and
/// never CURL, keeps this header free of curl's and compatible with both forms.
struct Curl_easy;

namespace apicurio {

/// Network settings of a client (ClientOptions::transport). Checked at construction:
/// std::invalid_argument names a bad field.
struct APICURIO_API TransportOptions {
  /// A proxy for every request, e.g. "http://proxy:3128" or "socks5h://proxy:1080"; a scheme
  /// is required. Empty: curl's usual environment variables (http_proxy, https_proxy,
  /// no_proxy, ...) apply unless use_environment_proxy is false. Whether any of them is set
  /// is read once, when the client is built: a client built without one never uses a proxy
  /// from the environment.
  std::string proxy;
  /// Hosts that bypass the proxy, comma-separated ("localhost,.internal"); "*" for all.
  std::string no_proxy;
  /// Honour the proxy environment variables when `proxy` is empty.
  bool use_environment_proxy = true;

  /// Sent with every registry request, after the library's own headers. One named like a
  /// header the library sends (User-Agent, and Accept-Encoding with compressed_replies)
  /// replaces it; compressed replies are decoded whenever an Accept-Encoding is sent.
  std::vector<std::pair<std::string, std::string>> headers;
  /// Empty: "apicurio-cpp/<version>".
  std::string user_agent;
  /// Offer every encoding the installed curl can decode (Accept-Encoding) and decode
  /// compressed replies. Off by default because the registry ships with compression off
  /// (quarkus.http.enable-compression): the header would cost every request about 4% of the
  /// transfer thread's work for nothing. Turn it on when the registry, or a proxy in front of
  /// it, compresses JSON replies and bandwidth matters more than CPU.
  bool compressed_replies = false;

  /// Connections open at once to one host (zero: no limit). Requests beyond the limit wait
  /// in the client for a free connection.
  long max_connections_per_host = 64;
  /// Connections open at once in all (zero: no limit).
  long max_connections = 0;
  /// Negotiate HTTP/2 over TLS when the registry offers it (one connection then carries
  /// many requests at once); plain http stays HTTP/1.1.
  bool http2 = true;
  /// TCP keep-alive probes on idle connections.
  bool tcp_keepalive = true;
  /// Idle time before the first keep-alive probe.
  std::chrono::seconds keepalive_idle{60};
  /// Time between keep-alive probes.
  std::chrono::seconds keepalive_interval{30};

  /// Called for every request's easy handle (curl's CURL*) after the library has set it up,
  /// just before the request starts, for settings these options do not cover (DNS, interfaces,
  /// proxy authentication, TLS engines, low-speed limits, ...).
  ///
  /// It runs on the client's transfer thread, the one place user code runs there (the thread
  /// that reads every reply): keep it short and non-blocking, and never call the client from
  /// it.
  /// It may set any option except those the library relies on: CURLOPT_URL,
  /// CURLOPT_PRIVATE, CURLOPT_WRITEFUNCTION, CURLOPT_WRITEDATA, CURLOPT_ERRORBUFFER,
  /// CURLOPT_HTTPHEADER, CURLOPT_POST, CURLOPT_POSTFIELDS, CURLOPT_POSTFIELDSIZE_LARGE,
  /// CURLOPT_CUSTOMREQUEST, CURLOPT_NOSIGNAL, CURLOPT_MAXFILESIZE_LARGE and the credential
  /// options (CURLOPT_HTTPAUTH, CURLOPT_USERNAME, CURLOPT_PASSWORD, CURLOPT_XOAUTH2_BEARER);
  /// changing those breaks the client. It must not keep the handle. If it throws, that
  /// request fails with what it threw. A callable taking CURL* fits, whichever form of
  /// <curl/curl.h> the caller includes.
  std::function<void(Curl_easy*)> configure_handle;
};

}  // namespace apicurio
