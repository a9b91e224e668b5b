// The client's two threads. The event thread runs the client's work: tasks other threads post,
// timers, and the outcome of every transfer. The transfer thread alone drives curl: it owns
// the multi handle and every easy handle, starts the transfers the event thread asks for and
// hands each outcome back. Splitting them lets a reply be parsed, cached and completed on one
// core while the next replies are read on another. How each transfer's easy handle is set up
// (TLS, transport, proxies, headers) is transfer.hpp's; the loop only runs them. Nothing here
// knows of schemas.
#pragma once

#include "clock.hpp"
#include "curl_handles.hpp"
#include "http_request.hpp"
#include "thread_annotations.hpp"

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <exception>
#include <functional>
#include <memory>
#include <queue>
#include <string>
#include <thread>
#include <vector>

namespace apicurio::detail {

struct Transfer;
class TransferSetup;

class EventLoop {
 public:
  using Task = std::function<void()>;

  // Creates the multi handle and starts both threads. Throws std::runtime_error if curl
  // cannot be initialised or lacks an option the loop relies on, std::system_error if a
  // thread cannot start; then nothing is left running. Timers and now() read `time`.
  explicit EventLoop(TransportSettings settings, TimeSource time = {});
  // Stops (see stop()). Aborts with a message on the loop's own threads, which cannot join
  // themselves.
  ~EventLoop();
  EventLoop(const EventLoop&) = delete;
  EventLoop& operator=(const EventLoop&) = delete;

  // Any thread. Runs `task` on the event thread soon; returns false (and drops the task)
  // once the loop is stopping. Never blocks on I/O.
  bool post(Task task) APICURIO_EXCLUDES(mutex_);

  // Event thread only. Starts an HTTP attempt bounded by `timeout` (zero:
  // TransportSettings::request_timeout) whose outcome goes to `sink`: the transfer thread
  // takes it up on its next turn. Never blocks on I/O.
  void start_transfer(SharedRequest request, std::chrono::milliseconds timeout,
                      std::shared_ptr<TransferSink> sink) APICURIO_EXCLUDES(transfer_mutex_);

  // Event thread only. Runs `task` on the event thread at or after `when` (of now()'s time).
  void add_timer(Clock::time_point when, Task task);

  // Any thread; never blocks. The time the loop's timers, and its users, read.
  Clock::time_point now() const noexcept { return time_.now(); }
  const TimeSource& time() const noexcept { return time_; }

  // Any thread. Drops every transfer, timer and queued task without running them, and joins
  // both threads; on the event thread itself it only asks both to end after this turn (the
  // destructor joins them), and likewise on the transfer thread (the user's hook, which must
  // not call the client). Idempotent: every call from another thread, concurrent ones
  // too, returns only once both threads are joined. Bounded by the work of one turn of
  // each thread (never by a DNS lookup: curl is told not to wait for its resolver threads).
  // Never throws.
  void stop() APICURIO_EXCLUDES(mutex_, transfer_mutex_, join_mutex_);

  // Any thread; never blocks. Whether the caller is this loop's event thread: a flag that
  // thread sets itself, not a thread id, which glibc gives to a new thread once the event
  // thread is joined.
  bool on_event_thread() const noexcept { return running_loop_ == this; }
  std::uint64_t attempts_started() const noexcept { return attempts_.load(); }
  std::uint64_t in_flight() const noexcept { return in_flight_.load(); }

 private:
  struct Timer {
    Clock::time_point when;
    std::uint64_t sequence;  // keeps equal deadlines in insertion order
    Task task;
    bool operator>(const Timer& o) const {
      return when != o.when ? when > o.when : sequence > o.sequence;
    }
  };
  // An attempt the event thread asked for, waiting for the transfer thread.
  struct TransferStart {
    SharedRequest request;
    std::chrono::milliseconds timeout;
    std::shared_ptr<TransferSink> sink;
  };
  // An attempt's outcome, waiting for the event thread.
  struct Outcome {
    std::shared_ptr<TransferSink> sink;
    HttpResponse response;
  };

