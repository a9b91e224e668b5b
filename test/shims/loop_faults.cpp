// An LD_PRELOAD shim for the event loop's edge tests: a resolver that is slow for one
// test-only host name, and curl multi calls that fail on demand. Inert until a test asks:
// the test finds apicurio_shim_fail through dlsym, so a test run without the shim can tell.
#include <curl/curl.h>
#include <dlfcn.h>
#include <netdb.h>
#include <pthread.h>

#include <cerrno>
#include <cstdarg>

#include <atomic>
#include <chrono>
#include <cstring>
#include <thread>

namespace {

// How long "slow-dns.test" takes to resolve (to 127.0.0.1): far longer than any timeout the
// tests give, so that a transfer thread waiting for it is seen as a hang.
constexpr auto kSlowDns = std::chrono::seconds(20);

std::atomic<int> fail_polls{0};
std::atomic<int> fail_performs{0};
std::atomic<int> fail_adds{0};
std::atomic<long> polls{0};
std::atomic<long> slow_lookups{0};
std::atomic<int> thread_starts_before_failure{-1};
std::atomic<int> refused_option{-1};

template <class F>
F real(const char* name) {
  return reinterpret_cast<F>(dlsym(RTLD_NEXT, name));
}

// Consumes one failure of `budget` (negative: for ever); true if this call is to fail.
bool take(std::atomic<int>& budget) {
  int left = budget.load();
  while (left != 0) {
    if (left < 0) return true;
    if (budget.compare_exchange_weak(left, left - 1)) return true;
  }
  return false;
}

}  // namespace

extern "C" {

// `function` ("curl_multi_poll", "curl_multi_perform" or "curl_multi_add_handle") fails its next
// `times` calls with CURLM_INTERNAL_ERROR; a negative count fails every call until asked again with
// 0.
void apicurio_shim_fail(const char* function, int times) {
  if (std::strcmp(function, "curl_multi_poll") == 0) fail_polls.store(times);
  if (std::strcmp(function, "curl_multi_perform") == 0) fail_performs.store(times);
  if (std::strcmp(function, "curl_multi_add_handle") == 0) fail_adds.store(times);
}

// After `skip` more successful calls, pthread_create fails once with EAGAIN.
void apicurio_shim_fail_thread_start(int skip) {
  thread_starts_before_failure.store(skip);
}

// How many lookups of slow-dns.test have begun.
long apicurio_shim_slow_lookups() {
  return slow_lookups.load();
}

int pthread_create(pthread_t* thread, const pthread_attr_t* attr, void* (*start)(void*),
                   void* arg) {
  using Fn = int (*)(pthread_t*, const pthread_attr_t*, void* (*)(void*), void*);
  static const Fn next = real<Fn>("pthread_create");
  int left = thread_starts_before_failure.load();
  while (left >= 0) {
    if (thread_starts_before_failure.compare_exchange_weak(left, left - 1)) {
      if (left == 0) return EAGAIN;
      break;
    }
  }
  return next(thread, attr, start, arg);
}

// curl_easy_setopt refuses `option` (CURLE_UNKNOWN_OPTION), as an older libcurl would; -1
// refuses none.
void apicurio_shim_refuse_option(int option) {
  refused_option.store(option);
}

// Every option's value is one integer register wide on the platforms the tests run on (a
// long, a pointer or a curl_off_t), so it is forwarded as a pointer.
CURLcode curl_easy_setopt(CURL* easy, CURLoption option, ...) {
  using Fn = CURLcode (*)(CURL*, CURLoption, ...);
  static const Fn next = real<Fn>("curl_easy_setopt");
  va_list args;
  // CURLoption is an enum of int range: promotion leaves it as it is. The signature is
  // curl's own, which this function replaces.
#if defined(__clang__)
#pragma clang diagnostic push
#pragma clang diagnostic ignored "-Wvarargs"
#endif
  va_start(args, option);
#if defined(__clang__)
#pragma clang diagnostic pop
#endif
  void* value = va_arg(args, void*);
  va_end(args);
  if (static_cast<int>(option) == refused_option.load()) return CURLE_UNKNOWN_OPTION;
  return next(easy, option, value);
}

// How many times curl_multi_poll was called so far.
long apicurio_shim_polls() {
  return polls.load();
}

int getaddrinfo(const char* node, const char* service, const struct addrinfo* hints,
                struct addrinfo** res) {
  using Fn = int (*)(const char*, const char*, const struct addrinfo*, struct addrinfo**);
  static const Fn next = real<Fn>("getaddrinfo");
  if (node && std::strcmp(node, "slow-dns.test") == 0) {
    slow_lookups.fetch_add(1);
    std::this_thread::sleep_for(kSlowDns);
    node = "127.0.0.1";
  }
  return next(node, service, hints, res);
}

CURLMcode curl_multi_poll(CURLM* multi, struct curl_waitfd extra_fds[], unsigned int extra_nfds,
                          int timeout_ms, int* ret) {
  using Fn = CURLMcode (*)(CURLM*, struct curl_waitfd[], unsigned int, int, int*);
  static const Fn next = real<Fn>("curl_multi_poll");
  polls.fetch_add(1);
  if (take(fail_polls)) return CURLM_INTERNAL_ERROR;
  return next(multi, extra_fds, extra_nfds, timeout_ms, ret);
}

CURLMcode curl_multi_perform(CURLM* multi, int* running) {
  using Fn = CURLMcode (*)(CURLM*, int*);
  static const Fn next = real<Fn>("curl_multi_perform");
  if (take(fail_performs)) return CURLM_INTERNAL_ERROR;
  return next(multi, running);
}

// A failing add first adds the handle, as libcurl 7.87-7.88 do when their last step fails
// (the handle then stays attached to the multi handle).
CURLMcode curl_multi_add_handle(CURLM* multi, CURL* easy) {
  using Fn = CURLMcode (*)(CURLM*, CURL*);
  static const Fn next = real<Fn>("curl_multi_add_handle");
  const CURLMcode added = next(multi, easy);
  if (added == CURLM_OK && take(fail_adds)) return CURLM_OUT_OF_MEMORY;
  return added;
}

}  // extern "C"
