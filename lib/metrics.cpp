#include "metrics.hpp"

#include <fmt/format.h>

#include <algorithm>

namespace apicurio {

const char* to_string(Operation operation) noexcept {
  switch (operation) {
    case Operation::get_schema:
      return "get_schema";
    case Operation::get_by_global_id:
      return "get_by_global_id";
    case Operation::get_by_content_id:
      return "get_by_content_id";
    case Operation::register_schema:
      break;
  }
  return "register_schema";
}

std::string to_json(const MetricsSnapshot& snapshot) {
  std::string out = "{\"operations\":{";
  for (std::size_t i = 0; i < kOperationCount; ++i) {
    const OperationMetrics& m = snapshot.operations[i];
    if (i > 0) out += ',';
    out += fmt::format(
        "\"{}\":{{\"calls\":{},\"hits\":{},\"misses\":{},\"collapsed\":{},\"stale_served\":{},"
        "\"negative_hits\":{},\"refreshes\":{},\"refresh_failures\":{},\"http_requests\":{},"
        "\"retries\":{},\"errors\":{},\"fetch_latency\":{{\"bounds_us\":[{}],\"counts\":[{}],"
        "\"count\":{},\"sum_us\":{}}}}}",
        to_string(static_cast<Operation>(i)), m.calls, m.hits, m.misses, m.collapsed,
        m.stale_served, m.negative_hits, m.refreshes, m.refresh_failures, m.http_requests,
        m.retries, m.errors, fmt::join(kLatencyBoundsMicros, ","),
        fmt::join(m.fetch_latency.counts, ","), m.fetch_latency.count, m.fetch_latency.sum_micros);
  }
  out += fmt::format("}},\"evictions\":{},\"in_flight\":{},\"token_requests\":{}}}",
                     snapshot.evictions, snapshot.in_flight, snapshot.token_requests);
  return out;
}

namespace detail {

void LiveOperation::record_latency(std::chrono::microseconds took) noexcept {
  auto micros = static_cast<std::uint64_t>(std::max<std::int64_t>(0, took.count()));
  auto bucket = std::lower_bound(kLatencyBoundsMicros.begin(), kLatencyBoundsMicros.end(), micros) -
                kLatencyBoundsMicros.begin();
  latency[static_cast<std::size_t>(bucket)].fetch_add(1, std::memory_order_relaxed);
  latency_count.fetch_add(1, std::memory_order_relaxed);
  latency_sum_micros.fetch_add(micros, std::memory_order_relaxed);
}

MetricsSnapshot Metrics::snapshot() const {
  MetricsSnapshot snapshot;
  for (std::size_t i = 0; i < kOperationCount; ++i) {
    const LiveOperation& live = operations_[i];
    OperationMetrics& m = snapshot.operations[i];
    m.calls = live.calls.load();
    m.hits = live.hits.load();
    m.misses = live.misses.load();
    m.collapsed = live.collapsed.load();
    m.stale_served = live.stale_served.load();
    m.negative_hits = live.negative_hits.load();
    m.refreshes = live.refreshes.load();
    m.refresh_failures = live.refresh_failures.load();
    m.http_requests = live.http_requests.load();
    m.retries = live.retries.load();
    m.errors = live.errors.load();
    for (std::size_t b = 0; b < live.latency.size(); ++b) {
      m.fetch_latency.counts[b] = live.latency[b].load();
    }
    m.fetch_latency.count = live.latency_count.load();
    m.fetch_latency.sum_micros = live.latency_sum_micros.load();
  }
  return snapshot;
}

}  // namespace detail
}  // namespace apicurio
