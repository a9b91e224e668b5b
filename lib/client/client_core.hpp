// The registry operations: each call becomes cache lookups and, on a miss or an expired
// entry, HTTP exchanges run on the event thread. RegistryClient is a thin handle on this.
#pragma once

#include "auth.hpp"
#include "cache.hpp"
#include "event_loop.hpp"
#include "front_cache.hpp"
#include "http_exchange.hpp"
#include "metrics.hpp"
#include "pending_calls.hpp"
#include "reply_errors.hpp"
#include "url.hpp"

#include <apicurio/client.hpp>

#include <atomic>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

namespace apicurio::detail {

class WorkerPool;

// The cache's record of a fetched schema, or null for a failure.
SchemaRecord record_of(const Result<CachedSchema>& result);
// How a fetch ended, for the cache: a value, a 404, or another failure.
FetchOutcome outcome_of(const Result<CachedSchema>& result);

class ClientCore {
 public:
  // Checks the options and starts the event thread. Throws std::invalid_argument.
  explicit ClientCore(ClientOptions options);
  ~ClientCore();

  // Any thread; never block; throw std::invalid_argument for bad arguments only. After
  // close() they return futures failed with ClientClosedError.
  // `group`: the group the call works in, already checked (RegistryClient's default or an
  // ArtifactRef's).
  Future<CachedSchema> get_version(std::string_view group, std::string_view artifact_id,
                                   std::string_view expression);
  Future<CachedSchema> get_by_id(IdKind kind, std::int64_t id);
  // The version with this globalId read with references=DEREFERENCE, cached on its own.
  Future<CachedSchema> get_dereferenced(std::int64_t global_id);
  Future<CachedSchema> register_schema(std::string_view group, std::string_view artifact_id,
                                       std::string_view text, const RegisterOptions& options);

  // Any thread; never blocks; the reference list of the content with this id (kind
  // content_id) or of the version with this globalId, as the `references` of a CachedSchema
  // that holds only the id: fetched once, cached, collapsed. Fails as a lookup by id does.
  Future<CachedSchema> reference_list(IdKind kind, std::int64_t id);
  // The newest non-DISABLED version of `artifact_id` in `group` whose content matches `text`
  // (client_find.cpp). Also throws std::invalid_argument for an empty text or content type.
  Future<CachedSchema> find_version(std::string_view group, std::string_view artifact_id,
                                    std::string_view text, const FindOptions& options);
  // The group of calls that name none: ClientOptions::group_id. Any thread; never throws.
  const std::string& default_group() const noexcept { return options_.group_id; }

  // Any thread.
  void invalidate(std::string_view group, std::string_view artifact_id);
  void clear();
  ClientStats stats() const;
  MetricsSnapshot metrics() const;
  const ClientOptions& options() const noexcept { return options_; }
  // Where continuations run: the client's pool or ClientOptions::executor.
  const std::shared_ptr<Executor>& executor() const noexcept { return executor_; }
  // Any thread; idempotent; throws std::bad_alloc only. Returns once the client is closed:
  // later calls fail, every pending future has failed, and the event and transfer threads
  // and the client's own worker pool are joined (tasks already queued on the pool run
  // first), whichever close() call got there first. A thread cannot join itself: on the
  // event thread (a continuation attached with a null executor) the threads stop after the
  // current turn; on a worker of the client's pool (a continuation) the loop's threads are
  // joined and the pool's stop once its queue is empty. The destructor, or a close() on
  // another thread, joins them.
  void close() APICURIO_EXCLUDES(stop_mutex_);

 private:
  using ArtifactCache = SchemaCache<ArtifactKey, ArtifactKeyHash>;
  using IdCache = SchemaCache<std::int64_t>;
  // Gets the final response of one of a fetch's requests.
  using Reply = std::function<void(HttpResponse&&)>;
  struct Call;
  using CallPtr = std::shared_ptr<Call>;
  // Settles a fetch's cache entry with its result, as of `now`.
  using Settle =
      std::function<SettleEffect(const Call&, const Result<CachedSchema>&, Clock::time_point now)>;
  // Starts a fetch's HTTP work, on the event thread.
  using Start = std::function<void(CallPtr)>;

