// cold: schemas per second, HTTP requests and latency for N uncached artifacts, K in flight.
#include "cold.hpp"

#include "process_stats.hpp"
#include "windowed.hpp"

#include <curl/curl.h>

#include <cstdio>
#include <memory>
#include <stdexcept>

namespace apicurio::bench {

namespace {

std::string escape_segment(const std::string& segment) {
  std::unique_ptr<char, decltype(&curl_free)> escaped(
      curl_easy_escape(nullptr, segment.data(), static_cast<int>(segment.size())), &curl_free);
  if (!escaped) throw std::runtime_error("curl_easy_escape failed");
  return escaped.get();
}

}  // namespace

double ColdFigures::schemas_per_second() const {
  return seconds > 0 ? static_cast<double>(schemas) / seconds : 0;
}

std::string metadata_url(const Target& target, const std::string& artifact) {
  return target.url + "/groups/" + escape_segment(target.group) + "/artifacts/" +
         escape_segment(artifact) + "/versions/branch=latest";
}

std::string content_url(const Target& target, std::int64_t content_id) {
  return target.url + "/ids/contentIds/" + std::to_string(content_id);
}

ColdFigures client_cold(const Target& target, const std::vector<Artifact>& artifacts,
                        std::size_t inflight) {
  const std::set<long> before = thread_ids();
  RegistryClient client(target.client_options());
  std::set<long> client_threads;
  for (long id : thread_ids()) {
    if (!before.count(id)) client_threads.insert(id);
  }
  WindowedRun run(artifacts.size());
  const std::int64_t process_before = process_cpu_ns();
  const std::int64_t client_before = threads_cpu_ns(client_threads);
  run.run(inflight, [&](std::size_t i) { return client.get_schema(artifacts[i].name); });
  const std::int64_t client_used = threads_cpu_ns(client_threads) - client_before;
  const std::int64_t process_used = process_cpu_ns() - process_before;
  // Who used the CPU: a registry (the embedded registry) near the machine's limit while the
  // client's threads are not means the registry, not the client, bounds the figures.
  std::fprintf(stderr,
               "cold: %.0f ms wall; CPU: the client's %zu threads %.0f ms, the rest of the "
               "process (the embedded registry, if any) %.0f ms\n",
               run.seconds() * 1e3, client_threads.size(), static_cast<double>(client_used) / 1e6,
               static_cast<double>(process_used - client_used) / 1e6);
  if (run.failures() > 0) {
    throw std::runtime_error(std::to_string(run.failures()) +
                             " reads failed (do the artifacts exist? see --register); the first "
                             "with: " +
                             run.first_error());
  }
  ColdFigures figures;
  figures.schemas = artifacts.size();
  figures.seconds = run.seconds();
  figures.http_requests = client.stats().http_requests;
  figures.p50_us = percentile(run.latency_us(), 0.50);
  figures.p99_us = percentile(run.latency_us(), 0.99);
  return figures;
}

int run_cold(const Args& args, Target& target) {
  const auto artifacts = prepare_artifacts(target, args, args.artifacts);
  const auto figures = client_cold(target, artifacts, static_cast<std::size_t>(args.inflight));
  Report report("cold");
  report.add("artifacts", args.artifacts);
  report.add("inflight", args.inflight);
  report.add("schemas_per_second", figures.schemas_per_second());
  report.add("http_requests", static_cast<std::int64_t>(figures.http_requests));
  report.add("p50_us", figures.p50_us);
  report.add("p99_us", figures.p99_us);
  report.print(args.json);
  return 0;
}

}  // namespace apicurio::bench
