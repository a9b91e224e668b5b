// The registry operations: each call becomes cache lookups and, on a miss, HTTP exchanges
// run on the event thread. RegistryClient is a thin handle on this.
#pragma once

#include "cache.hpp"
#include "event_loop.hpp"
#include "http_exchange.hpp"
#include "pending_calls.hpp"
#include "reply_errors.hpp"
#include "url.hpp"

#include <apicurio/client.hpp>

#include <atomic>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

namespace apicurio::detail {

class ClientCore {
 public:
  // Checks the options and starts the event thread. Throws std::invalid_argument.
  explicit ClientCore(ClientOptions options);
  ~ClientCore();

  // Any thread; never block; throw std::invalid_argument for bad arguments only. After
  // close() they return futures failed with ClientClosedError.
  Future<CachedSchema> get_version(std::string_view artifact_id, std::string_view expression);
  Future<CachedSchema> get_by_id(IdKind kind, std::int64_t id) { return lookup_id(kind, id, true); }
  Future<CachedSchema> register_schema(std::string_view artifact_id, std::string_view text,
                                       const RegisterOptions& options);

  // Any thread.
  void invalidate(std::string_view artifact_id);
  void clear();
  ClientStats stats() const;
  const ClientOptions& options() const noexcept { return options_; }
  // Any thread but the event thread (user code never runs there). Idempotent.
  void close();

 private:
  using ArtifactCache = SchemaCache<ArtifactKey, ArtifactKeyHash>;
  using IdCache = SchemaCache<std::int64_t>;
  using Settle = std::function<void(const Result<CachedSchema>&)>;

  // What a started lookup needs to finish: its pending call and how to settle its entry.
  struct Call {
    PendingCalls::Id id;
    Settle settle;
  };

  // Registers the promise of a started lookup and runs `start` on the event thread.
  // Returns the future to hand out.
  Future<CachedSchema> begin(Lookup lookup, bool counted, Settle settle,
                             std::function<void(std::shared_ptr<Call>)> start);
  void finish(const std::shared_ptr<Call>& call, Result<CachedSchema> result);
  void count(LookupOutcome outcome);
  Future<CachedSchema> closed_future() const;

  // Event thread: the HTTP work of each kind of lookup.
  void fetch_version(const ArtifactKey& key, std::shared_ptr<Call> call);
  void fetch_by_id(IdKind kind, std::int64_t id, std::shared_ptr<Call> call);
  void send_register(std::string artifact_id, std::string text, RegisterOptions options,
                     std::shared_ptr<Call> call);
  // Event thread: fetches the references of `path` (when enabled) into `schema`, then
  // finishes `call`.
  void with_references(const std::string& path, CachedSchema schema, ReplyContext context,
                       std::shared_ptr<Call> call);
  // Any thread: the schema with this id, through its cache; `counted` says whether the
  // lookup is the user's own (counted in stats) or a step of another lookup.
  Future<CachedSchema> lookup_id(IdKind kind, std::int64_t id, bool counted);
  // True when `schema`, registered with FIND_OR_CREATE_VERSION, is surely the newest version:
  // the cached latest is older. (The reply does not say whether the version was created.)
  bool newer_than_cached_latest(const CachedSchema& schema) const;

  void send(HttpRequest request, Idempotency idempotency, EventLoop::Done done);
  ReplyContext context_for(const std::string& method, const std::string& url) const;
  std::string artifact_path(std::string_view artifact_id) const;
  Clock::time_point expiry_for(const ArtifactKey& key, Clock::time_point now) const;
  void remember(const CachedSchema& schema, bool as_latest);

  const ClientOptions options_;
  const BaseUrl base_;
  std::shared_ptr<Executor> executor_;

  ArtifactCache by_artifact_;
  IdCache by_global_id_;
  IdCache by_content_id_;
  // Collapses identical concurrent registrations; entries leave when the request ends.
  SchemaCache<std::string> registrations_;
  PendingCalls pending_;

  std::atomic<bool> closed_{false};
  std::atomic<std::uint64_t> hits_{0}, misses_{0}, collapsed_{0}, retries_{0};

  // Last, so that the event thread stops before the members it uses are destroyed.
  std::unique_ptr<EventLoop> loop_;
};

}  // namespace apicurio::detail
