#include "curl_handles.hpp"

#include <curl/curl.h>

#include <mutex>

namespace apicurio::detail {

void EasyCleanup::operator()(Curl_easy* easy) const noexcept {
  curl_easy_cleanup(easy);
}

void MultiCleanup::operator()(Curl_multi* multi) const noexcept {
  curl_multi_cleanup(multi);
}

void init_curl_once() {
  static std::once_flag once;
  std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

}  // namespace apicurio::detail
