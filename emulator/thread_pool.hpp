// The server's task queue. cpp-httplib runs each connection, keep-alive included, on one
// task, so a fixed pool of N threads serves only N open connections and the rest wait until
// an idle one times out. This pool keeps `base` threads and adds one whenever a connection
// would otherwise wait, up to `max`; added threads stay until shutdown.
#pragma once

#include <httplib.h>

#include <condition_variable>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace apicurio::emulator {

class ElasticThreadPool : public httplib::TaskQueue {
 public:
  ElasticThreadPool(std::size_t base, std::size_t max);
  ~ElasticThreadPool() override;

  /// Any thread; never blocks for long.
  void enqueue(std::function<void()> task) override;
  /// Runs the queued tasks, then joins every thread. Call once, not from a pool thread.
  void shutdown() override;

 private:
  void spawn();  // requires mutex_
  void work();

  const std::size_t max_;
  std::mutex mutex_;
  std::condition_variable wake_;
  std::deque<std::function<void()>> tasks_;  // guarded by mutex_
  std::vector<std::thread> threads_;         // guarded by mutex_
  std::size_t idle_ = 0;                     // guarded by mutex_
  bool shutting_down_ = false;               // guarded by mutex_
};

}  // namespace apicurio::emulator
