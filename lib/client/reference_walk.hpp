// RegistryClient::resolve_references: a breadth-first walk over a schema's references, one
// level at a time, through the client's cached and collapsed lookups.
#pragma once

#include <apicurio/future.hpp>
#include <apicurio/schema.hpp>

#include <cstddef>
#include <memory>
#include <vector>

namespace apicurio::detail {

class ClientCore;

// Any thread; never blocks. Throws std::invalid_argument for a root with neither ids nor
// references. The walk holds the core weakly: once the client is gone it fails with
// ClientClosedError.
Future<std::vector<ResolvedReference>> walk_references(const std::shared_ptr<ClientCore>& core,
                                                       const CachedSchema& root,
                                                       std::size_t max_depth);

}  // namespace apicurio::detail
