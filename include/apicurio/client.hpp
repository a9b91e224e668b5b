// The registry client: schema lookups and registrations as futures.
#pragma once

#include <apicurio/export.hpp>
#include <apicurio/future.hpp>
#include <apicurio/metrics.hpp>
#include <apicurio/options.hpp>
#include <apicurio/schema.hpp>
#include <apicurio/stats.hpp>

#include <cstddef>
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

/// How a read treats a schema's references to other artifacts.
enum class ReferenceHandling {
  /// The text as stored; the references stay names that the reader resolves.
  preserve,
  /// The text with every referenced type inlined by the registry, so that a reader needs
  /// nothing else (the server's `references=DEREFERENCE`; for Avro, Avro's own rendering of
  /// the schema parsed with its references: compact JSON, each named type defined at its
  /// first use). A schema without references comes back as stored.
  dereference,
};

/// A client of one Apicurio Registry (v3 REST API), in any of its groups.
///
/// Groups: calls that name an artifact by a bare id work in ClientOptions::group_id; the
/// overloads taking an ArtifactRef name the group per call, through the same caches,
/// connections and request collapsing (the group is part of every cache and collapse key).
/// An ArtifactRef rather than a `group("g")` view or a group string argument: a strategy
/// returns one, so `client.get_schema(record_id_strategy(in))` just works, and a second
/// string_view parameter would read like get_schema(artifact, version).
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
///
/// From samples/readme.cpp, which CI compiles and runs:
/// @snippet readme.cpp client
/// @snippet readme.cpp lookups
/// @snippet readme.cpp continuations
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
  /// The latest version of an artifact in the group `artifact` names (the default group
  /// when its group_id is std::nullopt). Never blocks; throws std::invalid_argument for an
  /// empty artifact id, or a group_id that is empty or longer than 512 characters.
  Future<CachedSchema> get_schema(const ArtifactRef& artifact);
  /// A given version of an artifact, or any version expression, in the group `artifact`
  /// names. Never blocks; throws std::invalid_argument as get_schema(artifact) does, and for
  /// an empty version.
  Future<CachedSchema> get_schema(const ArtifactRef& artifact, std::string_view version);
  /// The version with this globalId. Never blocks.
  Future<CachedSchema> get_schema_by_global_id(std::int64_t global_id);
  /// The version with this globalId, its references handled as `handling` says. A
  /// dereferenced read is cached apart from the stored text; its CachedSchema has the
  /// global_id, artifact_type and content_type but no content_id (the text is no stored
  /// content's) and no references. Never blocks.
  Future<CachedSchema> get_schema_by_global_id(std::int64_t global_id, ReferenceHandling handling);
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
  /// register_schema in the group `artifact` names (the default group when its group_id is
  /// std::nullopt). Never blocks; throws std::invalid_argument as the other overload does,
  /// and for a group_id that is empty or longer than 512 characters.
  Future<CachedSchema> register_schema(const ArtifactRef& artifact, std::string_view schema_text,
                                       const RegisterOptions& options = {});

  /// Every schema `schema` needs: its references, their references, and so on, each
  /// referenced version resolved to its schema once (a diamond's shared version appears once;
  /// a cycle stops where it returns, and never lists `schema` itself), breadth first in the
  /// order the lists name them. So a consumer of an Avro schema that uses named types defined
  /// elsewhere can parse the set in reverse order. Each version is a lookup like
  /// get_schema(ArtifactRef, version) (cached and collapsed; a reference without a version is
  /// the latest), and each reference list is fetched once per contentId (or globalId, for a
  /// root known only by it) and cached; with ClientOptions::fetch_references the lists come
  /// with the schemas. `schema` is a lookup's result: it needs a global_id or content_id, or
  /// its references. The future fails with ReferenceDepthError when references nest deeper
  /// than `max_depth` (1: direct references only), or with the first failed lookup's error
  /// (SchemaNotFoundError for a dangling reference). Never blocks; throws
  /// std::invalid_argument for a schema with neither ids nor references.
  Future<std::vector<ResolvedReference>> resolve_references(const CachedSchema& schema,
                                                            std::size_t max_depth = 32);

  /// The version of `artifact_id` (in the client's group) whose content is `schema_text`,
  /// without registering anything: what the Java serializer does when it neither registers
  /// nor looks up the latest version (POST /search/versions). When several versions match,
  /// the newest (highest globalId) that is not DISABLED, as the Java serdes choose. The result
  /// holds the text and content type the registry stored, which may differ from
  /// `schema_text` with FindOptions::canonical. Found versions are cached (for
  /// ClientOptions::latest_ttl, as a newer match may appear) and concurrent identical finds
  /// share one request. Fails with SchemaNotFoundError when no version matches. Never blocks;
  /// throws std::invalid_argument for an empty artifact id, schema or content type.
  Future<CachedSchema> find_schema(std::string_view artifact_id, std::string_view schema_text,
                                   const FindOptions& options = {});
  /// find_schema in the group `artifact` names (the default group when its group_id is
  /// std::nullopt). Never blocks; throws std::invalid_argument as the other overload does,
  /// and for a group_id that is empty or longer than 512 characters.
  Future<CachedSchema> find_schema(const ArtifactRef& artifact, std::string_view schema_text,
                                   const FindOptions& options = {});

  /// Fetches the latest version of each artifact into the cache, so that a service can fail
  /// at startup on a bad URL, bad credentials or a missing artifact rather than on its first
  /// record. The future never fails: it reports each artifact's outcome. Never blocks; throws
  /// std::invalid_argument for an empty id.
  Future<PreloadReport> preload(const std::vector<std::string>& artifact_ids);

  /// Forgets every cached version of `artifact_id`. Lookups in flight are not cancelled.
  /// Never blocks on I/O; never throws.
  void invalidate(std::string_view artifact_id);
  /// Forgets every cached version of `artifact` in its group (the default group when its
  /// group_id is std::nullopt; an empty group_id forgets nothing). Never blocks on I/O; never
  /// throws.
  void invalidate(const ArtifactRef& artifact);
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