  // Event thread.
  void run_events();
  void run_due_timers();
  // Tells a manual clock how many timers wait, so that a test knows when to advance it.
  void report_timers();
  // Transfer thread.
  void run_transfers();
  bool take_starts(std::vector<TransferStart>& starts) APICURIO_EXCLUDES(transfer_mutex_);
  void begin_transfer(TransferStart start, std::vector<Outcome>& failed);
  void finish_transfers(std::vector<Outcome>& outcomes);
  void hand_over(std::vector<Outcome>& outcomes) APICURIO_EXCLUDES(mutex_);
  // Returns what curl_multi_poll returned.
  int wait_for_sockets() APICURIO_EXCLUDES(transfer_mutex_);
  // After a failed curl call: waits as an idle poll would, for a start or the stop, so that
  // a call that keeps failing at once never spins the thread.
  void pause_after_failure() APICURIO_EXCLUDES(transfer_mutex_);
  // Fails every running transfer with the failed multi call's name and code.
  void fail_active(const char* call, int code, std::vector<Outcome>& outcomes);
  void drop_transfers();
  // Keeps a finished transfer, and its easy handle, for the next request (or frees it).
  void recycle(std::unique_ptr<Transfer> transfer);
  std::unique_ptr<Transfer> take_idle_transfer();

  // Sets up each transfer; the transfer thread's (its constructor runs in the loop's).
  const std::unique_ptr<const TransferSetup> setup_;
  const TimeSource time_;
  // Used by the transfer thread (and curl_multi_wakeup by any). Declared before active_ and
  // idle_ so that their easy handles are freed before it.
  const MultiHandle multi_;

  // What the event thread has to do.
  Mutex mutex_;
  std::condition_variable work_ready_;
  std::vector<Task> posted_ APICURIO_GUARDED_BY(mutex_);
  std::vector<Outcome> outcomes_ APICURIO_GUARDED_BY(mutex_);
  bool stopping_ APICURIO_GUARDED_BY(mutex_) = false;

  // What the transfer thread has to do.
  Mutex transfer_mutex_;
  std::vector<TransferStart> starts_ APICURIO_GUARDED_BY(transfer_mutex_);
  // The transfer thread is (about to be) in curl_multi_poll and no wakeup is on its way: the
  // next start must wake it. Otherwise it looks for starts before it polls again, so no
  // system call is spent on a busy thread.
  bool polling_ APICURIO_GUARDED_BY(transfer_mutex_) = false;
  bool transfers_stopping_ APICURIO_GUARDED_BY(transfer_mutex_) = false;
  // Where the transfer thread waits after a failed curl_multi_poll (see pause_after_failure).
  std::condition_variable transfer_ready_;

  // Event thread only.
  std::priority_queue<Timer, std::vector<Timer>, std::greater<Timer>> timers_;
  std::uint64_t timer_sequence_ = 0;

  // Transfer thread only.
  std::vector<std::unique_ptr<Transfer>> active_;  // running transfers, each at its `slot`
  std::vector<std::unique_ptr<Transfer>> idle_;    // finished, reset, ready for reuse

  std::atomic<std::uint64_t> attempts_{0};
  std::atomic<std::uint64_t> in_flight_{0};
  // Held by the stop() that joins the threads, so that any other stop() waits for the joins
  // (joining is not I/O: it waits for at most one turn of each thread).
  Mutex join_mutex_;
  std::thread transfer_thread_ APICURIO_GUARDED_BY(join_mutex_);
  std::thread thread_ APICURIO_GUARDED_BY(join_mutex_);
  // The loop whose event thread this is, set by that thread itself; nullptr elsewhere.
  static thread_local const EventLoop* running_loop_;
  // The loop whose transfer thread this is, set by that thread itself; nullptr elsewhere.
  static thread_local const EventLoop* transferring_loop_;
};

}  // namespace apicurio::detail
