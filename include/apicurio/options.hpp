// How a client is set up. Every field is checked when RegistryClient is constructed;
// a bad value throws std::invalid_argument naming the field.
#pragma once

#include <apicurio/auth.hpp>
#include <apicurio/executor.hpp>
#include <apicurio/export.hpp>
#include <apicurio/metrics.hpp>
#include <apicurio/schema.hpp>
#include <apicurio/transport.hpp>

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace apicurio {

/// How a RegistryClient connects, caches, retries and runs continuations. A plain struct:
/// set the fields, then hand it to the RegistryClient constructor, which checks them.
struct APICURIO_API ClientOptions {
  /// Base URL of the v3 API, e.g. "http://registry:8080/apis/registry/v3". http or https.
  std::string url;
  /// Credentials; see <apicurio/auth.hpp>.
  Auth auth;
  /// TLS settings for https URLs.
  TlsOptions tls;
  /// Proxies, headers, connection limits and the per-request hook.
  TransportOptions transport;

  /// The group artifacts are looked up and registered in.
  std::string group_id = "default";

  /// Time to establish a connection (TCP and TLS).
  std::chrono::milliseconds connect_timeout{5000};
  /// Time for one HTTP attempt, from sending to the last byte of the reply.
  std::chrono::milliseconds request_timeout{30000};
  /// Optional bound on each HTTP exchange of a call across all its retries and backoffs,
  /// and the wait for a token before it (zero or milliseconds::max(): none). A lookup by
  /// artifact makes up to two exchanges (metadata, then content), each bounded by this.
  std::chrono::milliseconds call_deadline{0};

  /// Entries kept in each cache (by artifact and version, by globalId, by contentId);
  /// the least recently used entry goes first. Remembered 404s count, and so do lookups in
  /// flight, which are never evicted: a cache exceeds the bound only by the lookups in flight,
  /// and only while they are. Must be at least 1.
  std::int64_t max_cache_entries = 1000;
  /// How long a branch expression ("latest") stays cached, since the branch moves; pinned
  /// versions and ids never change and never expire. Zero fetches latest on every call
  /// (concurrent calls still collapse); milliseconds::max() never expires it.
  std::chrono::milliseconds latest_ttl{std::chrono::minutes(5)};
  /// Once latest_ttl has passed, the cached value is still served, at once, while one
  /// background refresh replaces it; if the refresh fails (registry down, timeout, 5xx) the
  /// old value goes on being served. This bounds how long past latest_ttl that may last;
  /// past it, callers wait for the registry. The default, no bound, keeps producers running
  /// through an outage of any length; metrics count every stale serve.
  std::chrono::milliseconds max_stale = std::chrono::milliseconds::max();
  /// How long a 404 is remembered, so that a flood of lookups of an unknown id or artifact
  /// does not flood the registry. Short, since replicas lag; zero turns it off.
  std::chrono::milliseconds not_found_ttl{std::chrono::seconds(3)};
  /// Also fetch each content's references (one more request per distinct content).
  bool fetch_references = false;

  /// Retries after transport errors and 429/502/503/504, with full-jitter exponential
  /// backoff: a uniform draw in [0, min(retry_backoff * 2^k, retry_max_backoff)].
  std::int64_t max_retries = 3;
  /// The first retry's backoff bound; it doubles with each retry.
  std::chrono::milliseconds retry_backoff{1000};
  /// The largest backoff, and the cap on a Retry-After the registry asks for (in seconds or
  /// as an HTTP-date; 0 or a past date retries at once). A retry that would fall due past
  /// the end of the steady clock is not made: the call fails with the last failure.
  std::chrono::milliseconds retry_max_backoff{20000};

  /// A reply body larger than this fails with ResponseTooLargeError.
  std::int64_t max_response_bytes = 16 * 1024 * 1024;

  /// Threads of the client's own pool that run continuations (unused when `executor` is set).
  std::int64_t worker_threads = 2;
  /// Runs continuations instead of the client's pool when set.
  std::shared_ptr<Executor> executor;

  /// Called every metrics_interval with a snapshot of the client's metrics, on the
  /// continuation executor (never on the event thread). Must not throw; if it blocks, it
  /// holds an executor thread meanwhile.
  std::function<void(const MetricsSnapshot&)> metrics_callback;
  /// How often metrics_callback runs; milliseconds::max() never.
  std::chrono::milliseconds metrics_interval{std::chrono::seconds(10)};
};

/// What register_schema does when the artifact already exists.
enum class IfExists {
  /// Fail with SchemaRegistrationError (409).
  fail,
  /// Always add a new version. Not idempotent.
  create_version,
  /// Return the version with the same content if there is one, else add a version.
  find_or_create_version,
};

/// The optional parts of register_schema.
struct APICURIO_API RegisterOptions {
  /// What to do when the artifact already exists.
  IfExists if_exists = IfExists::find_or_create_version;
  /// The artifact type when the artifact is created: AVRO, PROTOBUF, JSON, ...
  std::string artifact_type = "AVRO";
  /// The media type of the schema text.
  std::string content_type = "application/json";
  /// The version name; empty lets the registry number it.
  std::string version;
  /// The other artifact versions this schema refers to.
  std::vector<ArtifactReference> references;
  /// Compare content in canonical form when looking for an existing version.
  bool canonical = false;
  /// Let the registry check the request without storing anything.
  bool dry_run = false;
};

/// How find_schema() matches content against the versions of an artifact.
struct FindOptions {
  /// Match after the registry's canonicalization for `artifact_type` (for Avro: docs dropped,
  /// names normalized, whitespace ignored) rather than byte for byte. The version found may
  /// then store a text that differs from the one searched for; the result holds the stored
  /// text.
  bool canonical = false;
  /// The artifact type the registry canonicalizes as (sent as artifactType).
  std::string artifact_type = "AVRO";
  /// The media type of the schema text (sent as the request's Content-Type).
  std::string content_type = "application/json";
};

}  // namespace apicurio
