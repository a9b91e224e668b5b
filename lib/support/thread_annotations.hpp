// Clang thread-safety annotations and an annotated mutex, so that -Wthread-safety checks
// which members a lock guards. Other compilers see plain std::mutex.
#pragma once

#include <condition_variable>
#include <mutex>

#if defined(__clang__)
#define APICURIO_TSA(x) __attribute__((x))
#else
#define APICURIO_TSA(x)
#endif

#define APICURIO_CAPABILITY(x) APICURIO_TSA(capability(x))
#define APICURIO_SCOPED_CAPABILITY APICURIO_TSA(scoped_lockable)
#define APICURIO_GUARDED_BY(x) APICURIO_TSA(guarded_by(x))
#define APICURIO_PT_GUARDED_BY(x) APICURIO_TSA(pt_guarded_by(x))
#define APICURIO_REQUIRES(...) APICURIO_TSA(requires_capability(__VA_ARGS__))
#define APICURIO_EXCLUDES(...) APICURIO_TSA(locks_excluded(__VA_ARGS__))
#define APICURIO_ACQUIRE(...) APICURIO_TSA(acquire_capability(__VA_ARGS__))
#define APICURIO_RELEASE(...) APICURIO_TSA(release_capability(__VA_ARGS__))
#define APICURIO_NO_THREAD_SAFETY_ANALYSIS APICURIO_TSA(no_thread_safety_analysis)

namespace apicurio::detail {

class APICURIO_CAPABILITY("mutex") Mutex {
 public:
  void lock() APICURIO_ACQUIRE() { mutex_.lock(); }
  void unlock() APICURIO_RELEASE() { mutex_.unlock(); }
  std::mutex& native() { return mutex_; }

 private:
  std::mutex mutex_;
};

// Holds a Mutex for a scope. wait() releases it while blocked on a condition variable.
class APICURIO_SCOPED_CAPABILITY MutexLock {
 public:
  explicit MutexLock(Mutex& mutex) APICURIO_ACQUIRE(mutex) : lock_(mutex.native()) {}
  ~MutexLock() APICURIO_RELEASE() {}
  template <class Predicate>
  void wait(std::condition_variable& cv, Predicate predicate) {
    cv.wait(lock_, predicate);
  }
  template <class TimePoint, class Predicate>
  bool wait_until(std::condition_variable& cv, const TimePoint& deadline, Predicate predicate) {
    return cv.wait_until(lock_, deadline, predicate);
  }

 private:
  std::unique_lock<std::mutex> lock_;
};

}  // namespace apicurio::detail
