// Owners of curl's handles: each frees its handle once, and the types keep an easy handle
// from being passed where a multi handle is expected. The layer is compiled with
// CURL_STRICTER, under which CURL and CURLM name these two structs.
#pragma once

#include <memory>

struct Curl_easy;
struct Curl_multi;

namespace apicurio::detail {

struct EasyCleanup {
  void operator()(Curl_easy* easy) const noexcept;
};
struct MultiCleanup {
  void operator()(Curl_multi* multi) const noexcept;
};

using EasyHandle = std::unique_ptr<Curl_easy, EasyCleanup>;
using MultiHandle = std::unique_ptr<Curl_multi, MultiCleanup>;

// curl_global_init, once per process, before the first handle. Any thread.
void init_curl_once();

}  // namespace apicurio::detail
