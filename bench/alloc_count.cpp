// The counter behind alloc_count.hpp: this executable defines malloc and its siblings, which
// the dynamic linker then binds for every library in the process (glibc supports replacing
// its allocator so, see "Replacing malloc" in its manual), and forwards them to glibc's own.
// A thread-local increment per call costs the other modes next to nothing.
#include "alloc_count.hpp"

#include <malloc.h>

#include <cerrno>
#include <cstddef>
#include <cstdlib>

#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
#define APICURIO_BENCH_SANITIZED 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(thread_sanitizer) || \
    __has_feature(memory_sanitizer)
#define APICURIO_BENCH_SANITIZED 1
#endif
#endif

#if defined(__GLIBC__) && !defined(APICURIO_BENCH_SANITIZED)
#define APICURIO_BENCH_COUNTS 1
#endif

namespace {
// Initial-exec TLS of the executable: reading it allocates nothing, even inside malloc.
thread_local std::uint64_t allocations = 0;
}  // namespace

namespace apicurio::bench {

bool allocations_counted() noexcept {
#ifdef APICURIO_BENCH_COUNTS
  return true;
#else
  return false;
#endif
}

std::uint64_t thread_allocations() noexcept {
  return allocations;
}

}  // namespace apicurio::bench

#ifdef APICURIO_BENCH_COUNTS
extern "C" {
void* __libc_malloc(std::size_t size);
void* __libc_calloc(std::size_t count, std::size_t size);
void* __libc_realloc(void* p, std::size_t size);
void* __libc_memalign(std::size_t alignment, std::size_t size);
void __libc_free(void* p);

void* malloc(std::size_t size) noexcept {
  ++allocations;
  return __libc_malloc(size);
}

void* calloc(std::size_t count, std::size_t size) noexcept {
  ++allocations;
  return __libc_calloc(count, size);
}

void* realloc(void* p, std::size_t size) noexcept {
  if (size != 0) ++allocations;
  return __libc_realloc(p, size);
}

void* memalign(std::size_t alignment, std::size_t size) noexcept {
  ++allocations;
  return __libc_memalign(alignment, size);
}

void* aligned_alloc(std::size_t alignment, std::size_t size) noexcept {
  ++allocations;
  return __libc_memalign(alignment, size);
}

int posix_memalign(void** out, std::size_t alignment, std::size_t size) noexcept {
  if (alignment % sizeof(void*) != 0 || (alignment & (alignment - 1)) != 0) return EINVAL;
  ++allocations;
  void* p = __libc_memalign(alignment, size);
  if (p == nullptr) return ENOMEM;
  *out = p;
  return 0;
}

void free(void* p) noexcept {
  __libc_free(p);
}
}
#endif
