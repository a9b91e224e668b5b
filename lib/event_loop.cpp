#include "event_loop.hpp"

#include "header_list.hpp"
#include "retry.hpp"
#include "thread_name.hpp"
#include "time_math.hpp"

#include <curl/curl.h>

#include <algorithm>
#include <climits>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <mutex>
#include <stdexcept>
#include <string>

namespace apicurio::detail {
namespace {

CURLM* as_multi(void* handle) {
  return static_cast<CURLM*>(handle);
}

void global_init_once() {
  static std::once_flag once;
  std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

// The longest the transfer thread sleeps with nothing to do: a bound on how late a missed
// wakeup can be noticed, and cheap when idle (one wakeup a second).
constexpr int kIdlePollMs = 1000;

// Sets an option and returns its name if curl refused it (nullptr if it took).
template <class Value>
const char* set_option(CURL* easy, CURLoption option, Value value, const char* name) {
  return curl_easy_setopt(easy, option, value) == CURLE_OK ? nullptr : name;
}

// Why a multi call failed, naming the call: what a transfer it ended reports.
std::string multi_failure(const char* call, int code) {
  return std::string(call) + " failed: " + curl_multi_strerror(static_cast<CURLMcode>(code)) +
         " (CURLMcode " + std::to_string(code) + ")";
}

// Only an https URL can negotiate HTTP/2 (curl asks for it over TLS only): only there is
// waiting for a connection's protocol worth it. On http:// the wait would hold every request
// behind the first reply whenever no connection's protocol is known yet.
bool may_multiplex(const std::string& url) {
  return url.size() > 8 && curl_strnequal(url.c_str(), "https://", 8);
}

}  // namespace

thread_local const EventLoop* EventLoop::running_loop_ = nullptr;
thread_local const EventLoop* EventLoop::transferring_loop_ = nullptr;

struct EventLoop::FixedHeaders {
  std::vector<std::string> lines;
  std::vector<curl_slist> nodes;
  curl_slist* head = nullptr;
  bool offers_encodings = false;
};

// One attempt, and between attempts the easy handle kept for the next: reusing both spares
// their allocations on every request.
struct EventLoop::Transfer {
  CURL* easy = nullptr;
  std::size_t slot = 0;  // index in active_ while running
  // The request's own headers, continuing into the loop's fixed ones.
  std::vector<curl_slist> header_nodes;
  curl_slist accept{};
  curl_slist no_expect{};
  SharedRequest request;
  HttpResponse response;
  std::shared_ptr<TransferSink> sink;
  std::int64_t max_bytes = 0;
  bool plain = false;  // a GET without credentials or the user's hook: see recycle()
  char error[CURL_ERROR_SIZE] = {};

  ~Transfer() {
    if (easy) curl_easy_cleanup(easy);
  }

