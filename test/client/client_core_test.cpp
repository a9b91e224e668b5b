// ClientCore's exception safety: whatever allocation fails while a call starts a fetch, the
// cache entry that call made is undone, so that later calls for the key proceed. The test
// replaces operator new to fail the Nth allocation of the calling thread, for each N in turn.
// The sanitizers' runtimes define operator new themselves: under them nothing is replaced
// and no allocation fails (the sweep runs in the plain builds).
#include "client_fixture.hpp"
#include "manual_time.hpp"

#include <catch2/catch.hpp>

#include <cstdlib>
#include <new>
#include <thread>

using namespace apicurio;
using apicurio::testing::ClientFixture;
using apicurio::testing::kAvro;
using apicurio::testing::ManualTime;
using std::chrono::seconds;

#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
#define APICURIO_SANITIZED 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(thread_sanitizer)
#define APICURIO_SANITIZED 1
#endif
#endif

namespace {

// Allocations of this thread left before one fails; negative: none fails.
thread_local long allocations_until_failure = -1;
thread_local bool failure_injected = false;

[[maybe_unused]] void* allocate(std::size_t size, std::size_t alignment) {
  if (allocations_until_failure >= 0 && allocations_until_failure-- == 0) {
    failure_injected = true;
    throw std::bad_alloc();
  }
  if (size == 0) size = 1;
  void* p = nullptr;
  if (alignment <= alignof(std::max_align_t)) {
    p = std::malloc(size);
  } else if (posix_memalign(&p, alignment, size) != 0) {
    p = nullptr;
  }
  if (!p) throw std::bad_alloc();
  return p;
}

}  // namespace

#ifndef APICURIO_SANITIZED
void* operator new(std::size_t size) {
  return allocate(size, 0);
}
void* operator new[](std::size_t size) {
  return allocate(size, 0);
}
void* operator new(std::size_t size, std::align_val_t a) {
  return allocate(size, static_cast<std::size_t>(a));
}
void* operator new[](std::size_t size, std::align_val_t a) {
  return allocate(size, static_cast<std::size_t>(a));
}
void operator delete(void* p) noexcept {
  std::free(p);
}
void operator delete[](void* p) noexcept {
  std::free(p);
}
void operator delete(void* p, std::size_t) noexcept {
  std::free(p);
}
void operator delete[](void* p, std::size_t) noexcept {
  std::free(p);
}
void operator delete(void* p, std::align_val_t) noexcept {
  std::free(p);
}
void operator delete[](void* p, std::align_val_t) noexcept {
  std::free(p);
}
void operator delete(void* p, std::size_t, std::align_val_t) noexcept {
  std::free(p);
}
void operator delete[](void* p, std::size_t, std::align_val_t) noexcept {
  std::free(p);
}
#endif

namespace {

// Calls `call` with the `n`th allocation of this thread failing; true if that allocation
// was reached. Whatever `call` throws is swallowed: bad_alloc is allowed to escape.
template <class Call>
bool with_failing_allocation(long n, Call call) {
  failure_injected = false;
  allocations_until_failure = n;
  try {
    call();
  } catch (const std::bad_alloc&) {
  }
  allocations_until_failure = -1;
  return failure_injected;
}

// The key's next lookup must complete with a value, without waiting on what the failed
// call left behind.
void require_answered(Future<CachedSchema> later) {
  REQUIRE(later.wait_for(seconds(10)) == std::future_status::ready);
  CHECK_NOTHROW(later.get());
}

}  // namespace

TEST_CASE_METHOD(ClientFixture,
                 "a read whose start fails at any allocation leaves no stuck entry") {
  RegistryClient client(options());
  bool reached = true;
  for (long n = 0; reached; ++n) {
    CAPTURE(n);
    std::string artifact = "artifact-" + std::to_string(1000 + n);
    registry.add_version("default", artifact, kAvro);
    Future<CachedSchema> first;
    reached = with_failing_allocation(n, [&] { first = client.get_schema(artifact); });
    require_answered(client.get_schema(artifact));
    if (first.valid()) REQUIRE(first.wait_for(seconds(10)) == std::future_status::ready);
  }
}

TEST_CASE_METHOD(ClientFixture,
                 "a registration whose start fails at any allocation leaves no stuck entry") {
  RegistryClient client(options());
  bool reached = true;
  for (long n = 0; reached; ++n) {
    CAPTURE(n);
    std::string artifact = "artifact-" + std::to_string(1000 + n);
    Future<CachedSchema> first;
    reached = with_failing_allocation(n, [&] { first = client.register_schema(artifact, kAvro); });
    require_answered(client.register_schema(artifact, kAvro));
    if (first.valid()) REQUIRE(first.wait_for(seconds(10)) == std::future_status::ready);
  }
}

TEST_CASE_METHOD(ClientFixture,
                 "a refresh whose start fails at any allocation leaves no stuck entry") {
  auto o = options();
  o.latest_ttl = std::chrono::milliseconds(1);
  o.max_stale = std::chrono::milliseconds(50);
  ManualTime time;
  RegistryClient client(o);
  bool reached = true;
  for (long n = 0; reached; ++n) {
    CAPTURE(n);
    std::string artifact = "artifact-" + std::to_string(1000 + n);
    registry.add_version("default", artifact, kAvro);
    require_answered(client.get_schema(artifact));
    time.advance(std::chrono::milliseconds(5));  // stale now: the next call refreshes
    Future<CachedSchema> first;
    reached = with_failing_allocation(n, [&] { first = client.get_schema(artifact); });
    time.advance(std::chrono::milliseconds(60));  // past what may be served stale
    require_answered(client.get_schema(artifact));
  }
}

TEST_CASE_METHOD(ClientFixture,
                 "a read by id whose start fails at any allocation leaves no stuck entry") {
  RegistryClient client(options());
  for (bool by_global : {true, false}) {
    bool reached = true;
    for (long n = 0; reached; ++n) {
      CAPTURE(by_global, n);
      std::string artifact = std::string(by_global ? "g-" : "c-") + std::to_string(1000 + n);
      auto version =
          registry.add_version("default", artifact, apicurio::testing::avro_named(artifact));
      auto read = [&] {
        return by_global ? client.get_schema_by_global_id(version.global_id)
                         : client.get_schema_by_content_id(version.content_id);
      };
      Future<CachedSchema> first;
      reached = with_failing_allocation(n, [&] { first = read(); });
      require_answered(read());
      if (first.valid()) REQUIRE(first.wait_for(seconds(10)) == std::future_status::ready);
    }
  }
}

TEST_CASE_METHOD(ClientFixture, "a preload that fails at any allocation leaves no stuck entry") {
  RegistryClient client(options());
  bool reached = true;
  for (long n = 0; reached; ++n) {
    CAPTURE(n);
    std::vector<std::string> artifacts;
    for (int i = 0; i < 3; ++i) {
      artifacts.push_back("p-" + std::to_string(1000 + n) + "-" + std::to_string(i));
      registry.add_version("default", artifacts.back(), kAvro);
    }
    Future<PreloadReport> first;
    reached = with_failing_allocation(n, [&] { first = client.preload(artifacts); });
    for (const auto& artifact : artifacts)
      require_answered(client.get_schema(artifact));
    if (first.valid()) REQUIRE(first.wait_for(seconds(10)) == std::future_status::ready);
  }
}
