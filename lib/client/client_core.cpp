#include "client_core.hpp"

#include "options.hpp"
#include "register_request.hpp"
#include "time_math.hpp"
#include "worker_pool.hpp"

#include <cstdlib>
#include <stdexcept>

namespace apicurio::detail {
namespace {

// True when any variable curl reads for proxies is set (even empty): then curl keeps reading
// them, on every request, with its own rules.
bool proxy_environment_set() {
  for (const char* name : {"http_proxy", "HTTP_PROXY", "https_proxy", "HTTPS_PROXY", "all_proxy",
                           "ALL_PROXY", "no_proxy", "NO_PROXY"}) {
    if (std::getenv(name)) return true;
  }
  return false;
}

TransportSettings transport_from(const ClientOptions& o) {
  TransportSettings settings;
  settings.connect_timeout = o.connect_timeout;
  settings.request_timeout = o.request_timeout;
  settings.max_response_bytes = o.max_response_bytes;
  settings.ca_file = o.tls.ca_file;
  settings.ca_path = o.tls.ca_path;
  settings.client_cert_file = o.tls.client_cert_file;
  settings.client_key_file = o.tls.client_key_file;
  settings.pinned_public_key = o.tls.pinned_public_key;
  settings.verify = !o.tls.insecure_skip_verification;
  settings.transport = o.transport;
  settings.proxy_environment = proxy_environment_set();
  for (const auto& [name, value] : o.transport.headers) {
    settings.extra_headers.push_back(name + ": " + value);
  }
  return settings;
}

std::shared_ptr<WorkerPool> pool_for(const ClientOptions& o) {
  if (o.executor) return nullptr;
  return std::make_shared<WorkerPool>(static_cast<std::size_t>(o.worker_threads));
}

std::exception_ptr closed_error() {
  return std::make_exception_ptr(ClientClosedError());
}

std::string reference_list_key(IdKind kind, std::int64_t id) {
  return (kind == IdKind::global_id ? "g" : "c") + std::to_string(id);
}

bool is_branch(std::string_view expression) {
  return expression.rfind("branch=", 0) == 0;
}

// now + d, saturating at the end of time.
Clock::time_point after(Clock::time_point now, std::chrono::milliseconds d) {
  return saturating_after<Clock>(now, d);
}

// What a lookup by contentId answers: only what the content determines, whichever version's
// record the cache keeps for it.
CachedSchema content_view(const CachedSchema& record) {
  CachedSchema view;
  view.content = record.content;
  view.content_id = record.content_id;
  view.content_type = record.content_type;
  view.references = record.references;
  return view;
}

// True when the registry refused a registration as a conflict (409): the artifact exists.
bool is_conflict(const Result<CachedSchema>& result) {
  return !result.ok() && error_code(result.error()) == ErrorCode::conflict;
}

// Whether branch=latest may end at a version in this state (unknown: the reply did not say).
bool can_be_latest(VersionState state) {
  return state == VersionState::enabled || state == VersionState::deprecated ||
         state == VersionState::unknown;
}

}  // namespace

SchemaRecord record_of(const Result<CachedSchema>& result) {
  return result.ok() ? std::make_shared<const CachedSchema>(result.value()) : nullptr;
}

FetchOutcome outcome_of(const Result<CachedSchema>& result) {
  if (result.ok()) return FetchOutcome::ok;
  return error_code(result.error()) == ErrorCode::not_found ? FetchOutcome::not_found
                                                            : FetchOutcome::failed;
}

ClientCore::ClientCore(ClientOptions options)
    : options_((validate(options), std::move(options))),
      base_(parse_base_url(options_.url, "ClientOptions::url")),
      pool_(pool_for(options_)),
      executor_(pool_ ? pool_ : options_.executor),
      time_(time_for_new_client()),
      by_artifact_(static_cast<std::size_t>(options_.max_cache_entries), time_),
      by_global_id_(static_cast<std::size_t>(options_.max_cache_entries), time_),
      by_content_id_(static_cast<std::size_t>(options_.max_cache_entries), time_),
      reference_lists_(static_cast<std::size_t>(options_.max_cache_entries), time_),
      dereferenced_(static_cast<std::size_t>(options_.max_cache_entries), time_),
      registrations_(static_cast<std::size_t>(options_.max_cache_entries), time_),
      found_(static_cast<std::size_t>(options_.max_cache_entries), time_),
      front_(executor_, time_),
      loop_(std::make_unique<EventLoop>(transport_from(options_), time_)),
      auth_(std::make_unique<Authenticator>(
          options_.auth, base_.user, base_.password, *loop_, executor_,
          RetryPolicy{options_.max_retries, options_.retry_backoff, options_.retry_max_backoff},
          token_requests_)) {
  if (options_.metrics_callback) loop_->post([this] { schedule_metrics_push(); });
}

ClientCore::~ClientCore() {
  close();
  // On a worker of the pool close() could only stop it: join the other workers now (this
  // one is detached and ends once its task returns). Never on the event thread, which the
  // workers' tasks may be waiting for (and where the loop refuses to be destroyed).
  if (pool_ && !loop_->on_event_thread()) pool_->close();
}

void ClientCore::close() {
  if (!closed_.exchange(true)) auth_->detach();
  if (loop_->on_event_thread()) {
    loop_->stop();  // after this turn
    // Never waits here for another close(): its continuations may need this thread.
    pending_.fail_all(closed_error(), false);
    return;
  }
  {
    // Again from the destructor after a close() on the event thread: this joins the thread
    // before the members it uses are destroyed.
    MutexLock lock(stop_mutex_);
    loop_->stop();
  }
  // Failed before the pool is drained, so that their continuations run there.
  pending_.fail_all(closed_error());
  if (!pool_) return;
  if (pool_->on_worker_thread()) {
    pool_->stop();
  } else {
    pool_->close();
  }
}

void ClientCore::schedule_metrics_push() {
  const Clock::time_point when = after(time_.now(), options_.metrics_interval);
  if (when == Clock::time_point::max()) return;  // an interval past the end of time: never
  loop_->add_timer(when, [this] {
    // The callback is user code: it runs on the executor, never here. If the executor
    // refuses it, this push is skipped; the next interval tries again.
    try {
      executor_->post(
          [callback = options_.metrics_callback, snapshot = metrics()] { callback(snapshot); });
    } catch (...) {
    }
    schedule_metrics_push();
  });
}

Future<CachedSchema> ClientCore::closed_future() const {
  return make_failed_future<CachedSchema>(closed_error(), executor_);
}

void ClientCore::count(Operation operation, const Lookup& lookup) {
  LiveOperation& m = metrics_[operation];
  bump(m.calls);
  switch (lookup.outcome) {
    case LookupOutcome::hit:
      bump(m.hits);
      break;
    case LookupOutcome::stale_hit:
      bump(m.stale_served);
      break;
    case LookupOutcome::negative_hit:
      bump(m.negative_hits);
      break;
    case LookupOutcome::joined:
      bump(m.collapsed);
      break;
    case LookupOutcome::started:
      bump(m.misses);
      break;
  }
}

Future<CachedSchema> ClientCore::begin(Lookup lookup, Operation operation, bool counted,
                                       Clock::time_point now, ReadSubject subject, Settle settle,
                                       Start start) {
  if (counted) count(operation, lookup);
  if (!lookup.promise) return lookup.future;
  if (lookup.refresh) bump(metrics_[operation].refreshes);
  // Nothing below may leave the entry pending: every failure settles it and fails the
  // promise (which later callers of the key joined) with what went wrong.
  Call made{0, std::move(settle), operation, counted, now, std::move(subject), lookup.generation};
  CallPtr call;
  std::optional<PendingCalls::Id> id;
  try {
    call = std::make_shared<Call>();
    *call = std::move(made);
    id = pending_.add(*lookup.promise);  // takes the promise unless it throws
  } catch (...) {
    const Call& unstarted = call ? *call : made;
    auto error = std::current_exception();
    unstarted.settle(unstarted, Result<CachedSchema>::failure(error), now);
    lookup.promise->set_error(error);
    return lookup.future;
  }
  if (!id) {  // closed: add() failed the promise
    call->settle(*call, Result<CachedSchema>::failure(closed_error()), now);
    return lookup.future;
  }
  call->id = *id;
  std::exception_ptr error;
  try {
    if (loop_->on_event_thread()) {
      start(call);
    } else if (!loop_->post([start = std::move(start), call] { start(call); })) {
      error = closed_error();
    }
  } catch (...) {
    // A fetch that got under way before this may still finish the call: that is ignored.
    error = std::current_exception();
  }
  if (error) fail(call, std::move(error));
  return lookup.future;
}

Future<CachedSchema> ClientCore::answer_hit(LookupOutcome outcome, Clock::time_point fresh_until,
                                            CachedSchema answer, const std::string* front_key,
                                            std::uint64_t epoch) {
  if (front_key && outcome == LookupOutcome::hit)
    front_.store(*front_key, answer, fresh_until, epoch);
  return make_ready_future(std::move(answer), executor_);
}

void ClientCore::finish(const CallPtr& call, Result<CachedSchema>&& result) {
  LiveOperation& m = metrics_[call->operation];
  const auto now = time_.now();
  if (call->counted) {
    m.record_latency(std::chrono::duration_cast<std::chrono::microseconds>(now - call->started));
    if (!result.ok()) bump(m.errors);
  }
  // Settle first: a caller woken by the promise that asks again must find the new state.
  SettleEffect effect = call->settle(*call, result, now);
  if (effect == SettleEffect::kept_stale) bump(m.refresh_failures);
  if (effect != SettleEffect::ignored) front_.invalidate();
  pending_.complete(call->id, std::move(result));
}

void ClientCore::fail(const CallPtr& call, std::exception_ptr error) {
  finish(call, Result<CachedSchema>::failure(std::move(error)));
}

Freshness ClientCore::freshness_for(const ArtifactKey& key, Clock::time_point now,
                                    const CachedSchema* value) const {
  if (!is_branch(key.expression) && !(value && value->state == VersionState::draft)) return {};
  return aging_freshness(now);
}

Freshness ClientCore::aging_freshness(Clock::time_point now) const {
  Freshness f;
  f.fresh_until = after(now, options_.latest_ttl);
  f.stale_until = options_.max_stale == std::chrono::milliseconds::max()
                      ? Clock::time_point::max()
                      : after(f.fresh_until, options_.max_stale);
  return f;
}

SettleEffect ClientCore::settle_in(ArtifactCache& cache, const ArtifactKey& key,
                                   std::uint64_t generation, const Result<CachedSchema>& result,
                                   SchemaRecord record, Clock::time_point now) {
  const Freshness freshness = freshness_for(key, now, record.get());
  return cache.settle(key, generation, outcome_of(result), std::move(record), freshness,
                      after(now, options_.not_found_ttl), after(now, options_.retry_backoff));
}

SettleEffect ClientCore::settle_in(IdCache& cache, std::int64_t id, std::uint64_t generation,
                                   const Result<CachedSchema>& result, Clock::time_point now) {
  return cache.settle(id, generation, outcome_of(result), record_of(result), {},
                      after(now, options_.not_found_ttl), now);
}

Future<CachedSchema> ClientCore::get_version(std::string_view group, std::string_view artifact_id,
                                             std::string_view expression) {
  if (artifact_id.empty()) throw std::invalid_argument("artifact_id is empty");
  if (expression.empty()) throw std::invalid_argument("version is empty");
  if (closed_.load(std::memory_order_acquire)) return closed_future();
  thread_local std::string front_key;
  // The group's length first: no group and artifact pair reads as another.
  front_key.assign("a");
  front_key.append(std::to_string(group.size())).push_back(':');
  front_key.append(group);
  front_key.append(artifact_id).push_back('\0');
  front_key.append(expression);
  if (auto hit = front_.find(front_key, Operation::get_schema)) return std::move(*hit);
  const std::uint64_t epoch = front_.epoch();
  ReadSubject subject;
  subject.key.emplace(std::string(group), std::string(artifact_id), std::string(expression));
  Settle settle = [this](const Call& call, const Result<CachedSchema>& r,
                         Clock::time_point settled) {
    SchemaRecord record = record_of(r);
    SettleEffect effect =
        settle_in(by_artifact_, *call.subject.key, call.generation, r, record, settled);
    if (record) remember(call.subject.key->group, record, false, false);
    return effect;
  };
  Start start = [this](CallPtr call) { fetch_version(std::move(call)); };
  const auto now = time_.now();
  Lookup lookup = by_artifact_.lookup(*subject.key, now, executor_);
  const SchemaRecord value = lookup.value;
  const LookupOutcome outcome = lookup.outcome;
  const Clock::time_point fresh_until = lookup.fresh_until;
  Future<CachedSchema> fetch = begin(std::move(lookup), Operation::get_schema, true, now,
                                     std::move(subject), std::move(settle), std::move(start));
  if (!value) return fetch;
  return answer_hit(outcome, fresh_until, *value, &front_key, epoch);
}

Future<CachedSchema> ClientCore::get_by_id(IdKind kind, std::int64_t id) {
  return lookup_id(
      kind, id,
      kind == IdKind::global_id ? Operation::get_by_global_id : Operation::get_by_content_id, true);
}

Future<CachedSchema> ClientCore::lookup_id(IdKind kind, std::int64_t id, Operation operation,
                                           bool counted) {
  if (closed_.load(std::memory_order_acquire)) return closed_future();
  thread_local std::string front_key;
  if (counted) {
    front_key.assign(kind == IdKind::global_id ? "g" : "c");
    front_key.append(std::to_string(id));
    if (auto hit = front_.find(front_key, operation)) return std::move(*hit);
  }
  const std::uint64_t epoch = front_.epoch();
  IdCache& cache = kind == IdKind::global_id ? by_global_id_ : by_content_id_;
  ReadSubject subject;
  subject.kind = kind;
  subject.id = id;
  Settle settle = [this](const Call& call, const Result<CachedSchema>& r,
                         Clock::time_point settled) {
    IdCache& cache = call.subject.kind == IdKind::global_id ? by_global_id_ : by_content_id_;
    return settle_in(cache, call.subject.id, call.generation, r, settled);
  };
  Start start = [this](CallPtr call) { fetch_by_id(std::move(call)); };
  const auto now = time_.now();
  Lookup lookup = cache.lookup(id, now, executor_);
  const SchemaRecord value = lookup.value;
  const LookupOutcome outcome = lookup.outcome;
  const Clock::time_point fresh_until = lookup.fresh_until;
  Future<CachedSchema> fetch = begin(std::move(lookup), operation, counted, now, std::move(subject),
                                     std::move(settle), std::move(start));
  if (!value) return fetch;
  return answer_hit(outcome, fresh_until,
                    kind == IdKind::content_id ? content_view(*value) : *value,
                    counted ? &front_key : nullptr, epoch);
}

Future<CachedSchema> ClientCore::get_dereferenced(std::int64_t global_id) {
  if (closed_.load(std::memory_order_acquire)) return closed_future();
  ReadSubject subject;
  subject.kind = IdKind::global_id;
  subject.id = global_id;
  subject.dereference = true;
  Settle settle = [this](const Call& call, const Result<CachedSchema>& r,
                         Clock::time_point settled) {
    return settle_in(dereferenced_, call.subject.id, call.generation, r, settled);
  };
  Start start = [this](CallPtr call) { fetch_by_id(std::move(call)); };
  const auto now = time_.now();
  Lookup lookup = dereferenced_.lookup(global_id, now, executor_);
  const SchemaRecord value = lookup.value;
  const Clock::time_point fresh_until = lookup.fresh_until;
  const LookupOutcome outcome = lookup.outcome;
  Future<CachedSchema> fetch = begin(std::move(lookup), Operation::get_by_global_id, true, now,
                                     std::move(subject), std::move(settle), std::move(start));
  if (!value) return fetch;
  return answer_hit(outcome, fresh_until, *value, nullptr, 0);
}

Future<CachedSchema> ClientCore::reference_list(IdKind kind, std::int64_t id) {
  if (closed_.load(std::memory_order_acquire)) return closed_future();
  ReadSubject subject;
  subject.kind = kind;
  subject.id = id;
  Settle settle = [this](const Call& call, const Result<CachedSchema>& r,
                         Clock::time_point settled) {
    return reference_lists_.settle(reference_list_key(call.subject.kind, call.subject.id),
                                   call.generation, outcome_of(r), record_of(r), {},
                                   after(settled, options_.not_found_ttl), settled);
  };
  Start start = [this](CallPtr call) { fetch_reference_list(std::move(call)); };
  const auto now = time_.now();
  Lookup lookup = reference_lists_.lookup(reference_list_key(kind, id), now, executor_);
  const SchemaRecord value = lookup.value;
  const Clock::time_point fresh_until = lookup.fresh_until;
  const LookupOutcome outcome = lookup.outcome;
  const Operation operation =
      kind == IdKind::global_id ? Operation::get_by_global_id : Operation::get_by_content_id;
  Future<CachedSchema> fetch = begin(std::move(lookup), operation, false, now, std::move(subject),
                                     std::move(settle), std::move(start));
  if (!value) return fetch;
  return answer_hit(outcome, fresh_until, *value, nullptr, 0);
}

Future<CachedSchema> ClientCore::register_schema(std::string_view group,
                                                 std::string_view artifact_id,
                                                 std::string_view text,
                                                 const RegisterOptions& options) {
  if (artifact_id.empty()) throw std::invalid_argument("artifact_id is empty");
  if (text.empty()) throw std::invalid_argument("schema_text is empty");
  if (options.content_type.empty()) throw std::invalid_argument("content_type is empty");
  if (closed_.load()) return closed_future();
  std::string key = std::to_string(group.size()) + ':' + std::string(group) + '\n' +
                    std::string(artifact_id) + '\n' + register_query(options) + '\n' +
                    register_body(artifact_id, text, options);
  bool dry_run = options.dry_run;
  // FIND_OR_CREATE_VERSION may return an old version, and the reply does not say whether
  // it created one.
  bool surely_latest = options.if_exists != IfExists::find_or_create_version;
  Settle settle = [this, key, g = std::string(group), artifact = std::string(artifact_id), dry_run,
                   surely_latest](const Call& call, const Result<CachedSchema>& r,
                                  Clock::time_point) {
    // The map only collapses concurrent registrations: it never keeps a result.
    registrations_.settle(key, call.generation, FetchOutcome::failed, nullptr, {}, {}, {});
    if (r.ok() && !dry_run) remember_registration(g, record_of(r), surely_latest);
    if (is_conflict(r)) forget_not_found_of(g, artifact);
    return r.ok() ? SettleEffect::stored : SettleEffect::dropped;
  };
  Start start = [this, g = std::string(group), a = std::string(artifact_id), t = std::string(text),
                 options](CallPtr call) { send_register(g, a, t, options, std::move(call)); };
  const auto now = time_.now();
  Lookup lookup = registrations_.lookup(key, now, executor_);
  return begin(std::move(lookup), Operation::register_schema, true, now, {}, std::move(settle),
               std::move(start));
}

void ClientCore::forget_not_found_of(const std::string& group, const std::string& artifact) {
  by_artifact_.forget_not_found_if(
      [&](const ArtifactKey& key) { return key.artifact == artifact && key.group == group; });
}

void ClientCore::remember_registration(const std::string& group, const SchemaRecord& record,
                                       bool surely_latest) {
  const std::string& artifact = record->artifact_id;
  // The artifact exists now: every 404 remembered of it, whatever the version expression,
  // may be wrong (a fetch of it under way is handled by the puts below).
  forget_not_found_of(group, artifact);
  forget_found_misses_of(group, artifact);
  remember(group, record, true, surely_latest);
  if (!surely_latest && can_be_latest(record->state) && !artifact.empty() &&
      !record->version.empty()) {
    // Latest only where it is known to be newer than what the cache has or is fetching.
    ArtifactKey latest{group, artifact, "branch=latest"};
    by_artifact_.put_if_newer(latest, record, freshness_for(latest, time_.now()));
  }
}

void ClientCore::remember(const std::string& group, const SchemaRecord& record, bool pin,
                          bool as_latest) {
  const CachedSchema& schema = *record;
  // A draft is neither served by its ids nor fixed: only its own version reads it, and that
  // entry ages (freshness_for).
  const bool draft = schema.state == VersionState::draft;
  if (schema.global_id >= 0 && !draft) by_global_id_.put(schema.global_id, record, {});
  if (schema.content_id >= 0 && !draft) {
    // Lookups by contentId see only the content's fields, so one record serves both keys;
    // it replaces a content-only record (from the content fetch) but not another version's.
    by_content_id_.put(schema.content_id, record, {},
                       [](const CachedSchema& old) { return old.global_id < 0; });
  }
  if (schema.artifact_id.empty() || schema.version.empty()) return;
  if (pin) {
    ArtifactKey pinned{group, schema.artifact_id, schema.version};
    by_artifact_.put(pinned, record, freshness_for(pinned, time_.now(), &schema));
  }
  // branch=latest skips DISABLED, DRAFT and SUNSET versions on the server (a
  // FIND_OR_CREATE_VERSION may answer a DISABLED one).
  if (as_latest && can_be_latest(schema.state)) {
    ArtifactKey latest{group, schema.artifact_id, "branch=latest"};
    by_artifact_.put(latest, record, freshness_for(latest, time_.now()));
  }
}

void ClientCore::invalidate(std::string_view group, std::string_view artifact_id) {
  by_artifact_.erase_if(
      [&](const ArtifactKey& key) { return key.artifact == artifact_id && key.group == group; });
  forget_found_of(group, artifact_id);
  front_.invalidate();
}

void ClientCore::clear() {
  by_artifact_.clear();
  by_global_id_.clear();
  by_content_id_.clear();
  reference_lists_.clear();
  dereferenced_.clear();
  found_.clear();
  front_.invalidate();
}

MetricsSnapshot ClientCore::metrics() const {
  MetricsSnapshot snapshot = metrics_.snapshot();
  auto front_hits = front_.hits();
  for (std::size_t i = 0; i < kOperationCount; ++i) {
    snapshot.operations[i].calls += front_hits[i];
    snapshot.operations[i].hits += front_hits[i];
  }
  snapshot.evictions = by_artifact_.evictions() + by_global_id_.evictions() +
                       by_content_id_.evictions() + reference_lists_.evictions() +
                       dereferenced_.evictions() + found_.evictions();
  snapshot.in_flight = loop_->in_flight();
  snapshot.token_requests = token_requests_.load();
  return snapshot;
}

ClientStats ClientCore::stats() const {
  MetricsSnapshot m = metrics();
  ClientStats s;
  s.http_requests = loop_->attempts_started();
  for (const OperationMetrics& op : m.operations) {
    s.retries += op.retries;
    s.cache_hits += op.hits;
    s.cache_misses += op.misses;
    s.collapsed_waits += op.collapsed;
    s.stale_served += op.stale_served;
    s.negative_hits += op.negative_hits;
  }
  s.in_flight = m.in_flight;
  s.evictions = m.evictions;
  return s;
}

}  // namespace apicurio::detail