  // What a read fetches: a version of an artifact, or a schema by one of its ids. Kept in
  // the call, so that the callbacks of a read capture nothing but the client (and so need
  // no allocation of their own).
  struct ReadSubject {
    std::optional<ArtifactKey> key;  // get_version
    IdKind kind = IdKind::global_id;
    std::int64_t id = -1;      // lookup_id
    bool dereference = false;  // get_dereferenced
  };

  // A fetch in progress: its pending promise, how to settle its cache entry, and what to
  // count it under.
  struct Call {
    PendingCalls::Id id;
    Settle settle;
    Operation operation;
    bool counted;  // false for a step of another fetch: its latency and errors are not a call's
    Clock::time_point started;
    ReadSubject subject;
    std::uint64_t generation;  // of the cache entry it settles
  };

  // Counts the lookup (when `counted`: not for a step of another lookup) and, if it must
  // fetch, registers its promise and runs `start` on the event thread. Returns the future
  // to hand out. `now` is when the lookup was made (the call's start); `subject` is what a
  // read fetches (empty for a registration). Never throws once the lookup has made a
  // pending entry: if the fetch cannot be started (no memory, the loop stopping) the entry
  // is settled as failed and the returned future fails, so no later caller waits on it.
  // Callers must do nothing that may throw between the lookup and this call.
  Future<CachedSchema> begin(Lookup lookup, Operation operation, bool counted,
                             Clock::time_point now, ReadSubject subject, Settle settle,
                             Start start);
  // Settles the cache, counts, and completes the call's promise.
  void finish(const CallPtr& call, Result<CachedSchema>&& result);
  void fail(const CallPtr& call, std::exception_ptr error);
  void count(Operation operation, const Lookup& lookup);
  // Gives a hit (fresh or stale: `outcome`) its caller's ready future holding `answer`, and
  // keeps a copy of a fresh one, fresh until `fresh_until`, for the calling thread under
  // `front_key` unless that is null.
  Future<CachedSchema> answer_hit(LookupOutcome outcome, Clock::time_point fresh_until,
                                  CachedSchema answer, const std::string* front_key,
                                  std::uint64_t epoch);
  Future<CachedSchema> closed_future() const;
  // Any thread: the schema with this id through its cache, counted under `operation`.
  Future<CachedSchema> lookup_id(IdKind kind, std::int64_t id, Operation operation, bool counted);

  // Event thread: the HTTP work of each kind of fetch (client_fetch.cpp).
  void fetch_version(CallPtr call);
  void fetch_by_id(CallPtr call);
  void fetch_reference_list(CallPtr call);
  void send_register(const std::string& group, const std::string& artifact_id,
                     const std::string& text, const RegisterOptions& options, CallPtr call);
  // POSTs the search for `text` and finishes `call` with the version the Java serdes would
  // take, its content read by contentId (client_find.cpp).
  void send_find(const std::string& group, const std::string& artifact, const std::string& text,
                 const FindOptions& options, CallPtr call);
  // Finishes `call` with `schema` (ids and names known) completed with the content the
  // registry stores under its contentId: for results whose stored text may differ from
  // what the client sent.
  void with_stored_content(CachedSchema schema, CallPtr call);
  // Event thread: a DRAFT version's content and references, read through the version itself
  // (the registry never serves a draft's content by contentId), then finishes `call`.
  void fetch_draft_content(CachedSchema schema, CallPtr call);
  // Completes `schema`, the content of `id`, with its references when the options ask for
  // them, and finishes `call` with it.
  void with_references(IdKind kind, std::int64_t id, CachedSchema schema, CallPtr call);
  // Authorizes `request`, sends it with retries, and after a 401 renews the token and
  // sends it once more (unless `renewed` already). call_deadline bounds the wait for a
  // token and the exchange together, the renewal and resend after a 401 included (`deadline`:
  // the first send's, when `renewed`).
  void send(HttpRequest&& request, Idempotency idempotency, Operation operation, Reply done,
            bool renewed = false, std::optional<Clock::time_point> deadline = std::nullopt);
  // Sends an authorized request: send()'s second half.
  void dispatch(HttpRequest&& authorized, Idempotency idempotency, Operation operation, Reply done,
                bool renewed, std::optional<Clock::time_point> deadline);
  ReplyContext context_for(const std::string& method, const std::string& url) const;
  ReplyContext version_context(const ArtifactKey& key) const;
  ReplyContext id_context(IdKind kind, std::int64_t id, bool dereference = false) const;
  std::string version_url(const ArtifactKey& key) const;
  std::string id_url(IdKind kind, std::int64_t id) const;  // without a query
  // What fetch_by_id GETs.
  std::string id_read_url(IdKind kind, std::int64_t id, bool dereference = false) const;

