#include "thread_pool.hpp"

#include <algorithm>

namespace apicurio::emulator {

ElasticThreadPool::ElasticThreadPool(std::size_t base, std::size_t max)
    : max_(std::max<std::size_t>(1, std::max(base, max))) {
  std::lock_guard<std::mutex> lock(mutex_);
  for (std::size_t i = 0; i < std::max<std::size_t>(1, base); ++i)
    spawn();
}

ElasticThreadPool::~ElasticThreadPool() {
  bool joined;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    joined = shutting_down_;
  }
  if (!joined) shutdown();
}

void ElasticThreadPool::spawn() {
  threads_.emplace_back([this] { work(); });
}

void ElasticThreadPool::enqueue(std::function<void()> task) {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    tasks_.push_back(std::move(task));
    if (tasks_.size() > idle_ && threads_.size() < max_) spawn();
  }
  wake_.notify_one();
}

void ElasticThreadPool::shutdown() {
  std::vector<std::thread> threads;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    shutting_down_ = true;
  }
  wake_.notify_all();
  {
    // No thread is spawned once shutting_down_ is set... except by enqueue, which httplib
    // no longer calls after it starts shutting the queue down.
    std::lock_guard<std::mutex> lock(mutex_);
    threads.swap(threads_);
  }
  for (auto& thread : threads)
    thread.join();
}

void ElasticThreadPool::work() {
  std::unique_lock<std::mutex> lock(mutex_);
  for (;;) {
    ++idle_;
    wake_.wait(lock, [this] { return !tasks_.empty() || shutting_down_; });
    --idle_;
    if (tasks_.empty()) return;  // shutting down with nothing left to run
    auto task = std::move(tasks_.front());
    tasks_.pop_front();
    lock.unlock();
    task();
    lock.lock();
  }
}

}  // namespace apicurio::emulator
