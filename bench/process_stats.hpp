// What the process and its threads use, read from /proc and the CPU clocks (Linux).
#pragma once

#include <cstdint>
#include <set>

namespace apicurio::bench {

/// Resident set size in bytes, from /proc/self/statm. Throws std::runtime_error.
std::int64_t resident_bytes();
/// CPU time of the whole process (all threads), in nanoseconds.
std::int64_t process_cpu_ns();
/// The ids of this process's threads, from /proc/self/task.
std::set<long> thread_ids();
/// CPU time a thread of this process has run, in nanoseconds, from
/// /proc/self/task/TID/schedstat; 0 if the thread is gone.
std::int64_t thread_cpu_ns(long tid);
/// The sum of thread_cpu_ns over `tids`.
std::int64_t threads_cpu_ns(const std::set<long>& tids);

}  // namespace apicurio::bench
