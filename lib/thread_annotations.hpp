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

#define CAPABILITY(x) APICURIO_TSA(capability(x))
#define SCOPED_CAPABILITY APICURIO_TSA(scoped_lockable)
#define GUARDED_BY(x) APICURIO_TSA(guarded_by(x))
#define PT_GUARDED_BY(x) APICURIO_TSA(pt_guarded_by(x))
#define REQUIRES(...) APICURIO_TSA(requires_capability(__VA_ARGS__))
#define EXCLUDES(...) APICURIO_TSA(locks_excluded(__VA_ARGS__))
#define ACQUIRE(...) APICURIO_TSA(acquire_capability(__VA_ARGS__))
#define RELEASE(...) APICURIO_TSA(release_capability(__VA_ARGS__))
#define NO_THREAD_SAFETY_ANALYSIS APICURIO_TSA(no_thread_safety_analysis)

namespace apicurio::detail {

class CAPABILITY("mutex") Mutex {
 public:
  void lock() ACQUIRE() { mutex_.lock(); }
  void unlock() RELEASE() { mutex_.unlock(); }
  std::mutex& native() { return mutex_; }

 private:
  std::mutex mutex_;
};

// Holds a Mutex for a scope. wait() releases it while blocked on a condition variable.
class SCOPED_CAPABILITY MutexLock {
 public:
  explicit MutexLock(Mutex& mutex) ACQUIRE(mutex) : lock_(mutex.native()) {}
  ~MutexLock() RELEASE() {}
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
