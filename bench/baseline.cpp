// baseline-cold: the cold workload done as a user without this library would: std::async per
// schema, a new curl easy handle (so a new connection) per request, at most K futures
// pending (waiting on the oldest), and the metadata JSON parsed minimally for contentId.
#include "cold.hpp"
#include "process_stats.hpp"

#include <curl/curl.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <deque>
#include <future>
#include <stdexcept>

namespace apicurio::bench {

namespace {

std::size_t append_body(char* data, std::size_t size, std::size_t count, void* body) {
  static_cast<std::string*>(body)->append(data, size * count);
  return size * count;
}

// One GET on a fresh easy handle; true on a 200.
bool naive_get(const std::string& url, std::string& body) {
  CURL* easy = curl_easy_init();
  if (!easy) return false;
  curl_easy_setopt(easy, CURLOPT_URL, url.c_str());
  curl_easy_setopt(easy, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(easy, CURLOPT_WRITEFUNCTION, &append_body);
  curl_easy_setopt(easy, CURLOPT_WRITEDATA, &body);
  long status = 0;
  const bool sent = curl_easy_perform(easy) == CURLE_OK;
  curl_easy_getinfo(easy, CURLINFO_RESPONSE_CODE, &status);
  curl_easy_cleanup(easy);
  return sent && status == 200;
}

// The number after "contentId": in a flat JSON object; -1 if absent.
std::int64_t find_content_id(const std::string& json) {
  const std::string key = "\"contentId\"";
  auto at = json.find(key);
  if (at == std::string::npos) return -1;
  at = json.find(':', at + key.size());
  if (at == std::string::npos) return -1;
  char* end = nullptr;
  const long long id = std::strtoll(json.c_str() + at + 1, &end, 10);
  return end == json.c_str() + at + 1 ? -1 : id;
}

// True when both GETs succeeded and the schema came back.
bool naive_schema(const Target& target, const std::string& artifact) {
  std::string metadata;
  if (!naive_get(metadata_url(target, artifact), metadata)) return false;
  const std::int64_t content_id = find_content_id(metadata);
  if (content_id < 0) return false;
  std::string schema;
  return naive_get(content_url(target, content_id), schema) && !schema.empty();
}

double baseline_schemas_per_second(const Target& target, const std::vector<Artifact>& artifacts,
                                   std::size_t inflight) {
  const auto begin = std::chrono::steady_clock::now();
  std::deque<std::future<bool>> pending;
  std::size_t failures = 0;
  for (const auto& artifact : artifacts) {
    if (pending.size() >= inflight) {
      failures += pending.front().get() ? 0 : 1;
      pending.pop_front();
    }
    pending.push_back(
        std::async(std::launch::async, naive_schema, std::cref(target), std::cref(artifact.name)));
  }
  for (auto& future : pending)
    failures += future.get() ? 0 : 1;
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - begin).count();
  if (failures > 0) {
    throw std::runtime_error("the baseline failed to read " + std::to_string(failures) +
                             " schemas");
  }
  return static_cast<double>(artifacts.size()) / seconds;
}

}  // namespace

int run_baseline_cold(const Args& args, Target& target) {
  const auto artifacts = prepare_artifacts(target, args, args.artifacts);
  const auto inflight = static_cast<std::size_t>(args.inflight);
  const std::int64_t cpu_start = process_cpu_ns();
  const double client = client_cold(target, artifacts, inflight).schemas_per_second();
  const std::int64_t cpu_between = process_cpu_ns();
  const double baseline = baseline_schemas_per_second(target, artifacts, inflight);
  const std::int64_t cpu_end = process_cpu_ns();
  const auto count = static_cast<double>(artifacts.size());
  std::fprintf(stderr,
               "baseline-cold: CPU per schema (the whole process, registry included): client "
               "%.0f us, baseline %.0f us\n",
               static_cast<double>(cpu_between - cpu_start) / 1e3 / count,
               static_cast<double>(cpu_end - cpu_between) / 1e3 / count);
  Report report("baseline-cold");
  report.add("client_schemas_per_second", client);
  report.add("baseline_schemas_per_second", baseline);
  report.add("ratio", client / baseline);
  report.print(args.json);
  return 0;
}

}  // namespace apicurio::bench
