// Interleaved timed phases on a fixed set of threads: the serialize and deserialize modes
// compare variants of one job (avro-c's own, the library's) in the same run, one variant at a
// time on every thread, alternating, so that drift in the host's speed falls on all alike.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <exception>
#include <functional>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace apicurio::bench {

/// One variant's figures over the rounds of an interleaved run. A phase's rate is the sum
/// over its threads of records per second of the thread's own CPU time: the rate on as many
/// cores as threads, had they been free. On a machine shared with other work, wall time
/// would also count the time other processes hold the core.
struct VariantFigures {
  std::string name;
  std::vector<double> records_per_second;       // one per round, by CPU time
  std::vector<double> wall_records_per_second;  // one per round, by wall time
  std::uint64_t records = 0;
  std::uint64_t allocations = 0;  // over all rounds and threads
};

/// Worker threads that run a phase of one variant on all of them at once.
class Phases {
 public:
  /// `batch(thread, variant)` runs kBatch records of `variant` on worker `thread` (always on
  /// that worker's own thread, so per-thread state may live in the caller's vectors).
  using Batch = std::function<void(std::size_t thread, std::size_t variant)>;
  static constexpr int kBatch = 64;

  /// Starts `threads` workers. Throws std::system_error.
  Phases(std::size_t threads, Batch batch);
  /// Stops and joins the workers.
  ~Phases();
  Phases(const Phases&) = delete;
  Phases& operator=(const Phases&) = delete;

  /// Runs `variant` on every worker for `seconds`; adds its rate to `figures`. Blocks. A
  /// batch's exception ends the run and is rethrown here.
  void run(std::size_t variant, double seconds, VariantFigures& figures);

 private:
  void work(std::size_t thread);

  Batch batch_;
  std::mutex mutex_;
  std::condition_variable wake_, done_;
  // Guarded by mutex_:
  std::uint64_t generation_ = 0;
  bool stop_ = false;
  std::size_t variant_ = 0;
  std::size_t finished_ = 0;
  std::uint64_t records_ = 0, allocations_ = 0;
  double cpu_rate_ = 0;
  std::exception_ptr error_;
  std::chrono::steady_clock::time_point deadline_;
  std::vector<std::thread> threads_;
};

/// Runs `rounds` rounds of every variant, in turn forward and backward (ABC, CBA, ...),
/// each phase `phase_seconds` long, after one untimed warm-up phase of each.
std::vector<VariantFigures> interleave(Phases& phases, const std::vector<std::string>& names,
                                       int rounds, double phase_seconds);

/// a's rate divided by b's, round by round.
std::vector<double> ratios(const VariantFigures& a, const VariantFigures& b);

/// The median over rounds of a's rate divided by b's in the same round.
double median_ratio(const VariantFigures& a, const VariantFigures& b);

}  // namespace apicurio::bench
