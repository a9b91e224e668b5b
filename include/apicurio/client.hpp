// The registry client: schema lookups and registrations as futures.
#pragma once

#include <apicurio/export.hpp>
#include <apicurio/future.hpp>
#include <apicurio/metrics.hpp>
#include <apicurio/options.hpp>
#include <apicurio/schema.hpp>
#include <apicurio/stats.hpp>

#include <cstdint>
#include <exception>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace apicurio {

namespace detail {
class ClientCore;
}

/// What preload() found: the artifacts now cached, and each failure. A plain value: its
/// members may be called from any thread (while no thread modifies it) and never block.
struct APICURIO_API PreloadReport {
  /// One artifact that could not be fetched.
  struct Failure {
    /// The artifact asked for.
    std::string artifact_id;
    /// Why: the error the lookup's future failed with, an apicurio::Error (or what a user
    /// callback threw; see RegistryClient).
    std::exception_ptr error;
    /// The error's what().
    std::string message;
  };
  /// The artifacts now in the cache, in the order asked.
  std::vector<std::string> cached;
  /// The artifacts that failed, in the order asked.
  std::vector<Failure> failures;

  /// True when every artifact was cached. Never throws.
  bool ok() const noexcept { return failures.empty(); }
  /// Rethrows the first failure's error; does nothing (and throws nothing) when ok().
  void throw_if_failed() const {
    if (!failures.empty()) std::rethrow_exception(failures.front().error);
  }
};

/// A client of one Apicurio Registry (v3 REST API) and one group.
///
/// Threads: every member may be called from any thread, concurrently, including from
/// continuations; the destructor and the moves are the exceptions (see close()). Each client
/// owns two threads and a small worker pool: a transfer thread that alone drives curl, an
/// event thread that does the rest of its HTTP work (requests made, replies parsed, caches
/// filled, futures completed, retries timed), and the pool that runs continuations (unless
/// ClientOptions::executor is set). No call blocks on the network: lookups return a future
/// at once, already complete on a cache hit. Only close() and the destructor wait, for the
/// client's threads to stop.
///
/// Calls throw only what their comments say, and any that allocates may also throw
/// std::bad_alloc. Futures fail with the errors in <apicurio/errors.hpp>:
/// SchemaNotFoundError, RegistryConnectionError, RegistryError (and its subclasses),
/// ResponseTooLargeError, ClientClosedError; or with what a user callback threw
/// (TokenProviderAuth::provide, TransportOptions::configure_handle).
class APICURIO_API RegistryClient {
 public:
  /// Checks `options` (std::invalid_argument names a bad field) and starts its threads.
  /// Does not contact the registry. Also throws std::runtime_error if curl cannot be
  /// initialised and std::system_error if a thread cannot be started; a constructor that
  /// throws has joined every thread it started.
  explicit RegistryClient(ClientOptions options);
  /// Closes the client (see close()) and joins its threads. Any thread but the client's
  /// event thread, where a continuation attached with a null executor may run: destroying
  /// the client there aborts the process with a message saying so. On a thread of the
  /// client's own worker pool (a continuation) it joins the other threads; the pool thread
  /// it runs on ends by itself once the continuation returns. Not concurrently with another
  /// member call on this client (a close() that has returned is fine). Does nothing for a
  /// moved-from client. Never throws.
  ~RegistryClient();
  RegistryClient(const RegistryClient&) = delete;
  RegistryClient& operator=(const RegistryClient&) = delete;
  /// Takes over `other`'s client: its threads, caches and calls in flight, whose futures
  /// complete as they would have. `other` is left moved-from: its calls that return futures
  /// throw ClientClosedError, invalidate(), clear() and close() do nothing, stats() and
  /// metrics() are zero, options() are the defaults; it may be assigned a client again or
  /// destroyed. Not concurrently with another member call on either client. Never throws.
  RegistryClient(RegistryClient&& other) noexcept;
  /// Closes this client's own client as the destructor does (with the destructor's rules on
  /// threads), then takes over `other`'s as the move constructor does. Self-assignment does
  /// nothing. Not concurrently with another member call on either client. Never throws.
  RegistryClient& operator=(RegistryClient&& other) noexcept;

  /// The latest version of an artifact (the tip of branch "latest"). Never blocks; throws
  /// std::invalid_argument for an empty artifact id.
  Future<CachedSchema> get_schema(std::string_view artifact_id);
  /// A given version, or any version expression such as "branch=NAME". Never blocks; throws
  /// std::invalid_argument for an empty artifact id or version.
  Future<CachedSchema> get_schema(std::string_view artifact_id, std::string_view version);
  /// The version with this globalId. Never blocks.
  Future<CachedSchema> get_schema_by_global_id(std::int64_t global_id);
  /// The content with this contentId. Never blocks.
  Future<CachedSchema> get_schema_by_content_id(std::int64_t content_id);
  /// get_schema for each id, in order. Never blocks; throws std::invalid_argument for an
  /// empty id.
  std::vector<Future<CachedSchema>> get_schemas(const std::vector<std::string>& artifact_ids);

  /// Registers `schema_text` as a version of `artifact_id`, creating the artifact if needed.
  /// The result fills the caches. Concurrent identical registrations share one request.
  /// Never blocks; throws std::invalid_argument for an empty artifact id, schema or
  /// RegisterOptions::content_type.
  Future<CachedSchema> register_schema(std::string_view artifact_id, std::string_view schema_text,
                                       const RegisterOptions& options = {});

  /// Fetches the latest version of each artifact into the cache, so that a service can fail
  /// at startup on a bad URL, bad credentials or a missing artifact rather than on its first
  /// record. The future never fails: it reports each artifact's outcome. Never blocks; throws
  /// std::invalid_argument for an empty id.
  Future<PreloadReport> preload(const std::vector<std::string>& artifact_ids);

  /// Forgets every cached version of `artifact_id`. Lookups in flight are not cancelled.
  /// Never blocks on I/O; never throws.
  void invalidate(std::string_view artifact_id);
  /// Forgets every cached entry. Never blocks on I/O; never throws.
  void clear();

  /// The counters so far. Never blocks on I/O; never throws.
  ClientStats stats() const;
  /// Per-operation counters and fetch latencies so far. Never blocks on I/O; never throws.
  MetricsSnapshot metrics() const;
  /// The options the client was built with. Never blocks.
  const ClientOptions& options() const noexcept;

  /// Stops the client: later calls fail with ClientClosedError, every pending future fails
  /// with ClientClosedError, continuations already queued on the worker pool run, and the
  /// client's threads (transfer, event, and its own worker pool; not a
  /// ClientOptions::executor) are joined. Every call returns only once all that is done,
  /// including a call made while another close() is under way. Idempotent; blocks until the
  /// threads have finished their current turn and the pool its queue. Any thread, including
  /// a continuation, but a thread cannot wait for itself: on the client's event thread (a
  /// continuation attached with a null executor) the threads stop after the current turn; on
  /// a thread of its own pool the transfer and event threads are joined and the pool's
  /// threads end once the queue is empty; in both cases the destructor (or a close() on
  /// another thread) joins them. Once the pool has ended, continuations attached to the
  /// client's futures run on the thread that attaches or completes them.
  /// Throws std::bad_alloc only.
  void close();

 private:
  // The core a call works on; throws ClientClosedError when moved from.
  detail::ClientCore& core() const;

  // Null once moved from.
  std::shared_ptr<detail::ClientCore> core_;
};

}  // namespace apicurio
