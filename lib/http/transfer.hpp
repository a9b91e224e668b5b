// One HTTP attempt on a curl easy handle, and how such a handle is set up: the options every
// transfer shares (timeouts, limits, protocols, TLS, proxies, keep-alive, fixed headers), a
// request's own (URL, method, body, credentials, headers, the user's hook), and the reading
// of its outcome. The event loop (event_loop.hpp) runs transfers; this knows nothing of
// threads. Everything here runs on the transfer thread, but the TransferSetup constructor.
#pragma once

#include "curl_handles.hpp"
#include "http_request.hpp"

#include <curl/curl.h>

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <exception>
#include <memory>
#include <string>
#include <vector>

namespace apicurio::detail {

// One attempt, and between attempts the easy handle kept for the next: reusing both spares
// their allocations on every request.
struct Transfer {
  EasyHandle easy;
  std::size_t slot = 0;  // the event loop's: index among its running transfers
  // The request's own headers, continuing into the setup's fixed ones.
  std::vector<curl_slist> header_nodes;
  curl_slist accept{};
  curl_slist no_expect{};
  SharedRequest request;
  HttpResponse response;
  std::shared_ptr<TransferSink> sink;
  std::int64_t max_bytes = 0;
  bool plain = false;  // a GET without credentials or the user's hook: see reset_for_reuse()
  char error[CURL_ERROR_SIZE] = {};

  // CURLOPT_WRITEFUNCTION: appends to the body up to max_bytes.
  static size_t on_body(char* data, size_t size, size_t count, void* self);
};

class TransferSetup {
 public:
  // Any thread. Links the fixed headers and checks, once, that this curl takes every option
  // a transfer relies on: throws std::runtime_error naming the one it refused.
  explicit TransferSetup(TransportSettings settings);
  TransferSetup(const TransferSetup&) = delete;
  TransferSetup& operator=(const TransferSetup&) = delete;

  const TransportSettings& settings() const noexcept { return settings_; }

  // A new transfer with the fixed options applied; nullptr when curl cannot make a handle
  // (or refuses an option it took before).
  std::unique_ptr<Transfer> new_transfer() const;

  // Sets everything `request` needs on the transfer, bounded by `timeout` (zero:
  // TransportSettings::request_timeout), then runs the user's hook. Returns what the hook
  // threw (the transfer must not start then), or nullptr.
  std::exception_ptr prepare(Transfer& transfer, SharedRequest request,
                             std::chrono::milliseconds timeout) const;

  // The outcome of a transfer curl finished with `code`; moves the body out of it.
  HttpResponse outcome(Transfer& transfer, CURLcode code) const;

  // Readies a finished transfer for the next request: nothing may still point at the old
  // one's memory. Returns false when the handle cannot be kept.
  bool reset_for_reuse(Transfer& transfer) const;

 private:
  // Each returns the name of an option curl refused, whose absence would change what the
  // client promises (nullptr when all took).
  const char* apply_fixed_options(CURL* easy) const;
  const char* apply_transport(CURL* easy) const;
  const char* apply_tls(CURL* easy) const;

  const TransportSettings settings_;
  // Constant header lines, linked once; each request's list continues into them.
  std::vector<std::string> fixed_lines_;
  std::vector<curl_slist> fixed_nodes_;
  curl_slist* fixed_head_ = nullptr;
  bool offers_encodings_ = false;
};

}  // namespace apicurio::detail
