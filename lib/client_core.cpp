#include "client_core.hpp"

#include "decode.hpp"
#include "options.hpp"
#include "register_request.hpp"
#include "worker_pool.hpp"

#include <fmt/format.h>

#include <stdexcept>

namespace apicurio::detail {
namespace {

TransportSettings transport_from(const ClientOptions& o) {
  TransportSettings settings;
  settings.connect_timeout = o.connect_timeout;
  settings.request_timeout = o.request_timeout;
  settings.max_response_bytes = o.max_response_bytes;
  return settings;
}

std::shared_ptr<Executor> executor_from(const ClientOptions& o) {
  if (o.executor) return o.executor;
  return std::make_shared<WorkerPool>(static_cast<std::size_t>(o.worker_threads));
}

bool is_branch(std::string_view expression) {
  return expression.rfind("branch=", 0) == 0;
}

const char* id_path(IdKind kind) {
  return kind == IdKind::global_id ? "/ids/globalIds/" : "/ids/contentIds/";
}

}  // namespace

ClientCore::ClientCore(ClientOptions options)
    : options_((validate(options), std::move(options))),
      base_(parse_base_url(options_.url, "ClientOptions::url")),
      executor_(executor_from(options_)),
      by_artifact_(static_cast<std::size_t>(options_.max_cache_entries)),
      by_global_id_(static_cast<std::size_t>(options_.max_cache_entries)),
      by_content_id_(static_cast<std::size_t>(options_.max_cache_entries)),
      registrations_(static_cast<std::size_t>(options_.max_cache_entries)),
      loop_(std::make_unique<EventLoop>(transport_from(options_))) {}

ClientCore::~ClientCore() {
  close();
}

void ClientCore::close() {
  if (closed_.exchange(true)) return;
  loop_->stop();
  pending_.fail_all(std::make_exception_ptr(ClientClosedError()));
}

Future<CachedSchema> ClientCore::closed_future() const {
  return make_failed_future<CachedSchema>(std::make_exception_ptr(ClientClosedError()), executor_);
}

void ClientCore::count(LookupOutcome outcome) {
  switch (outcome) {
    case LookupOutcome::hit:
      hits_.fetch_add(1, std::memory_order_relaxed);
      break;
    case LookupOutcome::joined:
      collapsed_.fetch_add(1, std::memory_order_relaxed);
      break;
    case LookupOutcome::started:
      misses_.fetch_add(1, std::memory_order_relaxed);
      break;
  }
}

Future<CachedSchema> ClientCore::begin(Lookup lookup, bool counted, Settle settle,
                                       std::function<void(std::shared_ptr<Call>)> start) {
  if (counted) count(lookup.outcome);
  if (lookup.outcome != LookupOutcome::started) return lookup.future;
  auto id = pending_.add(std::move(*lookup.promise));
  if (!id) {
    settle(Result<CachedSchema>::failure(std::make_exception_ptr(ClientClosedError())));
    return lookup.future;
  }
  auto call = std::make_shared<Call>(Call{*id, std::move(settle)});
  if (loop_->on_event_thread()) {
    start(call);
  } else if (!loop_->post([start = std::move(start), call] { start(call); })) {
    finish(call, Result<CachedSchema>::failure(std::make_exception_ptr(ClientClosedError())));
  }
  return lookup.future;
}

void ClientCore::finish(const std::shared_ptr<Call>& call, Result<CachedSchema> result) {
  // Settle first: a caller woken by the promise that asks again must find the new state.
  call->settle(result);
  pending_.complete(call->id, std::move(result));
}

Future<CachedSchema> ClientCore::get_version(std::string_view artifact_id,
                                             std::string_view expression) {
  if (artifact_id.empty()) throw std::invalid_argument("artifact_id is empty");
  if (expression.empty()) throw std::invalid_argument("version is empty");
  if (closed_.load()) return closed_future();
  ArtifactKey key{options_.group_id, std::string(artifact_id), std::string(expression)};
  auto now = Clock::now();
  Lookup lookup = by_artifact_.lookup(key, now, executor_);
  auto generation = lookup.generation;
  return begin(
      std::move(lookup), true,
      [this, key, generation](const Result<CachedSchema>& r) {
        by_artifact_.settle(key, generation, r.ok(), expiry_for(key, Clock::now()));
        if (r.ok()) remember(r.value(), false);
      },
      [this, key](std::shared_ptr<Call> call) { fetch_version(key, std::move(call)); });
}

Future<CachedSchema> ClientCore::lookup_id(IdKind kind, std::int64_t id, bool counted) {
  if (closed_.load()) return closed_future();
  IdCache& cache = kind == IdKind::global_id ? by_global_id_ : by_content_id_;
  Lookup lookup = cache.lookup(id, Clock::now(), executor_);
  auto generation = lookup.generation;
  return begin(
      std::move(lookup), counted,
      [&cache, id, generation](const Result<CachedSchema>& r) {
        cache.settle(id, generation, r.ok(), Clock::time_point::max());
      },
      [this, kind, id](std::shared_ptr<Call> call) { fetch_by_id(kind, id, std::move(call)); });
}

bool ClientCore::newer_than_cached_latest(const CachedSchema& schema) const {
  auto latest =
      by_artifact_.peek({options_.group_id, schema.artifact_id, "branch=latest"}, Clock::now());
  return latest && latest->is_ready() && latest->result().ok() &&
         latest->result().value().global_id < schema.global_id;
}

Future<CachedSchema> ClientCore::register_schema(std::string_view artifact_id,
                                                 std::string_view text,
                                                 const RegisterOptions& options) {
  if (artifact_id.empty()) throw std::invalid_argument("artifact_id is empty");
  if (text.empty()) throw std::invalid_argument("schema_text is empty");
  if (options.content_type.empty()) throw std::invalid_argument("content_type is empty");
  if (closed_.load()) return closed_future();
  std::string key = options_.group_id + '\n' + std::string(artifact_id) + '\n' +
                    register_query(options) + '\n' + register_body(artifact_id, text, options);
  Lookup lookup = registrations_.lookup(key, Clock::now(), executor_);
  auto generation = lookup.generation;
  bool dry_run = options.dry_run,
       new_latest = options.if_exists != IfExists::find_or_create_version;
  return begin(
      std::move(lookup), true,
      [this, key, generation, dry_run, new_latest](const Result<CachedSchema>& r) {
        registrations_.settle(key, generation, false, {});
        if (r.ok() && !dry_run) {
          remember(r.value(), new_latest || newer_than_cached_latest(r.value()));
        }
      },
      [this, a = std::string(artifact_id), t = std::string(text),
       options](std::shared_ptr<Call> call) { send_register(a, t, options, std::move(call)); });
}

void ClientCore::remember(const CachedSchema& schema, bool as_latest) {
  const auto never = Clock::time_point::max();
  if (schema.global_id >= 0) {
    by_global_id_.put(schema.global_id, make_ready_future(CachedSchema(schema), executor_), never);
  }
  if (schema.content_id >= 0) {
    CachedSchema content_only;
    content_only.content = schema.content;
    content_only.content_id = schema.content_id;
    content_only.content_type = schema.content_type;
    content_only.references = schema.references;
    by_content_id_.put(schema.content_id, make_ready_future(std::move(content_only), executor_),
                       never);
  }
  if (schema.artifact_id.empty() || schema.version.empty()) return;
  ArtifactKey pinned{options_.group_id, schema.artifact_id, schema.version};
  by_artifact_.put(pinned, make_ready_future(CachedSchema(schema), executor_), never);
  if (as_latest) {
    ArtifactKey latest{options_.group_id, schema.artifact_id, "branch=latest"};
    auto now = Clock::now();
    by_artifact_.put(latest, make_ready_future(CachedSchema(schema), executor_),
                     expiry_for(latest, now));
  }
}

void ClientCore::invalidate(std::string_view artifact_id) {
  by_artifact_.erase_if([&](const ArtifactKey& key) {
    return key.artifact == artifact_id && key.group == options_.group_id;
  });
}

void ClientCore::clear() {
  by_artifact_.clear();
  by_global_id_.clear();
  by_content_id_.clear();
}

ClientStats ClientCore::stats() const {
  ClientStats s;
  s.http_requests = loop_->attempts_started();
  s.retries = retries_.load();
  s.cache_hits = hits_.load();
  s.cache_misses = misses_.load();
  s.collapsed_waits = collapsed_.load();
  s.in_flight = loop_->in_flight();
  s.evictions = by_artifact_.evictions() + by_global_id_.evictions() + by_content_id_.evictions();
  return s;
}

Clock::time_point ClientCore::expiry_for(const ArtifactKey& key, Clock::time_point now) const {
  if (!is_branch(key.expression)) return Clock::time_point::max();
  if (options_.latest_ttl >=
      std::chrono::duration_cast<std::chrono::milliseconds>(Clock::time_point::max() - now)) {
    return Clock::time_point::max();
  }
  return now + options_.latest_ttl;
}

std::string ClientCore::artifact_path(std::string_view artifact_id) const {
  return fmt::format("{}/groups/{}/artifacts/{}", base_.base, encode_segment(options_.group_id),
                     encode_segment(artifact_id));
}

ReplyContext ClientCore::context_for(const std::string& method, const std::string& url) const {
  ReplyContext context;
  context.method = method;
  context.url = url;
  context.base_url = base_.base;
  context.max_response_bytes = options_.max_response_bytes;
  return context;
}

void ClientCore::send(HttpRequest request, Idempotency idempotency, EventLoop::Done done) {
  ExchangeOptions exchange;
  exchange.retry = {options_.max_retries, options_.retry_backoff, options_.retry_max_backoff};
  exchange.idempotency = idempotency;
  if (options_.call_deadline.count() > 0) exchange.deadline = Clock::now() + options_.call_deadline;
  send_with_retries(*loop_, std::move(request), exchange, retries_, std::move(done));
}

void ClientCore::fetch_version(const ArtifactKey& key, std::shared_ptr<Call> call) {
  std::string url =
      fmt::format("{}/versions/{}", artifact_path(key.artifact), encode_segment(key.expression));
  ReplyContext context = context_for("GET", url);
  context.group = key.group;
  context.artifact = key.artifact;
  context.expression = key.expression;
  send({"GET", url, {"Accept: application/json"}, {}, {}}, Idempotency::idempotent,
       [this, context, call](HttpResponse&& r) {
         if (r.transport != 0 || r.status != 200)
           return finish(call, Result<CachedSchema>::failure(error_for(r, context)));
         VersionMeta meta;
         try {
           meta = decode_version_meta(r.body);
         } catch (const DecodeError& e) {
           return finish(call,
                         Result<CachedSchema>::failure(malformed_reply(r, context, e.what())));
         }
         // Runs where the content completes: here, or on the event thread later.
         lookup_id(IdKind::content_id, meta.content_id, false)
             .then_result(nullptr, [this, call, meta](const Result<CachedSchema>& c) {
               if (!c.ok()) return finish(call, c);
               CachedSchema schema = c.value();
               schema.global_id = meta.global_id;
               schema.group_id = meta.group_id;
               schema.artifact_id = meta.artifact_id;
               schema.version = meta.version;
               schema.artifact_type = meta.artifact_type;
               finish(call, Result<CachedSchema>::success(std::move(schema)));
             });
       });
}

void ClientCore::fetch_by_id(IdKind kind, std::int64_t id, std::shared_ptr<Call> call) {
  std::string path = fmt::format("{}{}{}", base_.base, id_path(kind), id);
  std::string url = kind == IdKind::global_id ? path + "?returnArtifactType=true" : path;
  ReplyContext context = context_for("GET", url);
  context.subject = ReplyContext::Subject::id;
  context.id_kind = kind;
  context.id = id;
  send({"GET", url, {}, {}, {}}, Idempotency::idempotent,
       [this, kind, id, path, context, call](HttpResponse&& r) {
         if (r.transport != 0 || r.status != 200)
           return finish(call, Result<CachedSchema>::failure(error_for(r, context)));
         CachedSchema schema;
         schema.content = std::make_shared<const std::string>(std::move(r.body));
         schema.content_type = r.content_type;
         if (kind == IdKind::global_id) {
           schema.global_id = id;
           schema.artifact_type = r.artifact_type;
         } else {
           schema.content_id = id;
         }
         with_references(path + "/references", std::move(schema), context, call);
       });
}

void ClientCore::with_references(const std::string& path, CachedSchema schema, ReplyContext context,
                                 std::shared_ptr<Call> call) {
  if (!options_.fetch_references)
    return finish(call, Result<CachedSchema>::success(std::move(schema)));
  context.url = path;
  send({"GET", path, {"Accept: application/json"}, {}, {}}, Idempotency::idempotent,
       [this, schema = std::move(schema), context, call](HttpResponse&& r) mutable {
         if (r.transport != 0 || r.status != 200)
           return finish(call, Result<CachedSchema>::failure(error_for(r, context)));
         try {
           schema.references = decode_references(r.body);
         } catch (const DecodeError& e) {
           return finish(call,
                         Result<CachedSchema>::failure(malformed_reply(r, context, e.what())));
         }
         finish(call, Result<CachedSchema>::success(std::move(schema)));
       });
}

void ClientCore::send_register(std::string artifact_id, std::string text, RegisterOptions options,
                               std::shared_ptr<Call> call) {
  std::string url = fmt::format("{}/groups/{}/artifacts{}", base_.base,
                                encode_segment(options_.group_id), register_query(options));
  ReplyContext context = context_for("POST", url);
  context.subject = ReplyContext::Subject::registration;
  context.group = options_.group_id;
  context.artifact = artifact_id;
  HttpRequest request{"POST",
                      url,
                      {"Content-Type: application/json", "Accept: application/json"},
                      register_body(artifact_id, text, options),
                      {}};
  auto idempotency = options.if_exists == IfExists::find_or_create_version
                         ? Idempotency::idempotent
                         : Idempotency::non_idempotent;
  auto content = std::make_shared<const std::string>(std::move(text));
  send(std::move(request), idempotency,
       [this, context, call, content, options = std::move(options)](HttpResponse&& r) {
         if (r.transport != 0 || r.status != 200)
           return finish(call, Result<CachedSchema>::failure(error_for(r, context)));
         VersionMeta meta;
         try {
           meta = decode_create_artifact(r.body);
         } catch (const DecodeError& e) {
           return finish(call,
                         Result<CachedSchema>::failure(malformed_reply(r, context, e.what())));
         }
         CachedSchema schema;
         schema.content = content;
         schema.global_id = meta.global_id;
         schema.content_id = meta.content_id;
         schema.group_id = meta.group_id;
         schema.artifact_id = meta.artifact_id;
         schema.version = meta.version;
         schema.artifact_type = meta.artifact_type;
         schema.content_type = options.content_type;
         schema.references = options.references;
         finish(call, Result<CachedSchema>::success(std::move(schema)));
       });
}

}  // namespace apicurio::detail
