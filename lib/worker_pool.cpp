#include "worker_pool.hpp"

#include "thread_annotations.hpp"
#include "thread_name.hpp"

#include <condition_variable>
#include <deque>

namespace apicurio::detail {

// Shared with the threads, so that a thread the destructor had to detach (because the
// pool died on it) still has a valid queue to finish with.
struct WorkerPool::Queue {
  Mutex mutex;
  std::condition_variable ready;
  std::deque<std::function<void()>> tasks GUARDED_BY(mutex);
  bool stopping GUARDED_BY(mutex) = false;

  void run() {
    for (;;) {
      std::function<void()> task;
      {
        MutexLock lock(mutex);
        lock.wait(ready, [&]() NO_THREAD_SAFETY_ANALYSIS { return stopping || !tasks.empty(); });
        if (tasks.empty()) return;  // stopping, and nothing left to run
        task = std::move(tasks.front());
        tasks.pop_front();
      }
      try {
        task();
      } catch (...) {
        // A task must not take the pool down. The library's own tasks never throw; a raw
        // task posted by a user has nowhere to report to.
      }
    }
  }
};

WorkerPool::WorkerPool(std::size_t threads) : queue_(std::make_shared<Queue>()) {
  if (threads == 0) threads = 1;
  threads_.reserve(threads);
  for (std::size_t i = 0; i < threads; ++i) {
    threads_.emplace_back([queue = queue_] {
      name_this_thread("apicurio-worker");
      queue->run();
    });
  }
}

WorkerPool::~WorkerPool() {
  {
    MutexLock lock(queue_->mutex);
    queue_->stopping = true;
  }
  queue_->ready.notify_all();
  for (auto& thread : threads_) {
    if (thread.get_id() == std::this_thread::get_id()) {
      thread.detach();  // it returns from its task and then drains and exits on its own
    } else {
      thread.join();
    }
  }
}

void WorkerPool::post(std::function<void()> task) {
  {
    MutexLock lock(queue_->mutex);
    queue_->tasks.push_back(std::move(task));
  }
  queue_->ready.notify_one();
}

}  // namespace apicurio::detail
