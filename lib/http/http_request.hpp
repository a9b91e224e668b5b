// What the event loop carries: a request, the outcome of one attempt, where that outcome goes,
// and the settings every transfer is set up with. Nothing here knows of curl or of schemas.
#pragma once

#include <apicurio/transport.hpp>

#include <chrono>
#include <cstdint>
#include <exception>
#include <memory>
#include <string>
#include <vector>

namespace apicurio::detail {

struct HttpRequest {
  std::string method = "GET";  // GET or POST
  std::string url;
  std::vector<std::string> headers;  // "Name: value"
  bool accept_json = false;          // sends "Accept: application/json" (without allocating)
  // Reads the reply's Content-Type and X-Registry-ArtifactType into the response: only reads
  // of content use them, so other requests skip the lookup and the copies.
  bool wants_content_headers = false;
  std::string body;  // sent for POST
  // Bound on this attempt; zero uses TransportSettings::request_timeout.
  std::chrono::milliseconds timeout{0};
  // Credentials, handed to curl (so that it never sends them to another host): Basic when
  // `user` is set, a bearer token when `bearer` is.
  std::string user;
  std::string password;
  std::string bearer;
};

// A request once authorized, never changed: its exchange owns it, and each attempt's transfer
// holds a pointer that shares the exchange's ownership, so that nothing copies it.
using SharedRequest = std::shared_ptr<const HttpRequest>;

// What one attempt produced: a transport failure (transport != 0) or an HTTP reply.
struct HttpResponse {
  int transport = 0;  // a CURLcode; 0 when an HTTP reply arrived whole
  std::string transport_error;
  long status = 0;
  std::string body;
  std::string content_type;       // with HttpRequest::wants_content_headers only
  std::string artifact_type;      // X-Registry-ArtifactType, when sent and wanted
  long retry_after_seconds = -1;  // Retry-After (seconds or date), -1 when absent
  bool too_large = false;         // the body passed TransportSettings::max_response_bytes
  std::exception_ptr error;       // a failure before any HTTP exchange (e.g. no token)
};

// Where a transfer's outcome goes. transfer_done runs on the event thread after the transfer
// ends, unless the loop stops first: then the sink is released without being called, on
// whichever of the loop's threads held it or on the thread that destroys the loop, so a
// sink's destructor must run no user code.
class TransferSink {
 public:
  virtual void transfer_done(HttpResponse&& response) = 0;

 protected:
  ~TransferSink() = default;
};

struct TransportSettings {
  std::chrono::milliseconds connect_timeout{5000};
  std::chrono::milliseconds request_timeout{30000};
  std::int64_t max_response_bytes = 16 * 1024 * 1024;
  // Proxies, extra headers ("Name: value"), limits, HTTP/2, keep-alive and the user's hook.
  TransportOptions transport;
  std::vector<std::string> extra_headers;
  // Whether any proxy variable (http_proxy, no_proxy, ...) was set when the client was built:
  // without one, every handle is told "no proxy" and curl stops reading the environment, five
  // scans of it, on every request.
  bool proxy_environment = true;
  // TLS; empty strings leave curl's defaults.
  std::string ca_file, ca_path, client_cert_file, client_key_file, pinned_public_key;
  bool verify = true;
};

}  // namespace apicurio::detail
