// Helpers shared by the stress tests: scaling under sanitizers, waiting with a bound, and
// sorting how futures ended.
#pragma once

#include <apicurio/registry.hpp>

#include <dirent.h>
#include <chrono>
#include <cstdlib>
#include <string>
#include <thread>
#include <vector>

namespace apicurio::testing {

// The stress tests divide their counts by $APICURIO_STRESS_DIVISOR (default 1), which the
// sanitizer CI runs set so that an instrumented run stays as short as a plain one.
inline int stress_count(int full) {
  const char* divisor_text = std::getenv("APICURIO_STRESS_DIVISOR");
  int divisor = divisor_text ? std::atoi(divisor_text) : 1;
  if (divisor < 1) divisor = 1;
  return full / divisor > 0 ? full / divisor : 1;
}

// How a set of futures ended.
struct Outcomes {
  int values = 0;
  int library_errors = 0;  // any apicurio::Error
  int closed = 0;          // of which ClientClosedError
  int other = 0;           // anything else: a bug
  int not_ready = 0;       // still pending at the deadline: a hang
};

// Waits for every future until `deadline` and sorts how each ended.
inline Outcomes settle_all(const std::vector<Future<CachedSchema>>& futures,
                           std::chrono::steady_clock::time_point deadline) {
  Outcomes outcomes;
  for (const auto& future : futures) {
    if (future.wait_until(deadline) != std::future_status::ready) {
      ++outcomes.not_ready;
      continue;
    }
    try {
      future.get();
      ++outcomes.values;
    } catch (const ClientClosedError&) {
      ++outcomes.library_errors;
      ++outcomes.closed;
    } catch (const Error&) {
      ++outcomes.library_errors;
    } catch (...) {
      ++outcomes.other;
    }
  }
  return outcomes;
}

// Polls `done` every 10 ms until it holds or `limit` passes; returns its last answer.
template <class Predicate>
bool eventually(Predicate done, std::chrono::milliseconds limit) {
  auto deadline = std::chrono::steady_clock::now() + limit;
  while (!done()) {
    if (std::chrono::steady_clock::now() >= deadline) return done();
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  return true;
}

// The number of open file descriptors of this process.
inline int open_descriptors() {
  int count = 0;
  if (DIR* dir = opendir("/proc/self/fd")) {
    while (dirent* entry = readdir(dir)) {
      if (entry->d_name[0] != '.') ++count;
    }
    closedir(dir);
  }
  return count;
}

}  // namespace apicurio::testing
