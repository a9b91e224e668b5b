// Per-operation counters and latency histograms, for users to export to the metrics system
// they run: read a snapshot with RegistryClient::metrics(), or have one pushed periodically
// through ClientOptions::metrics_callback.
#pragma once

#include <apicurio/export.hpp>

#include <array>
#include <cstddef>
#include <cstdint>
#include <string>

namespace apicurio {

/// The kinds of call a client counts separately.
enum class Operation {
  get_schema,
  get_by_global_id,
  get_by_content_id,
  register_schema,
  find_schema
};

/// How many Operation values there are.
inline constexpr std::size_t kOperationCount = 5;

/// "get_schema", "get_by_global_id", "get_by_content_id", "register_schema" or
/// "find_schema". Any thread;
/// never blocks.
APICURIO_API const char* to_string(Operation operation) noexcept;

/// Fetch latencies in buckets: counts[i] counts fetches that took at most
/// kLatencyBoundsMicros[i] microseconds (and more than the previous bound); the last count
/// is for fetches slower than every bound.
inline constexpr std::array<std::uint64_t, 14> kLatencyBoundsMicros = {
    250,   500,    1000,   2500,   5000,    10000,   25000,
    50000, 100000, 250000, 500000, 1000000, 2500000, 10000000};

/// Fetch latencies of one operation, bucketed by kLatencyBoundsMicros.
struct APICURIO_API LatencyHistogram {
  /// counts[i]: fetches within bucket i (see kLatencyBoundsMicros); the last, the slowest.
  std::array<std::uint64_t, kLatencyBoundsMicros.size() + 1> counts{};
  /// Number of fetches recorded.
  std::uint64_t count = 0;
  /// The sum of the recorded latencies, in microseconds.
  std::uint64_t sum_micros = 0;
};

/// The counters of one operation since the client was created.
struct APICURIO_API OperationMetrics {
  /// Calls made.
  std::uint64_t calls = 0;
  /// Calls answered from a fresh cache entry.
  std::uint64_t hits = 0;
  /// Calls that started a fetch.
  std::uint64_t misses = 0;
  /// Calls that joined a fetch another call had started.
  std::uint64_t collapsed = 0;
  /// Calls answered with an expired value while a refresh ran or after a refresh failed.
  std::uint64_t stale_served = 0;
  /// Calls answered with a remembered 404.
  std::uint64_t negative_hits = 0;
  /// Background refreshes started, and those that failed (the stale value was kept).
  std::uint64_t refreshes = 0;
  /// Background refreshes that failed; the stale value was kept.
  std::uint64_t refresh_failures = 0;
  /// HTTP requests sent for this operation, retries included, and the retries.
  std::uint64_t http_requests = 0;
  /// Retries among http_requests.
  std::uint64_t retries = 0;
  /// Fetches that ended in an error.
  std::uint64_t errors = 0;
  /// From the start of each fetch to its completion.
  LatencyHistogram fetch_latency;
};

/// A snapshot of every counter of a client.
struct APICURIO_API MetricsSnapshot {
  /// One entry per Operation, indexed by its value (or use operator[]).
  std::array<OperationMetrics, kOperationCount> operations{};
  /// Cache entries dropped to stay within ClientOptions::max_cache_entries.
  std::uint64_t evictions = 0;
  /// HTTP requests on the wire when the snapshot was taken.
  std::uint64_t in_flight = 0;
  /// Requests to the OAuth2 token endpoint.
  std::uint64_t token_requests = 0;

  /// The counters of `op`. Any thread (while no thread modifies the snapshot); never blocks
  /// or throws.
  const OperationMetrics& operator[](Operation op) const noexcept {
    return operations[static_cast<std::size_t>(op)];
  }
};

/// The snapshot as one JSON object. Any thread; never blocks; throws std::bad_alloc only.
APICURIO_API std::string to_json(const MetricsSnapshot& snapshot);

}  // namespace apicurio
