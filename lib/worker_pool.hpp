// The client's own executor: a few threads that run continuations.
#pragma once

#include <apicurio/executor.hpp>

#include <memory>
#include <thread>
#include <vector>

namespace apicurio::detail {

// A fixed-size thread pool. Tasks run in the order posted (per thread, FIFO overall).
// It lives as long as any future refers to it; the last reference may be dropped on one of
// its own threads (a continuation releasing the last future), which the destructor allows.
class WorkerPool final : public Executor {
 public:
  // Starts `threads` threads (at least one).
  explicit WorkerPool(std::size_t threads);
  // Runs every task already posted, then stops the threads.
  ~WorkerPool() override;

  // Any thread, never blocks on a running task; never throws but std::bad_alloc.
  void post(std::function<void()> task) override;

  std::size_t thread_count() const noexcept { return threads_.size(); }

 private:
  struct Queue;
  std::shared_ptr<Queue> queue_;
  std::vector<std::thread> threads_;
};

}  // namespace apicurio::detail
