// The phase runner of phases.hpp.
#include "phases.hpp"

#include "alloc_count.hpp"
#include "bench.hpp"

#include <time.h>

#include <chrono>

namespace apicurio::bench {

using Clock = std::chrono::steady_clock;

namespace {
double thread_cpu_seconds() {
  timespec ts{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) * 1e-9;
}
}  // namespace

Phases::Phases(std::size_t threads, Batch batch) : batch_(std::move(batch)) {
  for (std::size_t t = 0; t < threads; ++t)
    threads_.emplace_back([this, t] { work(t); });
}

Phases::~Phases() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    stop_ = true;
  }
  wake_.notify_all();
  for (auto& thread : threads_)
    thread.join();
}

void Phases::work(std::size_t thread) {
  std::uint64_t seen = 0;
  for (;;) {
    std::size_t variant = 0;
    Clock::time_point deadline;
    {
      std::unique_lock<std::mutex> lock(mutex_);
      wake_.wait(lock, [&] { return stop_ || generation_ != seen; });
      if (stop_) return;
      seen = generation_;
      variant = variant_;
      deadline = deadline_;
    }
    std::uint64_t records = 0;
    const std::uint64_t allocations_before = thread_allocations();
    const double cpu_before = thread_cpu_seconds();
    std::exception_ptr error;
    try {
      do {
        batch_(thread, variant);
        records += kBatch;
      } while (Clock::now() < deadline);
    } catch (...) {
      error = std::current_exception();
    }
    const double cpu = thread_cpu_seconds() - cpu_before;
    const std::uint64_t allocations = thread_allocations() - allocations_before;
    std::lock_guard<std::mutex> lock(mutex_);
    records_ += records;
    if (cpu > 0) cpu_rate_ += static_cast<double>(records) / cpu;
    allocations_ += allocations;
    if (error && !error_) error_ = error;
    if (++finished_ == threads_.size()) done_.notify_one();
  }
}

void Phases::run(std::size_t variant, double seconds, VariantFigures& figures) {
  std::unique_lock<std::mutex> lock(mutex_);
  finished_ = 0;
  records_ = allocations_ = 0;
  cpu_rate_ = 0;
  variant_ = variant;
  const auto start = Clock::now();
  deadline_ =
      start + std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(seconds));
  ++generation_;
  wake_.notify_all();
  done_.wait(lock, [&] { return finished_ == threads_.size(); });
  // The last worker's end: a phase ends when its slowest thread does.
  const double elapsed = std::chrono::duration<double>(Clock::now() - start).count();
  if (error_) std::rethrow_exception(error_);
  figures.records_per_second.push_back(cpu_rate_);
  figures.wall_records_per_second.push_back(static_cast<double>(records_) / elapsed);
  figures.records += records_;
  figures.allocations += allocations_;
}

std::vector<VariantFigures> interleave(Phases& phases, const std::vector<std::string>& names,
                                       int rounds, double phase_seconds) {
  std::vector<VariantFigures> figures(names.size());
  for (std::size_t v = 0; v < names.size(); ++v) {
    VariantFigures warm_up;
    phases.run(v, phase_seconds, warm_up);
    figures[v].name = names[v];
  }
  for (int round = 0; round < rounds; ++round) {
    for (std::size_t i = 0; i < names.size(); ++i) {
      const std::size_t v = round % 2 == 0 ? i : names.size() - 1 - i;
      phases.run(v, phase_seconds, figures[v]);
    }
  }
  return figures;
}

std::vector<double> ratios(const VariantFigures& a, const VariantFigures& b) {
  std::vector<double> out;
  for (std::size_t i = 0; i < a.records_per_second.size() && i < b.records_per_second.size(); ++i)
    out.push_back(a.records_per_second[i] / b.records_per_second[i]);
  return out;
}

double median_ratio(const VariantFigures& a, const VariantFigures& b) {
  return percentile(ratios(a, b), 0.5);
}

}  // namespace apicurio::bench
