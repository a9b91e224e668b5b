#include "event_loop.hpp"

#include "thread_name.hpp"
#include "transfer.hpp"

#include <curl/curl.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <stdexcept>
#include <string>

namespace apicurio::detail {
namespace {

// The longest the transfer thread sleeps with nothing to do: a bound on how late a missed
// wakeup can be noticed, and cheap when idle (one wakeup a second).
constexpr int kIdlePollMs = 1000;

// Why a multi call failed, naming the call: what a transfer it ended reports.
std::string multi_failure(const char* call, int code) {
  return std::string(call) + " failed: " + curl_multi_strerror(static_cast<CURLMcode>(code)) +
         " (CURLMcode " + std::to_string(code) + ")";
}

}  // namespace

thread_local const EventLoop* EventLoop::running_loop_ = nullptr;
thread_local const EventLoop* EventLoop::transferring_loop_ = nullptr;

EventLoop::EventLoop(TransportSettings settings, TimeSource time)
    : setup_(std::make_unique<const TransferSetup>(std::move(settings))),
      time_(std::move(time)),
      multi_(curl_multi_init()) {
  if (!multi_) throw std::runtime_error("curl_multi_init failed");
  const TransportOptions& transport = setup_->settings().transport;
  CURLMcode limits = curl_multi_setopt(multi_.get(), CURLMOPT_MAX_HOST_CONNECTIONS,
                                       transport.max_connections_per_host);
  if (limits == CURLM_OK) {
    limits =
        curl_multi_setopt(multi_.get(), CURLMOPT_MAX_TOTAL_CONNECTIONS, transport.max_connections);
  }
  if (limits != CURLM_OK) throw std::runtime_error(multi_failure("curl_multi_setopt", limits));
  try {
    transfer_thread_ = std::thread([this] {
      name_this_thread("apicurio-curl");
      transferring_loop_ = this;
      run_transfers();
    });
    thread_ = std::thread([this] {
      name_this_thread("apicurio-event");
      running_loop_ = this;
      run_events();
    });
  } catch (...) {
    stop();  // joins the transfer thread if it started
    throw;
  }
  // A test's clock moves without the loop noticing: each advance posts an empty task, after
  // which the event thread runs the timers then due.
  if (ManualClock* manual = time_.manual()) manual->attach(this, [this] { post([] {}); });
}

EventLoop::~EventLoop() {
  if (on_event_thread()) {
    // Returning would run the rest of this turn on freed memory: fail loudly instead.
    std::fputs(
        "apicurio: a RegistryClient was destroyed on its own event thread (in a "
        "continuation attached with a null executor); destroy it on another thread\n",
        stderr);
    std::abort();
  }
  if (transferring_loop_ == this) {
    std::fputs(
        "apicurio: a RegistryClient was destroyed on its own transfer thread (in "
        "TransportOptions::configure_handle); destroy it on another thread\n",
        stderr);
    std::abort();
  }
  if (ManualClock* manual = time_.manual()) manual->detach(this);
  stop();
  // What the stopped threads left (the sinks of transfers never started or never handed
  // over), released here rather than under the lock.
  std::vector<Task> tasks;
  std::vector<Outcome> outcomes;
  std::vector<TransferStart> starts;
  {
    MutexLock lock(mutex_);
    tasks.swap(posted_);
    outcomes.swap(outcomes_);
  }
  {
    MutexLock lock(transfer_mutex_);
    starts.swap(starts_);
  }
  // The members free the easy handles, then the multi handle.
}

bool EventLoop::post(Task task) {
  bool was_idle = false;
  {
    MutexLock lock(mutex_);
    if (stopping_) return false;
    was_idle = posted_.empty() && outcomes_.empty();
    posted_.push_back(std::move(task));
  }
  // A queue that was not empty already has the event thread's attention.
  if (was_idle) work_ready_.notify_one();
  return true;
}

void EventLoop::stop() {
  {
    MutexLock lock(mutex_);
    stopping_ = true;
  }
  work_ready_.notify_all();
  {
    MutexLock lock(transfer_mutex_);
    transfers_stopping_ = true;
  }
  transfer_ready_.notify_all();
  // A failed wakeup costs at most one idle poll: the transfer thread looks at the flag
  // before each.
  curl_multi_wakeup(multi_.get());
  // Neither thread can join itself: both loops end after this turn, and a later stop() from
  // another thread (the destructor's) joins them.
  if (on_event_thread() || transferring_loop_ == this) return;
  MutexLock lock(join_mutex_);
  if (thread_.joinable()) thread_.join();
  if (transfer_thread_.joinable()) transfer_thread_.join();
}

void EventLoop::start_transfer(SharedRequest request, std::chrono::milliseconds timeout,
                               std::shared_ptr<TransferSink> sink) {
  bool wake = false;
  {
    MutexLock lock(transfer_mutex_);
    starts_.push_back({std::move(request), timeout, std::move(sink)});
    wake = polling_;
    polling_ = false;  // one wakeup is enough
  }
  if (!wake) return;
  transfer_ready_.notify_one();  // in case it waits after a failed poll
  if (curl_multi_wakeup(multi_.get()) != CURLM_OK) {
    // The start waits for the poll's end, at most kIdlePollMs; the next start tries again.
    MutexLock lock(transfer_mutex_);
    polling_ = true;
  }
}

void EventLoop::add_timer(Clock::time_point when, Task task) {
  timers_.push(Timer{when, timer_sequence_++, std::move(task)});
  report_timers();
}

void EventLoop::report_timers() {
  if (ManualClock* manual = time_.manual()) {
    manual->report_timers(this, timers_.size(),
                          timers_.empty() ? Clock::time_point::max() : timers_.top().when);
  }
}

void EventLoop::run_events() {
  std::vector<Task> tasks;
  std::vector<Outcome> outcomes;
  for (;;) {
    {
      MutexLock lock(mutex_);
      auto has_work = [this]() APICURIO_NO_THREAD_SAFETY_ANALYSIS {
        return stopping_ || !posted_.empty() || !outcomes_.empty();
      };
      // A timer at the end of time never comes due: no deadline to wait for (converting
      // max() to another clock, as some standard libraries do, would overflow). On a test's
      // clock, time moves only by an advance, which posts a task.
      if (timers_.empty() || timers_.top().when == Clock::time_point::max() || time_.manual()) {
        lock.wait(work_ready_, has_work);
      } else {
        lock.wait_until(work_ready_, timers_.top().when, has_work);
      }
      if (stopping_) break;
      tasks.swap(posted_);
      outcomes.swap(outcomes_);
    }
    for (auto& task : tasks)
      task();
    tasks.clear();
    for (auto& outcome : outcomes)
      outcome.sink->transfer_done(std::move(outcome.response));
    outcomes.clear();
    run_due_timers();
  }
  // Dropped unrun, here, outside the lock.
  while (!timers_.empty())
    timers_.pop();
  report_timers();
  MutexLock lock(mutex_);
  tasks.swap(posted_);
  outcomes.swap(outcomes_);
}

void EventLoop::run_due_timers() {
  const auto now = time_.now();
  while (!timers_.empty() && timers_.top().when <= now) {
    Task task = std::move(const_cast<Timer&>(timers_.top()).task);
    timers_.pop();
    task();
  }
  report_timers();
}

void EventLoop::run_transfers() {
  std::vector<TransferStart> starts;
  std::vector<Outcome> outcomes;
  while (take_starts(starts)) {
    for (auto& start : starts)
      begin_transfer(std::move(start), outcomes);
    starts.clear();
    int running = 0;
    const CURLMcode performed = curl_multi_perform(multi_.get(), &running);
    finish_transfers(outcomes);
    if (performed != CURLM_OK) fail_active("curl_multi_perform", performed, outcomes);
    hand_over(outcomes);
    const int polled = wait_for_sockets();
    if (polled != CURLM_OK) {
      fail_active("curl_multi_poll", polled, outcomes);
      hand_over(outcomes);
      pause_after_failure();
    }
  }
  drop_transfers();
}

bool EventLoop::take_starts(std::vector<TransferStart>& starts) {
  MutexLock lock(transfer_mutex_);
  if (transfers_stopping_) return false;
  starts.swap(starts_);
  return true;
}

void EventLoop::hand_over(std::vector<Outcome>& outcomes) {
  if (outcomes.empty()) return;
  bool was_idle = false;
  {
    MutexLock lock(mutex_);
    was_idle = posted_.empty() && outcomes_.empty();
    if (outcomes_.empty()) {
      outcomes_.swap(outcomes);
    } else {
      for (auto& outcome : outcomes)
        outcomes_.push_back(std::move(outcome));
    }
  }
  outcomes.clear();
  if (was_idle) work_ready_.notify_one();
}

int EventLoop::wait_for_sockets() {
  {
    MutexLock lock(transfer_mutex_);
    if (!starts_.empty() || transfers_stopping_) return CURLM_OK;
    polling_ = true;
  }
  long curl_timeout = -1;
  long timeout = kIdlePollMs;
  if (curl_multi_timeout(multi_.get(), &curl_timeout) == CURLM_OK && curl_timeout >= 0) {
    timeout = std::min(timeout, curl_timeout);
  }
  const CURLMcode polled =
      curl_multi_poll(multi_.get(), nullptr, 0, static_cast<int>(timeout), nullptr);
  // After a failure polling_ stays set until pause_after_failure ends, so that a start
  // wakes it.
  if (polled == CURLM_OK) {
    MutexLock lock(transfer_mutex_);
    polling_ = false;
  }
  return polled;
}

void EventLoop::pause_after_failure() {
  MutexLock lock(transfer_mutex_);
  polling_ = true;
  lock.wait_until(transfer_ready_, Clock::now() + std::chrono::milliseconds(kIdlePollMs),
                  [this]() APICURIO_NO_THREAD_SAFETY_ANALYSIS {
                    return !starts_.empty() || transfers_stopping_;
                  });
  polling_ = false;
}

void EventLoop::fail_active(const char* call, int code, std::vector<Outcome>& outcomes) {
  const std::string error = multi_failure(call, code);
  for (auto& transfer : active_) {
    // Freed, not kept: a handle curl may still count as its own is never reused (its
    // cleanup removes it from the multi handle if the removal failed).
    curl_multi_remove_handle(multi_.get(), transfer->easy.get());
    HttpResponse response;
    response.transport = CURLE_FAILED_INIT;
    response.transport_error = error;
    outcomes.push_back({std::move(transfer->sink), std::move(response)});
  }
  in_flight_.fetch_sub(active_.size());
  active_.clear();
}

std::unique_ptr<Transfer> EventLoop::take_idle_transfer() {
  if (!idle_.empty()) {
    std::unique_ptr<Transfer> transfer = std::move(idle_.back());
    idle_.pop_back();
    return transfer;
  }
  return setup_->new_transfer();
}

void EventLoop::begin_transfer(TransferStart start, std::vector<Outcome>& failed) {
  auto fail = [&failed, &start](HttpResponse response) {
    failed.push_back({std::move(start.sink), std::move(response)});
  };
  std::unique_ptr<Transfer> transfer = take_idle_transfer();
  if (!transfer) {
    HttpResponse response;
    response.transport = CURLE_OUT_OF_MEMORY;
    response.transport_error = "curl_easy_init failed, or refused an option it took before";
    return fail(std::move(response));
  }
  if (std::exception_ptr hook_error =
          setup_->prepare(*transfer, std::move(start.request), start.timeout)) {
    HttpResponse response;
    response.error = std::move(hook_error);
    recycle(std::move(transfer));
    return fail(std::move(response));
  }

  attempts_.fetch_add(1);
  const CURLMcode added = curl_multi_add_handle(multi_.get(), transfer->easy.get());
  if (added != CURLM_OK) {
    HttpResponse response;
    response.transport = CURLE_FAILED_INIT;
    response.transport_error = multi_failure("curl_multi_add_handle", added);
    // Freed, not kept: a failed add may leave the handle attached (libcurl 7.87-7.88 when
    // its last step fails), and every later add of it would fail (see fail_active).
    return fail(std::move(response));
  }
  in_flight_.fetch_add(1);
  transfer->sink = std::move(start.sink);
  transfer->slot = active_.size();
  active_.push_back(std::move(transfer));
}

void EventLoop::finish_transfers(std::vector<Outcome>& outcomes) {
  int left = 0;
  while (CURLMsg* message = curl_multi_info_read(multi_.get(), &left)) {
    if (message->msg != CURLMSG_DONE) continue;
    CURL* easy = message->easy_handle;
    CURLcode code = message->data.result;
    // A handle curl failed to let go of is freed, never reused (see fail_active).
    const bool removed = curl_multi_remove_handle(multi_.get(), easy) == CURLM_OK;
    in_flight_.fetch_sub(1);
    char* private_data = nullptr;
    curl_easy_getinfo(easy, CURLINFO_PRIVATE, &private_data);
    auto* found = reinterpret_cast<Transfer*>(private_data);
    if (!found || found->slot >= active_.size() || active_[found->slot].get() != found) continue;
    // Out of active_ by swapping the last running transfer into its slot.
    std::unique_ptr<Transfer> transfer = std::move(active_[found->slot]);
    if (transfer->slot + 1 != active_.size()) {
      active_[transfer->slot] = std::move(active_.back());
      active_[transfer->slot]->slot = transfer->slot;
    }
    active_.pop_back();

    HttpResponse response = setup_->outcome(*transfer, code);
    std::shared_ptr<TransferSink> sink = std::move(transfer->sink);
    if (removed) recycle(std::move(transfer));
    outcomes.push_back({std::move(sink), std::move(response)});
  }
}

void EventLoop::recycle(std::unique_ptr<Transfer> transfer) {
  constexpr std::size_t kIdleTransfers = 128;
  if (idle_.size() >= kIdleTransfers) return;  // its destructor frees the handle
  if (!setup_->reset_for_reuse(*transfer)) return;
  idle_.push_back(std::move(transfer));
}

void EventLoop::drop_transfers() {
  for (auto& transfer : active_)
    curl_multi_remove_handle(multi_.get(), transfer->easy.get());
  in_flight_.store(0);
  active_.clear();
}

}  // namespace apicurio::detail
