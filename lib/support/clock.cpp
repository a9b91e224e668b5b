#include "clock.hpp"

namespace apicurio::detail {
namespace {

// Per thread, so that tests running clients on other threads are not affected.
thread_local TimeSource next_client_time;

}  // namespace

ClientClockScope::ClientClockScope(std::shared_ptr<ManualClock> clock)
    : previous_(next_client_time) {
  next_client_time = TimeSource(std::move(clock));
}

ClientClockScope::~ClientClockScope() {
  next_client_time = previous_;
}

TimeSource time_for_new_client() {
  return next_client_time;
}

}  // namespace apicurio::detail
