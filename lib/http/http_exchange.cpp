#include "http_exchange.hpp"

#include "time_math.hpp"

#include <curl/curl.h>

#include <memory>

namespace apicurio::detail {
namespace {

std::mt19937_64& event_thread_random() {
  thread_local std::mt19937_64 random{std::random_device{}()};
  return random;
}

// The exchange is each of its attempts' sink, and holds the request they send, so that an
// attempt allocates neither.
struct Exchange final : TransferSink, std::enable_shared_from_this<Exchange> {
  EventLoop& loop;
  const HttpRequest request;
  ExchangeOptions options;
  ExchangeCounters counters;
  ExchangeDone done;
  std::int64_t retry_count = 0;
  std::optional<HttpResponse> last;  // the previous attempt's failure, while waiting to retry

  Exchange(EventLoop& l, HttpRequest&& r, const ExchangeOptions& o, ExchangeCounters c,
           ExchangeDone d)
      : loop(l), request(std::move(r)), options(o), counters(c), done(std::move(d)) {}

  void finish(HttpResponse&& response) { done(std::move(response), request); }

  void transfer_done(HttpResponse&& response) override { on_response(response); }

  void attempt() {
    std::chrono::milliseconds timeout = request.timeout;
    std::optional<HttpResponse> previous = std::move(last);
    last.reset();
    if (options.deadline) {
      auto left =
          std::chrono::duration_cast<std::chrono::milliseconds>(*options.deadline - loop.now());
      if (left.count() <= 0 && previous) {
        finish(std::move(*previous));  // the failure that was to be retried says more than "late"
        return;
      }
      if (left.count() <= 0) {
        HttpResponse expired;
        expired.transport = CURLE_OPERATION_TIMEDOUT;
        expired.transport_error = "the call's deadline passed before the attempt";
        finish(std::move(expired));
        return;
      }
      if (timeout.count() == 0 || left < timeout) timeout = left;
    }
    counters.attempts.fetch_add(1, std::memory_order_relaxed);
    std::shared_ptr<Exchange> self = shared_from_this();
    loop.start_transfer(SharedRequest(self, &request), timeout, self);
  }

  void on_response(HttpResponse& response) {
    if (retry_count >= options.retry.max_retries || !is_retryable(response, options.idempotency)) {
      finish(std::move(response));
      return;
    }
    auto delay = retry_delay(options.retry, retry_count, response.retry_after_seconds,
                             event_thread_random());
    // A retry due at the end of time never comes: the failure is the answer now.
    auto when = saturating_after<Clock>(loop.now(), delay);
    if (when == Clock::time_point::max() || (options.deadline && when >= *options.deadline)) {
      finish(std::move(response));
      return;
    }
    ++retry_count;
    counters.retries.fetch_add(1, std::memory_order_relaxed);
    last = std::move(response);
    loop.add_timer(when, [self = shared_from_this()] { self->attempt(); });
  }
};

}  // namespace

void send_with_retries(EventLoop& loop, HttpRequest&& request, const ExchangeOptions& options,
                       ExchangeCounters counters, ExchangeDone done) {
  std::make_shared<Exchange>(loop, std::move(request), options, counters, std::move(done))
      ->attempt();
}

}  // namespace apicurio::detail
