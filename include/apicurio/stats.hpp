// Counters a client keeps, for tests, dashboards and the benchmark.
#pragma once

#include <apicurio/export.hpp>

#include <cstdint>

namespace apicurio {

/// A snapshot of a client's counters since it was created.
struct APICURIO_API ClientStats {
  /// HTTP requests handed to the transport, retries included.
  std::uint64_t http_requests = 0;
  /// Retries among http_requests.
  std::uint64_t retries = 0;
  /// Calls answered from a completed cache entry, without waiting.
  std::uint64_t cache_hits = 0;
  /// Calls that started a fetch.
  std::uint64_t cache_misses = 0;
  /// Calls that joined a fetch another call had started (request collapsing).
  std::uint64_t collapsed_waits = 0;
  /// Calls answered with an expired value while it was being refreshed.
  std::uint64_t stale_served = 0;
  /// Calls answered with a remembered 404 (ClientOptions::not_found_ttl).
  std::uint64_t negative_hits = 0;
  /// HTTP requests on the wire right now.
  std::uint64_t in_flight = 0;
  /// Cache entries dropped to stay within ClientOptions::max_cache_entries.
  std::uint64_t evictions = 0;
};

}  // namespace apicurio
