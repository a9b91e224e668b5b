// The cold workload: N distinct uncached artifacts through a fresh client, K in flight.
#pragma once

#include "bench.hpp"

#include <cstddef>
#include <cstdint>
#include <vector>

namespace apicurio::bench {

struct ColdFigures {
  std::size_t schemas = 0;
  double seconds = 0;
  std::uint64_t http_requests = 0;
  double p50_us = 0;
  double p99_us = 0;
  double schemas_per_second() const;
};

/// Reads every artifact once through a new client. Blocks; throws std::runtime_error if any
/// read fails.
ColdFigures client_cold(const Target& target, const std::vector<Artifact>& artifacts,
                        std::size_t inflight);

/// Both URLs a v3 client fetches for one schema: version metadata, then content by id.
std::string metadata_url(const Target& target, const std::string& artifact);
std::string content_url(const Target& target, std::int64_t content_id);

}  // namespace apicurio::bench
