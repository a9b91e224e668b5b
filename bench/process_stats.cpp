// Reading /proc/self and the CPU clocks.
#include "process_stats.hpp"

#include <dirent.h>
#include <time.h>
#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <stdexcept>
#include <string>

namespace apicurio::bench {

std::int64_t resident_bytes() {
  std::ifstream statm("/proc/self/statm");
  std::int64_t size_pages = 0, resident_pages = 0;
  if (!(statm >> size_pages >> resident_pages)) {
    throw std::runtime_error("cannot read /proc/self/statm");
  }
  return resident_pages * static_cast<std::int64_t>(sysconf(_SC_PAGESIZE));
}

std::int64_t process_cpu_ns() {
  timespec now{};
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &now);
  return static_cast<std::int64_t>(now.tv_sec) * 1000000000 + now.tv_nsec;
}

std::set<long> thread_ids() {
  std::set<long> ids;
  DIR* dir = opendir("/proc/self/task");
  if (!dir) throw std::runtime_error("cannot list /proc/self/task");
  while (dirent* entry = readdir(dir)) {
    char* end = nullptr;
    const long id = std::strtol(entry->d_name, &end, 10);
    if (end != entry->d_name && *end == '\0') ids.insert(id);
  }
  closedir(dir);
  return ids;
}

std::int64_t thread_cpu_ns(long tid) {
  // The first field is the time on CPU in ns, kept by the scheduler (not sampled per tick).
  std::ifstream schedstat("/proc/self/task/" + std::to_string(tid) + "/schedstat");
  std::int64_t on_cpu_ns = 0;
  return schedstat >> on_cpu_ns ? on_cpu_ns : 0;
}

std::int64_t threads_cpu_ns(const std::set<long>& tids) {
  std::int64_t total = 0;
  for (long id : tids)
    total += thread_cpu_ns(id);
  return total;
}

}  // namespace apicurio::bench
