#include "url.hpp"

#include <curl/curl.h>
#include <fmt/format.h>

#include <algorithm>
#include <memory>
#include <new>
#include <stdexcept>

namespace apicurio::detail {
namespace {

struct UrlDeleter {
  void operator()(CURLU* url) const { curl_url_cleanup(url); }
};
struct CurlStringDeleter {
  void operator()(char* text) const { curl_free(text); }
};
using CurlString = std::unique_ptr<char, CurlStringDeleter>;

// A part of the URL, or empty when it is absent.
std::string get_part(CURLU* url, CURLUPart part, unsigned flags = 0) {
  char* raw = nullptr;
  if (curl_url_get(url, part, &raw, flags) != CURLUE_OK || raw == nullptr) return {};
  CurlString owned(raw);
  return owned.get();
}

}  // namespace

BaseUrl parse_base_url(const std::string& url, std::string_view option) {
  if (url.empty()) throw std::invalid_argument(fmt::format("{} is empty", option));
  std::unique_ptr<CURLU, UrlDeleter> parsed(curl_url());
  if (!parsed) throw std::bad_alloc();
  // Messages never echo the URL: it may carry a password.
  if (curl_url_set(parsed.get(), CURLUPART_URL, url.c_str(), 0) != CURLUE_OK) {
    throw std::invalid_argument(
        fmt::format("{} is not an absolute URL (expected http://host[:port]/path)", option));
  }
  std::string scheme = get_part(parsed.get(), CURLUPART_SCHEME);
  if (scheme != "http" && scheme != "https") {
    throw std::invalid_argument(
        fmt::format("{} has scheme '{}'; only http and https are supported", option, scheme));
  }
  if (!get_part(parsed.get(), CURLUPART_QUERY).empty() ||
      !get_part(parsed.get(), CURLUPART_FRAGMENT).empty()) {
    throw std::invalid_argument(fmt::format("{} must not have a query or fragment", option));
  }
  BaseUrl result;
  result.user = get_part(parsed.get(), CURLUPART_USER, CURLU_URLDECODE);
  result.password = get_part(parsed.get(), CURLUPART_PASSWORD, CURLU_URLDECODE);
  curl_url_set(parsed.get(), CURLUPART_USER, nullptr, 0);
  curl_url_set(parsed.get(), CURLUPART_PASSWORD, nullptr, 0);
  result.base = get_part(parsed.get(), CURLUPART_URL);
  // curl decodes a percent-encoded host ("%321" becomes "21") but normalizes a numeric host
  // ("21" becomes "0.0.0.21") only when it parses one, so a second pass gives the form that
  // parses to itself, and every message and cache key then names the same URL.
  if (curl_url_set(parsed.get(), CURLUPART_URL, result.base.c_str(), 0) != CURLUE_OK) {
    throw std::invalid_argument(
        fmt::format("{} has a host that is not valid once decoded", option));
  }
  result.base = get_part(parsed.get(), CURLUPART_URL);
  while (!result.base.empty() && result.base.back() == '/')
    result.base.pop_back();
  return result;
}

std::string encode_segment(std::string_view segment) {
  std::string encoded;
  append_segment(encoded, segment);
  return encoded;
}

void append_segment(std::string& out, std::string_view segment) {
  auto unreserved = [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
           c == '.' || c == '_' || c == '~';
  };
  // Most ids need no escaping, and curl's escape builds its result a byte at a time.
  if (std::all_of(segment.begin(), segment.end(), unreserved)) {
    out.append(segment);
    return;
  }
  // curl's escaping rather than our own: the same RFC 3986 rules as the rest of the URL it
  // parses. The handle argument is unused by curl since 7.82.
  CurlString encoded(curl_easy_escape(nullptr, segment.data(), static_cast<int>(segment.size())));
  if (!encoded) throw std::bad_alloc();
  out.append(encoded.get());
}

}  // namespace apicurio::detail
