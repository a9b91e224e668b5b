// An LD_PRELOAD shim for ThreadSanitizer runs of programs on librdkafka: Debian's librdkafka
// starts its threads and takes its locks with C11 <threads.h> (thrd_create, mtx_lock,
// cnd_wait), which clang-14's TSan does not intercept. A thread TSan did not see start
// crashes in TSan's allocator at its first malloc, and locks it does not see would be
// reported as races. Here each C11 call is made with its pthread counterpart, which TSan
// intercepts; glibc defines the C11 types as the pthread ones, so the objects are the same.
#include <pthread.h>
#include <threads.h>

#include <cerrno>
#include <cstdint>
#include <new>

static_assert(sizeof(mtx_t) == sizeof(pthread_mutex_t), "glibc's mtx_t is a pthread mutex");
static_assert(sizeof(cnd_t) == sizeof(pthread_cond_t), "glibc's cnd_t is a pthread cond");
static_assert(sizeof(once_flag) == sizeof(pthread_once_t), "glibc's once_flag is an int");
static_assert(sizeof(thrd_t) == sizeof(pthread_t), "glibc's thrd_t is a pthread_t");

namespace {

int status(int error) {
  switch (error) {
    case 0:
      return thrd_success;
    case ENOMEM:
    case EAGAIN:
      return thrd_nomem;
    case ETIMEDOUT:
      return thrd_timedout;
    case EBUSY:
      return thrd_busy;
    default:
      return thrd_error;
  }
}

struct Start {
  thrd_start_t function;
  void* argument;
};

void* run(void* start) {
  Start copy = *static_cast<Start*>(start);
  delete static_cast<Start*>(start);
  return reinterpret_cast<void*>(static_cast<std::intptr_t>(copy.function(copy.argument)));
}

pthread_mutex_t* native(mtx_t* m) {
  return reinterpret_cast<pthread_mutex_t*>(m);
}
pthread_cond_t* native(cnd_t* c) {
  return reinterpret_cast<pthread_cond_t*>(c);
}

}  // namespace

extern "C" {

__attribute__((visibility("default"))) int thrd_create(thrd_t* thread, thrd_start_t function,
                                                       void* argument) {
  auto* start = new (std::nothrow) Start{function, argument};
  if (start == nullptr) return thrd_nomem;
  pthread_t id;
  int error = pthread_create(&id, nullptr, &run, start);
  if (error != 0) {
    delete start;
    return status(error);
  }
  *thread = static_cast<thrd_t>(id);
  return thrd_success;
}

__attribute__((visibility("default"))) int thrd_join(thrd_t thread, int* result) {
  void* returned = nullptr;
  int error = pthread_join(static_cast<pthread_t>(thread), &returned);
  if (error == 0 && result != nullptr)
    *result = static_cast<int>(reinterpret_cast<std::intptr_t>(returned));
  return status(error);
}

__attribute__((visibility("default"))) int thrd_detach(thrd_t thread) {
  return status(pthread_detach(static_cast<pthread_t>(thread)));
}

__attribute__((visibility("default"))) int mtx_init(mtx_t* mutex, int type) {
  pthread_mutexattr_t attributes;
  pthread_mutexattr_init(&attributes);
  if ((type & mtx_recursive) != 0) pthread_mutexattr_settype(&attributes, PTHREAD_MUTEX_RECURSIVE);
  int error = pthread_mutex_init(native(mutex), &attributes);
  pthread_mutexattr_destroy(&attributes);
  return status(error);
}

__attribute__((visibility("default"))) int mtx_lock(mtx_t* mutex) {
  return status(pthread_mutex_lock(native(mutex)));
}

__attribute__((visibility("default"))) int mtx_trylock(mtx_t* mutex) {
  return status(pthread_mutex_trylock(native(mutex)));
}

__attribute__((visibility("default"))) int mtx_timedlock(mtx_t* mutex, const timespec* until) {
  return status(pthread_mutex_timedlock(native(mutex), until));
}

__attribute__((visibility("default"))) int mtx_unlock(mtx_t* mutex) {
  return status(pthread_mutex_unlock(native(mutex)));
}

__attribute__((visibility("default"))) void mtx_destroy(mtx_t* mutex) {
  pthread_mutex_destroy(native(mutex));
}

__attribute__((visibility("default"))) int cnd_init(cnd_t* cond) {
  return status(pthread_cond_init(native(cond), nullptr));
}

__attribute__((visibility("default"))) int cnd_signal(cnd_t* cond) {
  return status(pthread_cond_signal(native(cond)));
}

__attribute__((visibility("default"))) int cnd_broadcast(cnd_t* cond) {
  return status(pthread_cond_broadcast(native(cond)));
}

__attribute__((visibility("default"))) int cnd_wait(cnd_t* cond, mtx_t* mutex) {
  return status(pthread_cond_wait(native(cond), native(mutex)));
}

__attribute__((visibility("default"))) int cnd_timedwait(cnd_t* cond, mtx_t* mutex,
                                                         const timespec* until) {
  return status(pthread_cond_timedwait(native(cond), native(mutex), until));
}

__attribute__((visibility("default"))) void cnd_destroy(cnd_t* cond) {
  pthread_cond_destroy(native(cond));
}

__attribute__((visibility("default"))) void call_once(once_flag* flag, void (*function)()) {
  pthread_once(reinterpret_cast<pthread_once_t*>(flag), function);
}

}  // extern "C"