  static size_t on_body(char* data, size_t size, size_t count, void* self) {
    auto* transfer = static_cast<Transfer*>(self);
    size_t bytes = size * count;
    std::string& body = transfer->response.body;
    if (static_cast<std::int64_t>(body.size() + bytes) > transfer->max_bytes) {
      transfer->response.too_large = true;
      return 0;  // makes curl abort the transfer with CURLE_WRITE_ERROR
    }
    body.append(data, bytes);
    return bytes;
  }
};

EventLoop::EventLoop(TransportSettings settings, TimeSource time)
    : settings_(settings),
      time_(std::move(time)),
      fixed_headers_(std::make_unique<FixedHeaders>()) {
  global_init_once();
  fixed_headers_->lines = fixed_header_lines(settings_.transport, settings_.extra_headers);
  fixed_headers_->head =
      link_headers(fixed_headers_->lines, fixed_headers_->nodes, /*tail=*/nullptr);
  fixed_headers_->offers_encodings = has_header(fixed_headers_->lines, "Accept-Encoding");
  // Whether every option the loop relies on is known to this curl, asked once here rather
  // than found out by each request.
  if (CURL* probe = curl_easy_init()) {
    const char* refused = apply_fixed_options(probe);
    curl_easy_cleanup(probe);
    if (refused) throw std::runtime_error(std::string("curl refused ") + refused);
  }
  multi_ = curl_multi_init();
  if (!multi_) throw std::runtime_error("curl_multi_init failed");
  CURLMcode limits = curl_multi_setopt(as_multi(multi_), CURLMOPT_MAX_HOST_CONNECTIONS,
                                       settings_.transport.max_connections_per_host);
  if (limits == CURLM_OK) {
    limits = curl_multi_setopt(as_multi(multi_), CURLMOPT_MAX_TOTAL_CONNECTIONS,
                               settings_.transport.max_connections);
  }
  if (limits != CURLM_OK) {
    curl_multi_cleanup(as_multi(multi_));
    throw std::runtime_error(multi_failure("curl_multi_setopt", limits));
  }
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
    curl_multi_cleanup(as_multi(multi_));
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
  idle_.clear();  // their easy handles go before the multi handle
  curl_multi_cleanup(as_multi(multi_));
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
  curl_multi_wakeup(as_multi(multi_));
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
  if (curl_multi_wakeup(as_multi(multi_)) != CURLM_OK) {
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
      auto has_work = [this]() NO_THREAD_SAFETY_ANALYSIS {
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
    const CURLMcode performed = curl_multi_perform(as_multi(multi_), &running);
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
  if (curl_multi_timeout(as_multi(multi_), &curl_timeout) == CURLM_OK && curl_timeout >= 0) {
    timeout = std::min(timeout, curl_timeout);
  }
  const CURLMcode polled =
      curl_multi_poll(as_multi(multi_), nullptr, 0, static_cast<int>(timeout), nullptr);
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
  lock.wait_until(
      transfer_ready_, Clock::now() + std::chrono::milliseconds(kIdlePollMs),
      [this]() NO_THREAD_SAFETY_ANALYSIS { return !starts_.empty() || transfers_stopping_; });
  polling_ = false;
}

void EventLoop::fail_active(const char* call, int code, std::vector<Outcome>& outcomes) {
  const std::string error = multi_failure(call, code);
  for (auto& transfer : active_) {
    // Freed, not kept: a handle curl may still count as its own is never reused (its
    // cleanup removes it from the multi handle if the removal failed).
    curl_multi_remove_handle(as_multi(multi_), transfer->easy);
    HttpResponse response;
    response.transport = CURLE_FAILED_INIT;
    response.transport_error = error;
    outcomes.push_back({std::move(transfer->sink), std::move(response)});
  }
  in_flight_.fetch_sub(active_.size());
  active_.clear();
}

std::unique_ptr<EventLoop::Transfer> EventLoop::take_idle_transfer() {
  if (!idle_.empty()) {
    std::unique_ptr<Transfer> transfer = std::move(idle_.back());
    idle_.pop_back();
    return transfer;
  }
  CURL* easy = curl_easy_init();
  if (!easy) return nullptr;
  auto transfer = std::make_unique<Transfer>();
  transfer->easy = easy;
  if (apply_fixed_options(easy)) return nullptr;  // the constructor saw them all taken
  return transfer;
}

void EventLoop::begin_transfer(TransferStart start, std::vector<Outcome>& failed) {
  auto fail = [&failed, &start](HttpResponse response) {
    failed.push_back({std::move(start.sink), std::move(response)});
  };
  std::chrono::milliseconds timeout = start.timeout;
  std::unique_ptr<Transfer> transfer = take_idle_transfer();
  if (!transfer) {
    HttpResponse response;
    response.transport = CURLE_OUT_OF_MEMORY;
    response.transport_error = "curl_easy_init failed, or refused an option it took before";
    return fail(std::move(response));
  }
  CURL* easy = transfer->easy;
  transfer->request = std::move(start.request);
  transfer->max_bytes = settings_.max_response_bytes;
  const HttpRequest& req = *transfer->request;
  // Everything a previous transfer on this handle may have left pointing at its own memory
  // is set again: the URL, the private pointer, the buffers and the header list.
  curl_easy_setopt(easy, CURLOPT_URL, req.url.c_str());
  curl_easy_setopt(easy, CURLOPT_PRIVATE, transfer.get());
  curl_easy_setopt(easy, CURLOPT_ERRORBUFFER, transfer->error);
  curl_easy_setopt(easy, CURLOPT_WRITEDATA, transfer.get());
  if (timeout.count() <= 0) timeout = settings_.request_timeout;
  curl_easy_setopt(easy, CURLOPT_TIMEOUT_MS, curl_millis(timeout));
  curl_easy_setopt(easy, CURLOPT_PIPEWAIT, may_multiplex(req.url) ? 1L : 0L);
  transfer->plain = req.user.empty() && req.bearer.empty() && req.method == "GET" &&
                    !settings_.transport.configure_handle;
  if (!req.user.empty()) {
    curl_easy_setopt(easy, CURLOPT_HTTPAUTH, static_cast<long>(CURLAUTH_BASIC));
    curl_easy_setopt(easy, CURLOPT_USERNAME, req.user.c_str());
    curl_easy_setopt(easy, CURLOPT_PASSWORD, req.password.c_str());
  } else if (!req.bearer.empty()) {
    curl_easy_setopt(easy, CURLOPT_HTTPAUTH, static_cast<long>(CURLAUTH_BEARER));
    curl_easy_setopt(easy, CURLOPT_XOAUTH2_BEARER, req.bearer.c_str());
  }
  // Constant lines link into the request's list from nodes of the transfer's own.
  curl_slist* shared_headers = fixed_headers_->head;
  if (req.accept_json) {
    static char accept_json[] = "Accept: application/json";
    transfer->accept = {accept_json, shared_headers};
    shared_headers = &transfer->accept;
  }
  if (req.method == "POST") {
    // Without this curl waits for "100 Continue" before sending larger bodies.
    static char no_expect[] = "Expect:";
    transfer->no_expect = {no_expect, shared_headers};
    shared_headers = &transfer->no_expect;
    curl_easy_setopt(easy, CURLOPT_POST, 1L);
    curl_easy_setopt(easy, CURLOPT_POSTFIELDS, req.body.data());
    curl_easy_setopt(easy, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(req.body.size()));
  } else if (req.method != "GET") {
    curl_easy_setopt(easy, CURLOPT_CUSTOMREQUEST, req.method.c_str());
  }
  curl_easy_setopt(easy, CURLOPT_HTTPHEADER,
                   link_headers(req.headers, transfer->header_nodes, shared_headers));
  if (settings_.transport.configure_handle) {
    // Fail the request after the catch block, so that the error is not still being handled
    // here when the caller's thread reads it.
    std::exception_ptr hook_error;
    try {
      settings_.transport.configure_handle(static_cast<Curl_easy*>(easy));
    } catch (...) {
      hook_error = std::current_exception();
    }
    if (hook_error) {
      HttpResponse response;
      response.error = std::move(hook_error);
      recycle(std::move(transfer));
      return fail(std::move(response));
    }
  }

  attempts_.fetch_add(1);
  const CURLMcode added = curl_multi_add_handle(as_multi(multi_), easy);
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

const char* EventLoop::apply_fixed_options(void* handle) {
  CURL* easy = static_cast<CURL*>(handle);
  const char* refused = nullptr;
  auto must = [&refused, easy](CURLoption option, auto value, const char* name) {
    if (!refused) refused = set_option(easy, option, value, name);
  };
  must(CURLOPT_NOSIGNAL, 1L, "CURLOPT_NOSIGNAL");
  must(CURLOPT_WRITEFUNCTION, &Transfer::on_body, "CURLOPT_WRITEFUNCTION");
  must(CURLOPT_CONNECTTIMEOUT_MS, curl_millis(settings_.connect_timeout),
       "CURLOPT_CONNECTTIMEOUT_MS");
  must(CURLOPT_MAXFILESIZE_LARGE, static_cast<curl_off_t>(settings_.max_response_bytes),
       "CURLOPT_MAXFILESIZE_LARGE");
  // Makes curl decode a compressed reply whenever a request offers an encoding (the
  // Accept-Encoding header is a fixed one, ours or the user's).
  if (fixed_headers_->offers_encodings) curl_easy_setopt(easy, CURLOPT_ACCEPT_ENCODING, "");
  const char* transport = apply_transport(easy);
  if (!refused) refused = transport;
  // Only the registry's own schemes; no redirects, so credentials never go to another host.
  must(CURLOPT_PROTOCOLS_STR, "http,https", "CURLOPT_PROTOCOLS_STR");
  must(CURLOPT_FOLLOWLOCATION, 0L, "CURLOPT_FOLLOWLOCATION");
  // A transfer that ends during a DNS lookup (its timeout, stop()) leaves the lookup to
  // finish on its own thread: curl would otherwise wait for it on this one, however long
  // the resolver takes, past every timeout and close().
  must(CURLOPT_QUICK_EXIT, 1L, "CURLOPT_QUICK_EXIT");
  const char* tls = apply_tls(easy);
  return refused ? refused : tls;
}

const char* EventLoop::apply_transport(void* handle) {
  CURL* easy = static_cast<CURL*>(handle);
  const TransportOptions& t = settings_.transport;
  const bool environment = t.use_environment_proxy && settings_.proxy_environment;
  // A proxy the user named must be used: without it requests would go straight out.
  const char* refused = nullptr;
  if (!t.proxy.empty()) {
    refused = set_option(easy, CURLOPT_PROXY, t.proxy.c_str(), "CURLOPT_PROXY");
  } else if (!environment) {
    curl_easy_setopt(easy, CURLOPT_PROXY, "");  // an empty proxy also ignores the environment
  }
  if (!t.no_proxy.empty()) {
    curl_easy_setopt(easy, CURLOPT_NOPROXY, t.no_proxy.c_str());
  } else if (!settings_.proxy_environment) {
    curl_easy_setopt(easy, CURLOPT_NOPROXY, "");  // what an unset no_proxy means, unread
  }
  curl_easy_setopt(easy, CURLOPT_HTTP_VERSION,
                   t.http2 ? static_cast<long>(CURL_HTTP_VERSION_2TLS)
                           : static_cast<long>(CURL_HTTP_VERSION_1_1));
  if (t.tcp_keepalive) {
    // curl keeps these seconds in an int (the socket option's type): saturate there.
    auto seconds = [](std::chrono::seconds s) {
      return static_cast<long>(std::clamp<std::chrono::seconds::rep>(s.count(), 0, INT_MAX));
    };
    curl_easy_setopt(easy, CURLOPT_TCP_KEEPALIVE, 1L);
    curl_easy_setopt(easy, CURLOPT_TCP_KEEPIDLE, seconds(t.keepalive_idle));
    curl_easy_setopt(easy, CURLOPT_TCP_KEEPINTVL, seconds(t.keepalive_interval));
  }
  return refused;
}

const char* EventLoop::apply_tls(void* handle) {
  CURL* easy = static_cast<CURL*>(handle);
  const TransportSettings& s = settings_;
  // Each of these narrows whom the client trusts or proves who it is: a TLS library that
  // cannot apply one must fail the client rather than connect without it.
  const char* refused = nullptr;
  auto must = [&refused, easy](CURLoption option, auto value, const char* name) {
    if (!refused) refused = set_option(easy, option, value, name);
  };
  if (!s.ca_file.empty()) must(CURLOPT_CAINFO, s.ca_file.c_str(), "CURLOPT_CAINFO");
  if (!s.ca_path.empty()) must(CURLOPT_CAPATH, s.ca_path.c_str(), "CURLOPT_CAPATH");
  if (!s.client_cert_file.empty()) {
    must(CURLOPT_SSLCERT, s.client_cert_file.c_str(), "CURLOPT_SSLCERT");
  }
  if (!s.client_key_file.empty()) must(CURLOPT_SSLKEY, s.client_key_file.c_str(), "CURLOPT_SSLKEY");
  if (!s.pinned_public_key.empty()) {
    must(CURLOPT_PINNEDPUBLICKEY, s.pinned_public_key.c_str(), "CURLOPT_PINNEDPUBLICKEY");
  }
  if (!s.verify) {
    curl_easy_setopt(easy, CURLOPT_SSL_VERIFYPEER, 0L);
    curl_easy_setopt(easy, CURLOPT_SSL_VERIFYHOST, 0L);
  }
  return refused;
}

void EventLoop::finish_transfers(std::vector<Outcome>& outcomes) {
  int left = 0;
  while (CURLMsg* message = curl_multi_info_read(as_multi(multi_), &left)) {
    if (message->msg != CURLMSG_DONE) continue;
    CURL* easy = message->easy_handle;
    CURLcode code = message->data.result;
    // A handle curl failed to let go of is freed, never reused (see fail_active).
    const bool removed = curl_multi_remove_handle(as_multi(multi_), easy) == CURLM_OK;
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

    HttpResponse response = std::move(transfer->response);
    if (code == CURLE_FILESIZE_EXCEEDED) response.too_large = true;
    if (code != CURLE_OK) {
      response.transport = code;
      response.transport_error = transfer->error[0] ? transfer->error : curl_easy_strerror(code);
    }
    curl_easy_getinfo(easy, CURLINFO_RESPONSE_CODE, &response.status);
    // Read here, not through CURLINFO_RETRY_AFTER: that has no "absent" (0 is also "now")
    // and makes a past date negative and a number past curl_off_t zero.
    curl_header* retry_after = nullptr;
    if (response.status >= 400 &&
        curl_easy_header(easy, "Retry-After", 0, CURLH_HEADER, -1, &retry_after) == CURLHE_OK) {
      response.retry_after_seconds = parse_retry_after(retry_after->value, std::time(nullptr));
    }
    if (transfer->request->wants_content_headers) {
      char* content_type = nullptr;
      if (curl_easy_getinfo(easy, CURLINFO_CONTENT_TYPE, &content_type) == CURLE_OK &&
          content_type) {
        response.content_type = content_type;
      }
      curl_header* header = nullptr;
      if (curl_easy_header(easy, "X-Registry-ArtifactType", 0, CURLH_HEADER, -1, &header) ==
              CURLHE_OK &&
          header) {
        response.artifact_type = header->value;
      }
    }
    std::shared_ptr<TransferSink> sink = std::move(transfer->sink);
    if (removed) recycle(std::move(transfer));
    outcomes.push_back({std::move(sink), std::move(response)});
  }
}

void EventLoop::recycle(std::unique_ptr<Transfer> transfer) {
  // A plain GET changed only options every transfer sets again; anything else (a method,
  // credentials, the user's hook) is cleared by a reset, which keeps only caches and
  // connections, and the fixed options are applied again.
  constexpr std::size_t kIdleTransfers = 128;
  if (idle_.size() >= kIdleTransfers) return;  // its destructor frees the handle
  CURL* easy = transfer->easy;
  if (transfer->plain) {
    // Nothing may point at the finished transfer's request while the handle waits.
    curl_easy_setopt(easy, CURLOPT_HTTPHEADER, nullptr);
  } else {
    curl_easy_reset(easy);
    if (apply_fixed_options(easy)) return;  // never seen: the constructor saw them all taken
  }
  transfer->request.reset();
  transfer->sink.reset();
  transfer->response = HttpResponse{};
  transfer->error[0] = '\0';
  idle_.push_back(std::move(transfer));
}

void EventLoop::drop_transfers() {
  for (auto& transfer : active_)
    curl_multi_remove_handle(as_multi(multi_), transfer->easy);
  in_flight_.store(0);
  active_.clear();
}

}  // namespace apicurio::detail
