#include "faults.hpp"

#include <algorithm>

namespace apicurio::emulator {
const char* fault_kind_name(Fault::Kind kind) {
  switch (kind) {
    case Fault::Kind::Status:
      return "status";
    case Fault::Kind::Delay:
      return "delay";
    case Fault::Kind::CloseMidBody:
      return "close-mid-body";
    case Fault::Kind::Body:
      return "body";
    case Fault::Kind::Stall:
      return "stall";
  }
  return "unknown";
}

void FaultPlan::add(Fault fault) {
  std::lock_guard<std::mutex> lock(mutex_);
  faults_.push_back(std::move(fault));
}

void FaultPlan::clear() {
  std::lock_guard<std::mutex> lock(mutex_);
  faults_.clear();
}

std::optional<Fault> FaultPlan::take(const std::string& route) {
  std::lock_guard<std::mutex> lock(mutex_);
  for (auto it = faults_.begin(); it != faults_.end(); ++it) {
    if (it->route != "*" && it->route != route) continue;
    Fault applied = *it;
    if (it->count != Fault::kForever && --it->count <= 0) faults_.erase(it);
    return applied;
  }
  return std::nullopt;
}

std::shared_ptr<LoggedRequest> RequestLog::begin(LoggedRequest entry) {
  auto shared = std::make_shared<LoggedRequest>(std::move(entry));
  std::lock_guard<std::mutex> lock(mutex_);
  entries_.push_back(shared);
  return shared;
}

void RequestLog::finish(const std::shared_ptr<LoggedRequest>& entry, int status,
                        std::string fault) {
  std::lock_guard<std::mutex> lock(mutex_);
  entry->status = status;
  entry->fault = std::move(fault);
}

std::vector<LoggedRequest> RequestLog::snapshot() const {
  std::lock_guard<std::mutex> lock(mutex_);
  std::vector<LoggedRequest> copy;
  copy.reserve(entries_.size());
  for (const auto& entry : entries_)
    copy.push_back(*entry);
  return copy;
}

std::size_t RequestLog::count(const std::string& route) const {
  std::lock_guard<std::mutex> lock(mutex_);
  return static_cast<std::size_t>(std::count_if(
      entries_.begin(), entries_.end(), [&](const auto& entry) { return entry->route == route; }));
}

void RequestLog::clear() {
  std::lock_guard<std::mutex> lock(mutex_);
  entries_.clear();
  peak_ = in_flight_.load();
}

void RequestLog::enter() {
  std::size_t now = ++in_flight_;
  std::size_t peak = peak_.load();
  while (now > peak && !peak_.compare_exchange_weak(peak, now)) {
  }
}

void RequestLog::leave() {
  --in_flight_;
}

bool StopSignal::wait_for(std::chrono::milliseconds duration) {
  std::unique_lock<std::mutex> lock(mutex_);
  return wake_.wait_for(lock, duration, [this] { return stopped_; });
}

bool StopSignal::stopped() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return stopped_;
}

void StopSignal::stop() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    stopped_ = true;
  }
  wake_.notify_all();
}

}  // namespace apicurio::emulator
