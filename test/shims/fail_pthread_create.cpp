// An LD_PRELOAD shim for the tests of thread start failures: after
// apicurio_test_fail_pthread_create(n), the next n thread creations succeed and the one
// after fails with EAGAIN, as when a process reaches its thread limit. The tests find the
// function with dlsym, so that they can tell whether the shim is loaded.
#include <dlfcn.h>
#include <pthread.h>

#include <atomic>
#include <cerrno>

namespace {
std::atomic<int> countdown{-1};  // negative: never fail
}

extern "C" {

__attribute__((visibility("default"))) void apicurio_test_fail_pthread_create(int succeed_first) {
  countdown.store(succeed_first);
}

__attribute__((visibility("default"))) int pthread_create(pthread_t* thread,
                                                          const pthread_attr_t* attr,
                                                          void* (*start)(void*), void* arg) {
  using Create = int (*)(pthread_t*, const pthread_attr_t*, void* (*)(void*), void*);
  static const auto real = reinterpret_cast<Create>(dlsym(RTLD_NEXT, "pthread_create"));
  int left = countdown.load();
  while (left >= 0 && !countdown.compare_exchange_weak(left, left - 1)) {
  }
  if (left == 0) return EAGAIN;
  return real(thread, attr, start, arg);
}

}  // extern "C"
