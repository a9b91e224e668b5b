// Allocations made by the calling thread, for the modes that report allocations per record.
// Counted at malloc, so that one figure covers operator new, avro-c's allocator (realloc)
// and what avro-c's JSON printer (jansson) allocates. glibc only; not under the sanitizers,
// whose runtimes own malloc.
#pragma once

#include <cstdint>

namespace apicurio::bench {

/// True when allocations are counted (a glibc build without sanitizers).
bool allocations_counted() noexcept;

/// Calls to malloc, calloc, realloc and the aligned allocators made by the calling thread
/// so far; 0 when allocations_counted() is false. Never allocates.
std::uint64_t thread_allocations() noexcept;

}  // namespace apicurio::bench
