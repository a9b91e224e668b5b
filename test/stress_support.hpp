// Helpers shared by the stress tests: scaling under sanitizers, waiting with a bound, and
// sorting how futures ended.
#pragma once

#include <apicurio/registry.hpp>

#include <dirent.h>
#include <unistd.h>
#include <chrono>
#include <cstdlib>
#include <fstream>
#include <map>
#include <set>
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

// Each open descriptor of a process ("self" or a pid) with what it refers to ("socket:[123]",
// "pipe:[456]", a path), so that a leak names what leaked.
inline std::map<int, std::string> descriptor_targets(const std::string& process = "self") {
  std::map<int, std::string> targets;
  const std::string folder = "/proc/" + process + "/fd";
  if (DIR* dir = opendir(folder.c_str())) {
    while (dirent* entry = readdir(dir)) {
      if (entry->d_name[0] == '.') continue;
      const std::string link = folder + "/" + entry->d_name;
      char target[512];
      ssize_t size = readlink(link.c_str(), target, sizeof target - 1);
      targets[std::atoi(entry->d_name)] =
          size < 0 ? "?" : std::string(target, static_cast<std::size_t>(size));
    }
    closedir(dir);
  }
  return targets;
}

// What the child processes of this process hold open. The tests start no process; a
// sanitizer does: ThreadSanitizer starts llvm-symbolizer the first time a suppressed race
// needs symbolizing and keeps two pipes to it open for the rest of the run.
inline std::set<std::string> targets_shared_with_children() {
  std::set<std::string> shared;
  if (DIR* tasks = opendir("/proc/self/task")) {
    while (dirent* task = readdir(tasks)) {
      if (task->d_name[0] == '.') continue;
      std::ifstream children(std::string("/proc/self/task/") + task->d_name + "/children");
      std::string child;
      while (children >> child)
        for (const auto& entry : descriptor_targets(child))
          shared.insert(entry.second);
    }
    closedir(tasks);
  }
  return shared;
}

// The descriptors open now that were not open in `before` (as "fd -> target" lines), leaving
// out those shared with a child process (see above).
inline std::string leaked_descriptors(const std::map<int, std::string>& before) {
  const auto shared = targets_shared_with_children();
  std::string lines;
  for (const auto& [fd, target] : descriptor_targets()) {
    auto old = before.find(fd);
    if ((old == before.end() || old->second != target) && shared.count(target) == 0)
      lines += std::to_string(fd) + " -> " + target + "\n";
  }
  return lines;
}

}  // namespace apicurio::testing
