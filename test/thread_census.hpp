// The threads of this process as /proc/self/task lists them, so that tests can tell whether
// a client's threads are gone (joined and reaped) without a hook in the library.
#pragma once

#include <dirent.h>

#include <cstdlib>
#include <fstream>
#include <map>
#include <string>

namespace apicurio::testing {

// Thread id to name (comm), for every thread of the process now.
inline std::map<int, std::string> threads_now() {
  std::map<int, std::string> threads;
  if (DIR* dir = opendir("/proc/self/task")) {
    while (dirent* entry = readdir(dir)) {
      if (entry->d_name[0] == '.') continue;
      std::ifstream comm(std::string("/proc/self/task/") + entry->d_name + "/comm");
      std::string name;
      std::getline(comm, name);
      threads[std::atoi(entry->d_name)] = name;
    }
    closedir(dir);
  }
  return threads;
}

inline std::size_t thread_count() {
  return threads_now().size();
}

// The threads named by the library (apicurio-*) that exist now but not in `before`.
inline std::map<int, std::string> library_threads_since(const std::map<int, std::string>& before) {
  std::map<int, std::string> added;
  for (const auto& [tid, name] : threads_now()) {
    if (name.rfind("apicurio-", 0) == 0 && before.count(tid) == 0) added[tid] = name;
  }
  return added;
}

}  // namespace apicurio::testing
