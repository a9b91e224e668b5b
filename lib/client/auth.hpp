// Credentials for registry requests: fixed ones, and bearer tokens obtained from a token
// endpoint or a user callback, cached and renewed on the event thread.
#pragma once

#include "event_loop.hpp"
#include "http_exchange.hpp"
#include "thread_annotations.hpp"
#include "url.hpp"

#include <apicurio/auth.hpp>
#include <apicurio/executor.hpp>

#include <atomic>
#include <exception>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace apicurio::detail {

// Lets a thread that is not the event thread hand work back to it for as long as the
// loop runs; after detach() the work is dropped. Any thread.
class LoopMailbox {
 public:
  explicit LoopMailbox(EventLoop& loop) : loop_(&loop) {}
  bool post(EventLoop::Task task) APICURIO_EXCLUDES(mutex_) {
    MutexLock lock(mutex_);
    return loop_ != nullptr && loop_->post(std::move(task));
  }
  void detach() APICURIO_EXCLUDES(mutex_) {
    MutexLock lock(mutex_);
    loop_ = nullptr;
  }

 private:
  Mutex mutex_;
  EventLoop* loop_ APICURIO_GUARDED_BY(mutex_);
};

class Authenticator {
 public:
  using Ready = std::function<void(HttpRequest&&)>;
  using Failed = std::function<void(std::exception_ptr)>;

  // `auth` must have passed validation; `url_user`/`url_password` come from the base URL's
  // userinfo and count as BasicAuth when `auth` is NoAuth.
  Authenticator(Auth auth, std::string url_user, std::string url_password, EventLoop& loop,
                std::shared_ptr<Executor> executor, RetryPolicy retry,
                std::atomic<std::uint64_t>& token_requests);

  // Event thread. Adds credentials to `request` and returns true when it has them now;
  // false when there is no unexpired token (then call when_authorized()). A token past its
  // renewal point is still used, and a renewal starts in the background.
  bool authorize_now(HttpRequest& request);
  // Event thread. For a request authorize_now() could not authorize: passes it to `ready`
  // with a token once the one token fetch under way ends, or calls `failed` with its error,
  // or with a timeout RegistryConnectionError once `deadline` passes first.
  void when_authorized(HttpRequest request, std::optional<Clock::time_point> deadline, Ready ready,
                       Failed failed);

  // Event thread. The registry answered 401 to `request`. Drops its token and returns true
  // when a renewed token may succeed; false for fixed credentials.
  bool reject(const HttpRequest& request);

  // Any thread; before the loop stops. Token callbacks still running are ignored after this.
  void detach() { mailbox_->detach(); }

 private:
  struct Waiter {
    std::uint64_t id;
    HttpRequest request;
    Ready ready;
    Failed failed;
  };

  bool uses_tokens() const;
  void fetch_token();
  void expire_waiter(std::uint64_t id);
  void fetch_from_endpoint(const OAuth2ClientCredentials& oauth);
  void fetch_from_provider(const TokenProviderAuth& provider);
  void on_token(std::string token, std::chrono::seconds expires_in, std::exception_ptr error);

  const Auth auth_;
  const std::string url_user_, url_password_;
  EventLoop& loop_;
  const std::shared_ptr<Executor> executor_;
  const RetryPolicy retry_;
  std::atomic<std::uint64_t>& token_requests_;
  std::atomic<std::uint64_t> token_retries_{0};
  const std::shared_ptr<LoopMailbox> mailbox_;

  // Event thread only. The token serves until expires_at_; from renew_at_ (80% of its
  // lifetime, counted from when its fetch began) one renewal runs in the background.
  std::string token_;
  Clock::time_point renew_at_ = Clock::time_point::min();
  Clock::time_point expires_at_ = Clock::time_point::min();
  Clock::time_point fetch_started_;
  bool fetching_ = false;
  std::vector<Waiter> waiters_;
  std::uint64_t next_waiter_ = 0;
};

// Throws std::invalid_argument when `auth` lacks what it needs (naming the field). Any thread.
void validate_auth(const Auth& auth);

}  // namespace apicurio::detail