  // Cache policy.
  // A branch, or a draft (whose content may still change), ages; a published version never.
  Freshness freshness_for(const ArtifactKey& key, Clock::time_point now,
                          const CachedSchema* value = nullptr) const;
  // Fresh for latest_ttl, then stale for max_stale.
  Freshness aging_freshness(Clock::time_point now) const;
  SettleEffect settle_in(ArtifactCache& cache, const ArtifactKey& key, std::uint64_t generation,
                         const Result<CachedSchema>& result, SchemaRecord record,
                         Clock::time_point now);
  SettleEffect settle_in(IdCache& cache, std::int64_t id, std::uint64_t generation,
                         const Result<CachedSchema>& result, Clock::time_point now);
  // Files a fetched or registered schema's record under the keys it also answers: its
  // globalId, its contentId, and in `group` (the group the call named, which the record's
  // group_id may spell differently: "default" for the null group) its pinned version when
  // `pin`, and latest when `as_latest`.
  void remember(const std::string& group, const SchemaRecord& record, bool pin, bool as_latest);
  // Files a registered schema's record (see remember()), as latest when `surely_latest`,
  // else only where it is newer than the latest cached or being fetched; drops the 404s
  // remembered of its artifact.
  void remember_registration(const std::string& group, const SchemaRecord& record,
                             bool surely_latest);
  // Drops the 404s remembered of `artifact` in `group` (any version expression), which the
  // registry has just shown to exist.
  void forget_not_found_of(const std::string& group, const std::string& artifact);
  // Drops the misses remembered of finds in `artifact` (client_find.cpp).
  void forget_found_misses_of(const std::string& group, const std::string& artifact);
  // Drops every find in `artifact`, found or missed (client_find.cpp).
  void forget_found_of(std::string_view group, std::string_view artifact);
  void schedule_metrics_push();

  const ClientOptions options_;
  const BaseUrl base_;
  // The client's own pool, unless ClientOptions::executor is set: close() joins it.
  const std::shared_ptr<WorkerPool> pool_;
  std::shared_ptr<Executor> executor_;  // pool_ or ClientOptions::executor
  // The steady clock, or a test's (see ClientClockScope): every time the client reads.
  const TimeSource time_;

  ArtifactCache by_artifact_;
  IdCache by_global_id_;
  IdCache by_content_id_;
  // Reference lists by "c{contentId}" or "g{globalId}": content never changes, nor do they.
  SchemaCache<std::string> reference_lists_;
  // Dereferenced texts by globalId: a version's content and references never change.
  IdCache dereferenced_;
  // Collapses identical concurrent registrations; entries leave when the request ends.
  SchemaCache<std::string> registrations_;
  // Versions found by content, keyed by group, artifact, how matched and the text.
  SchemaCache<std::string> found_;
  PendingCalls pending_;
  Metrics metrics_;
  // Per-thread copies of fresh entries, for hits without shared locks or counters.
  FrontCache front_;

  std::atomic<std::uint64_t> token_requests_{0};
  std::atomic<bool> closed_{false};
  // Held by close() while it stops the loop off the event thread, so that a second close()
  // returns only once the loop's threads are joined. Never held by the loop's threads.
  Mutex stop_mutex_;

  // After everything the event thread uses, so that it stops before they are destroyed.
  std::unique_ptr<EventLoop> loop_;
  std::unique_ptr<Authenticator> auth_;
};

}  // namespace apicurio::detail
