#include "metrics.hpp"

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
      return "register_schema";
    case Operation::find_schema:
      break;
  }
  return "find_schema";
}

namespace {

// Appends "name":value, with a comma before all but the first field of an object.
class JsonObject {
 public:
  explicit JsonObject(std::string& out) : out_(out) { out_ += '{'; }
  ~JsonObject() { out_ += '}'; }
  JsonObject(const JsonObject&) = delete;
  JsonObject& operator=(const JsonObject&) = delete;
  std::string& key(const char* name) {
    if (!first_) out_ += ',';
    first_ = false;
    out_ += '"';
    out_ += name;
    out_ += "\":";
    return out_;
  }
  void number(const char* name, std::uint64_t value) { key(name) += std::to_string(value); }
  template <class Array>
  void array(const char* name, const Array& values) {
    std::string& out = key(name);
    out += '[';
    for (std::size_t i = 0; i < values.size(); ++i) {
      if (i > 0) out += ',';
      out += std::to_string(values[i]);
    }
    out += ']';
  }

 private:
  std::string& out_;
  bool first_ = true;
};

}  // namespace

std::string to_json(const MetricsSnapshot& snapshot) {
  std::string out;
  {
    JsonObject root(out);
    root.key("operations");
    {
      JsonObject operations(out);
      for (std::size_t i = 0; i < kOperationCount; ++i) {
        const OperationMetrics& m = snapshot.operations[i];
        operations.key(to_string(static_cast<Operation>(i)));
        JsonObject op(out);
        op.number("calls", m.calls);
        op.number("hits", m.hits);
        op.number("misses", m.misses);
        op.number("collapsed", m.collapsed);
        op.number("stale_served", m.stale_served);
        op.number("negative_hits", m.negative_hits);
        op.number("refreshes", m.refreshes);
        op.number("refresh_failures", m.refresh_failures);
        op.number("http_requests", m.http_requests);
        op.number("retries", m.retries);
        op.number("errors", m.errors);
        op.key("fetch_latency");
        JsonObject latency(out);
        latency.array("bounds_us", kLatencyBoundsMicros);
        latency.array("counts", m.fetch_latency.counts);
        latency.number("count", m.fetch_latency.count);
        latency.number("sum_us", m.fetch_latency.sum_micros);
      }
    }
    root.number("evictions", snapshot.evictions);
    root.number("in_flight", snapshot.in_flight);
    root.number("token_requests", snapshot.token_requests);
  }
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
