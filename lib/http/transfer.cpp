#include "transfer.hpp"

#include "header_list.hpp"
#include "retry.hpp"
#include "time_math.hpp"

#include <algorithm>
#include <climits>
#include <ctime>
#include <stdexcept>

namespace apicurio::detail {
namespace {

// Sets an option and returns its name if curl refused it (nullptr if it took).
template <class Value>
const char* set_option(CURL* easy, CURLoption option, Value value, const char* name) {
  return curl_easy_setopt(easy, option, value) == CURLE_OK ? nullptr : name;
}

// Only an https URL can negotiate HTTP/2 (curl asks for it over TLS only): only there is
// waiting for a connection's protocol worth it. On http:// the wait would hold every request
// behind the first reply whenever no connection's protocol is known yet.
bool may_multiplex(const std::string& url) {
  return url.size() > 8 && curl_strnequal(url.c_str(), "https://", 8);
}

}  // namespace

size_t Transfer::on_body(char* data, size_t size, size_t count, void* self) {
  auto* transfer = static_cast<Transfer*>(self);
  size_t bytes = size * count;
  std::string& body = transfer->response.body;
  if (static_cast<std::int64_t>(body.size() + bytes) > transfer->max_bytes) {
    transfer->response.too_large = true;
    return 0;  // makes curl abort the transfer with CURLE_WRITE_ERROR
  }
  body.append(data, bytes);
  return bytes;
}

TransferSetup::TransferSetup(TransportSettings settings) : settings_(std::move(settings)) {
  init_curl_once();
  fixed_lines_ = fixed_header_lines(settings_.transport, settings_.extra_headers);
  fixed_head_ = link_headers(fixed_lines_, fixed_nodes_, /*tail=*/nullptr);
  offers_encodings_ = has_header(fixed_lines_, "Accept-Encoding");
  // Whether every option a transfer relies on is known to this curl, asked once here rather
  // than found out by each request.
  if (EasyHandle probe{curl_easy_init()}) {
    if (const char* refused = apply_fixed_options(probe.get())) {
      throw std::runtime_error(std::string("curl refused ") + refused);
    }
  }
}

std::unique_ptr<Transfer> TransferSetup::new_transfer() const {
  EasyHandle easy{curl_easy_init()};
  if (!easy) return nullptr;
  auto transfer = std::make_unique<Transfer>();
  transfer->easy = std::move(easy);
  if (apply_fixed_options(transfer->easy.get())) return nullptr;  // the constructor saw them all
  return transfer;
}

std::exception_ptr TransferSetup::prepare(Transfer& transfer, SharedRequest request,
                                          std::chrono::milliseconds timeout) const {
  CURL* easy = transfer.easy.get();
  transfer.request = std::move(request);
  transfer.max_bytes = settings_.max_response_bytes;
  const HttpRequest& req = *transfer.request;
  // Everything a previous transfer on this handle may have left pointing at its own memory
  // is set again: the URL, the private pointer, the buffers and the header list.
  curl_easy_setopt(easy, CURLOPT_URL, req.url.c_str());
  curl_easy_setopt(easy, CURLOPT_PRIVATE, &transfer);
  curl_easy_setopt(easy, CURLOPT_ERRORBUFFER, transfer.error);
  curl_easy_setopt(easy, CURLOPT_WRITEDATA, &transfer);
  if (timeout.count() <= 0) timeout = settings_.request_timeout;
  curl_easy_setopt(easy, CURLOPT_TIMEOUT_MS, curl_millis(timeout));
  curl_easy_setopt(easy, CURLOPT_PIPEWAIT, may_multiplex(req.url) ? 1L : 0L);
  transfer.plain = req.user.empty() && req.bearer.empty() && req.method == "GET" &&
                   !settings_.transport.configure_handle;
  if (!req.user.empty()) {
    curl_easy_setopt(easy, CURLOPT_HTTPAUTH, static_cast<long>(CURLAUTH_BASIC));
    curl_easy_setopt(easy, CURLOPT_USERNAME, req.user.c_str());
    curl_easy_setopt(easy, CURLOPT_PASSWORD, req.password.c_str());
  } else if (!req.bearer.empty()) {
    curl_easy_setopt(easy, CURLOPT_HTTPAUTH, static_cast<long>(CURLAUTH_BEARER));
    curl_easy_setopt(easy, CURLOPT_XOAUTH2_BEARER, req.bearer.c_str());
  }
  // Constant lines link into the request's list from nodes of the transfer's own.
  curl_slist* shared_headers = fixed_head_;
  if (req.accept_json) {
    static char accept_json[] = "Accept: application/json";
    transfer.accept = {accept_json, shared_headers};
    shared_headers = &transfer.accept;
  }
  if (req.method == "POST") {
    // Without this curl waits for "100 Continue" before sending larger bodies.
    static char no_expect[] = "Expect:";
    transfer.no_expect = {no_expect, shared_headers};
    shared_headers = &transfer.no_expect;
    curl_easy_setopt(easy, CURLOPT_POST, 1L);
    curl_easy_setopt(easy, CURLOPT_POSTFIELDS, req.body.data());
    curl_easy_setopt(easy, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(req.body.size()));
  } else if (req.method != "GET") {
    curl_easy_setopt(easy, CURLOPT_CUSTOMREQUEST, req.method.c_str());
  }
  curl_easy_setopt(easy, CURLOPT_HTTPHEADER,
                   link_headers(req.headers, transfer.header_nodes, shared_headers));
  if (!settings_.transport.configure_handle) return nullptr;
  // The caller fails the request after this catch block, so that the error is not still
  // being handled here when the caller's thread reads it.
  try {
    settings_.transport.configure_handle(easy);
  } catch (...) {
    return std::current_exception();
  }
  return nullptr;
}

HttpResponse TransferSetup::outcome(Transfer& transfer, CURLcode code) const {
  CURL* easy = transfer.easy.get();
  HttpResponse response = std::move(transfer.response);
  if (code == CURLE_FILESIZE_EXCEEDED) response.too_large = true;
  if (code != CURLE_OK) {
    response.transport = code;
    response.transport_error = transfer.error[0] ? transfer.error : curl_easy_strerror(code);
  }
  curl_easy_getinfo(easy, CURLINFO_RESPONSE_CODE, &response.status);
  // Read here, not through CURLINFO_RETRY_AFTER: that has no "absent" (0 is also "now")
  // and makes a past date negative and a number past curl_off_t zero.
  curl_header* retry_after = nullptr;
  if (response.status >= 400 &&
      curl_easy_header(easy, "Retry-After", 0, CURLH_HEADER, -1, &retry_after) == CURLHE_OK) {
    response.retry_after_seconds = parse_retry_after(retry_after->value, std::time(nullptr));
  }
  if (transfer.request->wants_content_headers) {
    char* content_type = nullptr;
    if (curl_easy_getinfo(easy, CURLINFO_CONTENT_TYPE, &content_type) == CURLE_OK && content_type) {
      response.content_type = content_type;
    }
    curl_header* header = nullptr;
    if (curl_easy_header(easy, "X-Registry-ArtifactType", 0, CURLH_HEADER, -1, &header) ==
            CURLHE_OK &&
        header) {
      response.artifact_type = header->value;
    }
  }
  return response;
}

bool TransferSetup::reset_for_reuse(Transfer& transfer) const {
  // A plain GET changed only options every transfer sets again; anything else (a method,
  // credentials, the user's hook) is cleared by a reset, which keeps only caches and
  // connections, and the fixed options are applied again.
  CURL* easy = transfer.easy.get();
  if (transfer.plain) {
    // Nothing may point at the finished transfer's request while the handle waits.
    curl_easy_setopt(easy, CURLOPT_HTTPHEADER, nullptr);
  } else {
    curl_easy_reset(easy);
    if (apply_fixed_options(easy)) return false;  // never seen: the constructor saw them all
  }
  transfer.request.reset();
  transfer.sink.reset();
  transfer.response = HttpResponse{};
  transfer.error[0] = '\0';
  return true;
}

const char* TransferSetup::apply_fixed_options(CURL* easy) const {
  const char* refused = nullptr;
  auto must = [&refused, easy](CURLoption option, auto value, const char* name) {
    if (!refused) refused = set_option(easy, option, value, name);
  };
  must(CURLOPT_NOSIGNAL, 1L, "CURLOPT_NOSIGNAL");
  must(CURLOPT_WRITEFUNCTION, &Transfer::on_body, "CURLOPT_WRITEFUNCTION");
  must(CURLOPT_CONNECTTIMEOUT_MS, curl_millis(settings_.connect_timeout),
       "CURLOPT_CONNECTTIMEOUT_MS");
  must(CURLOPT_MAXFILESIZE_LARGE, static_cast<curl_off_t>(settings_.max_response_bytes),
       "CURLOPT_MAXFILESIZE_LARGE");
  // Makes curl decode a compressed reply whenever a request offers an encoding (the
  // Accept-Encoding header is a fixed one, ours or the user's).
  if (offers_encodings_) curl_easy_setopt(easy, CURLOPT_ACCEPT_ENCODING, "");
  const char* transport = apply_transport(easy);
  if (!refused) refused = transport;
  // Only the registry's own schemes; no redirects, so credentials never go to another host.
  must(CURLOPT_PROTOCOLS_STR, "http,https", "CURLOPT_PROTOCOLS_STR");
  must(CURLOPT_FOLLOWLOCATION, 0L, "CURLOPT_FOLLOWLOCATION");
  // A transfer that ends during a DNS lookup (its timeout, stop()) leaves the lookup to
  // finish on its own thread: curl would otherwise wait for it on this one, however long
  // the resolver takes, past every timeout and close().
  must(CURLOPT_QUICK_EXIT, 1L, "CURLOPT_QUICK_EXIT");
  const char* tls = apply_tls(easy);
  return refused ? refused : tls;
}

const char* TransferSetup::apply_transport(CURL* easy) const {
  const TransportOptions& t = settings_.transport;
  const bool environment = t.use_environment_proxy && settings_.proxy_environment;
  // A proxy the user named must be used: without it requests would go straight out.
  const char* refused = nullptr;
  if (!t.proxy.empty()) {
    refused = set_option(easy, CURLOPT_PROXY, t.proxy.c_str(), "CURLOPT_PROXY");
  } else if (!environment) {
    curl_easy_setopt(easy, CURLOPT_PROXY, "");  // an empty proxy also ignores the environment
  }
  if (!t.no_proxy.empty()) {
    curl_easy_setopt(easy, CURLOPT_NOPROXY, t.no_proxy.c_str());
  } else if (!settings_.proxy_environment) {
    curl_easy_setopt(easy, CURLOPT_NOPROXY, "");  // what an unset no_proxy means, unread
  }
  curl_easy_setopt(easy, CURLOPT_HTTP_VERSION,
                   t.http2 ? static_cast<long>(CURL_HTTP_VERSION_2TLS)
                           : static_cast<long>(CURL_HTTP_VERSION_1_1));
  if (t.tcp_keepalive) {
    // curl keeps these seconds in an int (the socket option's type): saturate there.
    auto seconds = [](std::chrono::seconds s) {
      return static_cast<long>(std::clamp<std::chrono::seconds::rep>(s.count(), 0, INT_MAX));
    };
    curl_easy_setopt(easy, CURLOPT_TCP_KEEPALIVE, 1L);
    curl_easy_setopt(easy, CURLOPT_TCP_KEEPIDLE, seconds(t.keepalive_idle));
    curl_easy_setopt(easy, CURLOPT_TCP_KEEPINTVL, seconds(t.keepalive_interval));
  }
  return refused;
}

const char* TransferSetup::apply_tls(CURL* easy) const {
  const TransportSettings& s = settings_;
  // Each of these narrows whom the client trusts or proves who it is: a TLS library that
  // cannot apply one must fail the client rather than connect without it.
  const char* refused = nullptr;
  auto must = [&refused, easy](CURLoption option, auto value, const char* name) {
    if (!refused) refused = set_option(easy, option, value, name);
  };
  if (!s.ca_file.empty()) must(CURLOPT_CAINFO, s.ca_file.c_str(), "CURLOPT_CAINFO");
  if (!s.ca_path.empty()) must(CURLOPT_CAPATH, s.ca_path.c_str(), "CURLOPT_CAPATH");
  if (!s.client_cert_file.empty()) {
    must(CURLOPT_SSLCERT, s.client_cert_file.c_str(), "CURLOPT_SSLCERT");
  }
  if (!s.client_key_file.empty()) must(CURLOPT_SSLKEY, s.client_key_file.c_str(), "CURLOPT_SSLKEY");
  if (!s.pinned_public_key.empty()) {
    must(CURLOPT_PINNEDPUBLICKEY, s.pinned_public_key.c_str(), "CURLOPT_PINNEDPUBLICKEY");
  }
  if (!s.verify) {
    curl_easy_setopt(easy, CURLOPT_SSL_VERIFYPEER, 0L);
    curl_easy_setopt(easy, CURLOPT_SSL_VERIFYHOST, 0L);
  }
  return refused;
}

}  // namespace apicurio::detail
