// The client's own executor: a few threads that run continuations.
#pragma once

#include "thread_annotations.hpp"

#include <apicurio/executor.hpp>

#include <memory>
#include <thread>
#include <vector>

namespace apicurio::detail {

// Our own pool because C++17 has none and the client needs what no general pool gives: close
// with the client yet accept late posts, and be destroyed from one of its own threads.
// A fixed-size thread pool. Tasks run in the order posted (per thread, FIFO overall).
// The client closes it with itself (close() joins its threads); the object lives on while
// futures refer to it, and runs what is posted after that on the posting thread. The last
// reference may be dropped on one of its own threads (a continuation releasing the last
// future), which the destructor allows.
class WorkerPool final : public Executor {
 public:
  // Starts `threads` threads (at least one). Throws std::system_error if one cannot start,
  // after joining those that did.
  explicit WorkerPool(std::size_t threads);
  // close(). Never throws.
  ~WorkerPool() override;

  // Any thread, never blocks on a running task; never throws but std::bad_alloc. Once every
  // thread has ended (after close()), runs `task` on the calling thread instead: nothing
  // else would.
  void post(std::function<void()> task) override;

  // Any thread; never throws. The threads end once the queue is empty (tasks posted
  // meanwhile still run). Does not wait.
  void stop() noexcept;
  // Any thread; idempotent; never throws. stop(), then waits until the threads have run
  // every queued task and joins them, except the calling thread when it is one of them (it
  // cannot join itself: it is detached, and ends when its task returns and the queue is
  // empty). Concurrent calls each return once the joins are done. Blocks as long as the
  // queued tasks run; a task that waits for the caller deadlocks.
  void close() APICURIO_EXCLUDES(join_mutex_);

  // True on one of this pool's threads. Any thread; never blocks.
  bool on_worker_thread() const noexcept;
  std::size_t thread_count() const noexcept { return thread_count_; }

 private:
  struct Queue;
  const std::shared_ptr<Queue> queue_;
  Mutex join_mutex_;  // serializes the joins
  std::vector<std::thread> threads_ APICURIO_GUARDED_BY(join_mutex_);
  std::size_t thread_count_ = 0;
};

}  // namespace apicurio::detail
