#include "worker_pool.hpp"

#include "thread_name.hpp"

#include <condition_variable>
#include <deque>

namespace apicurio::detail {

// Shared with the threads, so that a thread the pool had to detach (because it was closed
// or destroyed on that thread) still has a valid queue to finish with.
struct WorkerPool::Queue {
  Mutex mutex;
  std::condition_variable ready;
  std::deque<std::function<void()>> tasks APICURIO_GUARDED_BY(mutex);
  bool stopping APICURIO_GUARDED_BY(mutex) = false;
  // Threads that have not yet seen the queue empty while stopping: while there is one, a
  // posted task is sure to run on the pool.
  std::size_t running APICURIO_GUARDED_BY(mutex) = 0;

  void run() {
    for (;;) {
      std::function<void()> task;
      {
        MutexLock lock(mutex);
        lock.wait(ready,
                  [&]() APICURIO_NO_THREAD_SAFETY_ANALYSIS { return stopping || !tasks.empty(); });
        if (tasks.empty()) {  // stopping, and nothing left to run
          --running;
          return;
        }
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

namespace {
// The queue of the pool whose thread this is, if any.
thread_local const void* current_queue = nullptr;
}  // namespace

WorkerPool::WorkerPool(std::size_t threads) : queue_(std::make_shared<Queue>()) {
  if (threads == 0) threads = 1;
  MutexLock lock(join_mutex_);
  threads_.reserve(threads);
  try {
    for (std::size_t i = 0; i < threads; ++i) {
      {
        MutexLock queue_lock(queue_->mutex);
        ++queue_->running;
      }
      try {
        threads_.emplace_back([queue = queue_] {
          current_queue = queue.get();
          name_this_thread("apicurio-worker");
          queue->run();
        });
      } catch (...) {
        MutexLock queue_lock(queue_->mutex);
        --queue_->running;
        throw;
      }
    }
  } catch (...) {
    // Joinable threads must not be destroyed (that terminates the process): end them first.
    stop();
    for (auto& thread : threads_)
      thread.join();
    throw;
  }
  thread_count_ = threads_.size();
}

WorkerPool::~WorkerPool() {
  close();
}

void WorkerPool::stop() noexcept {
  {
    MutexLock lock(queue_->mutex);
    queue_->stopping = true;
  }
  queue_->ready.notify_all();
}

void WorkerPool::close() {
  stop();
  MutexLock lock(join_mutex_);
  for (auto& thread : threads_) {
    if (!thread.joinable()) continue;
    if (thread.get_id() == std::this_thread::get_id()) {
      thread.detach();  // it returns from its task and then drains and exits on its own
    } else {
      thread.join();
    }
  }
}

bool WorkerPool::on_worker_thread() const noexcept {
  return current_queue == queue_.get();
}

void WorkerPool::post(std::function<void()> task) {
  {
    MutexLock lock(queue_->mutex);
    if (queue_->running > 0) {
      queue_->tasks.push_back(std::move(task));
      task = nullptr;
    }
  }
  if (task) {
    try {
      task();
    } catch (...) {
      // As on a pool thread.
    }
    return;
  }
  queue_->ready.notify_one();
}

}  // namespace apicurio::detail
