// Names the calling thread, so that top -H, perf and debuggers tell the client's threads from
// the application's. Where the platform has no such call, the thread stays unnamed.
#pragma once

#if defined(__linux__)
#include <pthread.h>
#endif

namespace apicurio::detail {

/// The calling thread; never blocks; never throws. Linux keeps 15 characters of `name`.
inline void name_this_thread(const char* name) {
#if defined(__linux__)
  pthread_setname_np(pthread_self(), name);
#else
  (void)name;
#endif
}

}  // namespace apicurio::detail
