// The fault plan, the request log and the stop signal that wakes sleeping handlers.
#pragma once

#include <httplib.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include <apicurio/testing/emulator.hpp>

namespace apicurio::emulator {

/// "status", "delay", "close-mid-body", "body", "stall".
const char* fault_kind_name(Fault::Kind kind);

/// Thread-safe list of faults; the first one matching a route is consumed.
class FaultPlan {
 public:
  void add(Fault fault);
  void clear();
  /// The fault to apply to one request of `route`, counting it against the fault's budget.
  std::optional<Fault> take(const std::string& route);

 private:
  std::mutex mutex_;
  std::vector<Fault> faults_;  // guarded by mutex_
};

/// Thread-safe request log and in-flight gauge.
class RequestLog {
 public:
  std::shared_ptr<LoggedRequest> begin(LoggedRequest entry);
  void finish(const std::shared_ptr<LoggedRequest>& entry, int status, std::string fault);
  std::vector<LoggedRequest> snapshot() const;
  std::size_t count(const std::string& route) const;
  void clear();

  void enter();
  void leave();
  std::size_t peak() const { return peak_.load(); }

 private:
  mutable std::mutex mutex_;
  std::vector<std::shared_ptr<LoggedRequest>> entries_;  // guarded by mutex_
  std::atomic<std::size_t> in_flight_{0};
  std::atomic<std::size_t> peak_{0};
};

/// Lets sleeping handlers wake at once when the emulator stops.
class StopSignal {
 public:
  /// Sleeps up to `duration`; returns true if stop() was called. Never throws.
  bool wait_for(std::chrono::milliseconds duration);
  bool stopped() const;
  void stop();

 private:
  mutable std::mutex mutex_;
  std::condition_variable wake_;
  bool stopped_ = false;  // guarded by mutex_
};

}  // namespace apicurio::emulator
