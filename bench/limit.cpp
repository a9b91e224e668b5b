// limit-cold: the ceiling for cold. One thread drives one curl multi handle with K easy
// handles that are reused (so connections are kept alive), fetching the same 2N URLs the
// client fetches (metadata and content for each artifact), with no futures, no cache and no
// parsing: the bodies are discarded.
#include "cold.hpp"
#include "process_stats.hpp"

#include <curl/curl.h>

#include <time.h>

#include <chrono>
#include <cstdio>
#include <stdexcept>

namespace apicurio::bench {

namespace {

std::size_t discard_body(char*, std::size_t size, std::size_t count, void*) {
  return size * count;
}

class MultiLoop {
 public:
  explicit MultiLoop(std::size_t handles) : multi_(curl_multi_init()) {
    if (!multi_) throw std::runtime_error("curl_multi_init failed");
    for (std::size_t i = 0; i < handles; ++i) {
      CURL* easy = curl_easy_init();
      if (!easy) throw std::runtime_error("curl_easy_init failed");
      curl_easy_setopt(easy, CURLOPT_NOSIGNAL, 1L);
      curl_easy_setopt(easy, CURLOPT_WRITEFUNCTION, &discard_body);
      easies_.push_back(easy);
    }
  }
  ~MultiLoop() {
    for (CURL* easy : easies_) {
      curl_multi_remove_handle(multi_, easy);
      curl_easy_cleanup(easy);
    }
    curl_multi_cleanup(multi_);
  }
  MultiLoop(const MultiLoop&) = delete;
  MultiLoop& operator=(const MultiLoop&) = delete;

  /// Fetches every URL; returns the number that did not answer 200.
  std::size_t fetch_all(const std::vector<std::string>& urls) {
    std::size_t next = 0, failures = 0, running = 0;
    for (CURL* easy : easies_) {
      if (next == urls.size()) break;
      start(easy, urls[next++]);
      ++running;
    }
    while (running > 0) {
      int still = 0;
      curl_multi_perform(multi_, &still);
      int queued = 0;
      while (CURLMsg* message = curl_multi_info_read(multi_, &queued)) {
        if (message->msg != CURLMSG_DONE) continue;
        CURL* easy = message->easy_handle;
        long status = 0;
        curl_easy_getinfo(easy, CURLINFO_RESPONSE_CODE, &status);
        if (message->data.result != CURLE_OK || status != 200) ++failures;
        curl_multi_remove_handle(multi_, easy);
        --running;
        if (next < urls.size()) {
          start(easy, urls[next++]);
          ++running;
        }
      }
      if (running > 0) curl_multi_poll(multi_, nullptr, 0, 100, nullptr);
    }
    return failures;
  }

 private:
  void start(CURL* easy, const std::string& url) {
    curl_easy_setopt(easy, CURLOPT_URL, url.c_str());
    curl_multi_add_handle(multi_, easy);
  }

  CURLM* multi_;
  std::vector<CURL*> easies_;
};

std::int64_t this_thread_cpu_ns() {
  timespec now{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &now);
  return static_cast<std::int64_t>(now.tv_sec) * 1000000000 + now.tv_nsec;
}

}  // namespace

int run_limit_cold(const Args& args, Target& target) {
  auto artifacts = prepare_artifacts(target, args, args.artifacts);
  resolve_content_ids(target, artifacts);
  std::vector<std::string> urls;
  for (const auto& artifact : artifacts) {
    urls.push_back(metadata_url(target, artifact.name));
    urls.push_back(content_url(target, artifact.content_id));
  }
  MultiLoop loop(static_cast<std::size_t>(args.inflight));
  const std::int64_t process_before = process_cpu_ns();
  const std::int64_t loop_before = this_thread_cpu_ns();
  const auto begin = std::chrono::steady_clock::now();
  const std::size_t failures = loop.fetch_all(urls);
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - begin).count();
  const std::int64_t loop_used = this_thread_cpu_ns() - loop_before;
  const std::int64_t process_used = process_cpu_ns() - process_before;
  std::fprintf(stderr,
               "limit-cold: %.0f ms wall; CPU: the curl loop %.0f ms, the rest of the process "
               "(the embedded registry, if any) %.0f ms\n",
               seconds * 1e3, static_cast<double>(loop_used) / 1e6,
               static_cast<double>(process_used - loop_used) / 1e6);
  if (failures > 0) {
    throw std::runtime_error(std::to_string(failures) + " of the " + std::to_string(urls.size()) +
                             " requests failed");
  }
  Report report("limit-cold");
  report.add("requests_per_second", static_cast<double>(urls.size()) / seconds);
  report.print(args.json);
  return 0;
}

}  // namespace apicurio::bench
