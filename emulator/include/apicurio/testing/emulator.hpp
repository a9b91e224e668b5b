// An in-process emulator of the Apicurio Registry v3 REST API, for tests, samples and the
// benchmark, and for users who test their producers and consumers offline (installed as the
// library apicurio-testing with -Dtesting=true). It behaves as the real server does (see
// emulator/README.md), keeps a log of every request and injects faults on demand. No
// cpp-httplib type appears here: the server lives behind Emulator::Impl.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace apicurio::emulator {

/// The registry's roles: sr-admin, sr-developer, sr-readonly. Admins and developers read and
/// write; readonly callers get 403 on every POST, PUT, PATCH and DELETE.
enum class Role { admin, developer, readonly };

/// none: no credentials needed. basic: HTTP Basic with a user (add_user) or a client id and
/// secret (add_client). bearer: a token from token_url(). basic_or_bearer: either.
enum class AuthMode { none, basic, bearer, basic_or_bearer };

struct TlsOptions {
  /// PEM server certificate (may hold the chain).
  std::string cert_file;
  /// PEM private key of the certificate.
  std::string key_file;
  /// When not empty: require a client certificate signed by this CA (mutual TLS).
  std::string client_ca_file;
};

struct EmulatorOptions {
  std::string host = "127.0.0.1";
  /// 0 picks a free ephemeral port.
  std::uint16_t port = 0;
  /// Threads kept ready to serve connections. A keep-alive connection holds a thread while it
  /// is open, so the pool grows by one thread per extra open connection up to
  /// max_worker_threads; connections beyond that queue until one closes (idle ones close
  /// after 30 s).
  std::size_t worker_threads = 64;
  std::size_t max_worker_threads = 2048;
  /// Which credentials /apis/registry/v3 requires (GET /system/info never needs any).
  AuthMode auth = AuthMode::none;
  /// Serve HTTPS instead of HTTP; base_url() then starts with https://.
  std::optional<TlsOptions> tls;
  /// The expires_in of tokens issued by the token endpoint.
  std::chrono::seconds token_lifetime{300};
  /// Compress replies for clients that accept it, as the real server does when configured
  /// with quarkus.http.enable-compression=true (off by default there too).
  bool compress_replies = false;
  /// DELETE .../artifacts/{id} deletes; otherwise it is 405, as on the real server unless
  /// configured with apicurio.rest.deletion.artifact.enabled=true. Seeding's
  /// delete_artifact() works either way.
  bool artifact_deletion_enabled = false;
  /// The global VALIDITY rule, as apicurio.rules.global.validity configures it: "" (none, the
  /// server's default), "SYNTAX_ONLY" or "FULL". AVRO and JSON content that does not parse
  /// is then 400 RuleViolationException on create (drafts excepted).
  std::string global_validity_rule;
};

enum class VersionState { ENABLED, DISABLED, DEPRECATED, DRAFT, SUNSET };

/// "ENABLED", "DISABLED", ... as the REST API spells them.
const char* to_string(VersionState state);

struct Reference {
  std::string group_id;
  std::string artifact_id;
  std::string version;
  std::string name;
};

/// How add_version() creates a version.
struct VersionSpec {
  std::string artifact_type = "AVRO";
  std::string content_type = "application/json";
  /// Empty: numbered as the server does, max(versionOrder) + 1 ("1" for the first); that
  /// is a conflict (std::runtime_error) if an earlier version was given that name explicitly.
  std::string version;
  std::vector<Reference> references;
  VersionState state = VersionState::ENABLED;
};

/// What the registry knows about one version. group_id is "default" for the null group.
struct VersionInfo {
  std::string group_id;
  std::string artifact_id;
  std::string version;
  std::int64_t global_id = 0;
  std::int64_t content_id = 0;
  std::string artifact_type;
  std::string content_type;
  VersionState state = VersionState::ENABLED;
};

using Pairs = std::vector<std::pair<std::string, std::string>>;

/// One request as the emulator saw it.
struct LoggedRequest {
  std::string method;
  /// The raw request target, still percent-encoded, with its query.
  std::string target;
  /// The absolute-form target ("http://host:port/...") when the request came as to a
  /// forward proxy; the emulator then serves it itself. Empty otherwise.
  std::string proxy_target;
  /// A stable route name, e.g. "version-metadata", "create-artifact" or "unknown"; see README.md.
  std::string route;
  /// The path segments after /apis/registry/v3, each percent-decoded.
  std::vector<std::string> segments;
  Pairs query;
  Pairs headers;
  std::string body;
  /// The status sent (or promised, for close-mid-body); 0 when nothing was sent.
  int status = 0;
  /// "" or the kind of the fault applied: "status", "delay", "close-mid-body", "body", "stall".
  std::string fault;

  /// The first header of that name (case-insensitive), "" if absent. Never throws.
  std::string header(const std::string& name) const;
  /// The first query parameter of that name, "" if absent. Never throws.
  std::string query_param(const std::string& name) const;
};

/// A fault applies to the next `count` requests whose route matches (kForever: all of them).
struct Fault {
  static constexpr int kForever = -1;
  enum class Kind { Status, Delay, CloseMidBody, Body, Stall };

  Kind kind = Kind::Status;
  /// A route name, or "*" for every route (control endpoints excepted).
  std::string route = "*";
  int count = 1;
  /// Status: the status to reply with (the body is a ProblemDetails).
  int status = 503;
  /// Status: the Retry-After header value; empty sends none.
  std::string retry_after;
  /// Delay: how long to hold the normal reply. Stall: how long before dropping the
  /// connection; zero stalls until the client hangs up or the emulator stops.
  std::chrono::milliseconds delay{0};
  /// Body: the 200 reply's body text, sent as application/json. Status: the error body,
  /// when not empty.
  std::string body;

  /// `body`, when given, replaces the generated ProblemDetails (e.g. one with `causes`, as
  /// the registry sends for rule violations).
  static Fault reply_status(std::string route, int status, int count = 1,
                            std::string retry_after = "", std::string body = "");
  static Fault delay_reply(std::string route, std::chrono::milliseconds delay, int count = 1);
  static Fault close_mid_body(std::string route, int count = 1);
  static Fault replace_body(std::string route, std::string body, int count = 1);
  static Fault stall(std::string route, int count = 1,
                     std::chrono::milliseconds max = std::chrono::milliseconds{0});
};

/// The registry emulator. It listens from construction to stop() or destruction.
/// All member functions are thread-safe and may be called from any thread, including from
/// the emulator's own handler threads, except stop() and the destructor (not from a handler).
class Emulator {
 public:
  /// Binds and starts serving; returns once the socket listens.
  /// Throws std::runtime_error if it cannot bind or cannot load the TLS files.
  explicit Emulator(EmulatorOptions options = {});
  /// Calls stop().
  ~Emulator();
  Emulator(const Emulator&) = delete;
  Emulator& operator=(const Emulator&) = delete;

  /// Stops serving: wakes every stalled or delayed handler at once, severs open connections
  /// and joins the server threads. Idempotent; blocks until the threads are gone.
  void stop();

  std::uint16_t port() const;
  /// "http://127.0.0.1:PORT/apis/registry/v3" (https:// when serving TLS).
  std::string base_url() const;

  // Seeding, without HTTP. These throw std::invalid_argument on bad ids and
  // std::runtime_error with the registry's error title on conflicts or missing items.

  /// Creates the group and artifact if missing and appends a version.
  VersionInfo add_version(const std::string& group, const std::string& artifact,
                          const std::string& content, const VersionSpec& spec = {});
  void set_version_state(const std::string& group, const std::string& artifact,
                         const std::string& version, VersionState state);
  /// Removes the artifact and its versions; their globalIds are never reused.
  void delete_artifact(const std::string& group, const std::string& artifact);
  /// Loads DIR/<group>/<artifactId>.<ext> (files directly in DIR go to group "default");
  /// .avsc -> AVRO, .json -> JSON, .proto -> PROTOBUF (application/x-protobuf); other files
  /// are skipped. Returns the number of versions added. Throws std::runtime_error if DIR
  /// cannot be read.
  std::size_t preload(const std::string& dir);

  // The request log (control endpoints are not logged).

  std::vector<LoggedRequest> requests() const;
  /// Clears the log and resets max_concurrent_requests() to the number now in flight.
  void clear_requests();
  /// How many logged requests had this route name.
  std::size_t count(const std::string& route) const;
  /// The peak number of requests handled at the same time since start or clear_requests().
  std::size_t max_concurrent_requests() const;

  // Faults: applied in the order added; the first one matching a request wins.

  void add_fault(Fault fault);
  void clear_faults();

  /// Empties the registry, the log and the fault plan; ids restart at 1. Users, clients,
  /// issued tokens and token_requests() stay.
  void reset();

  // Authentication (see README.md). The token endpoint is Keycloak's
  // POST /realms/registry/protocol/openid-connect/token, logged as route "token" and open to
  // faults; it is served whatever the AuthMode.

  /// Adds or replaces a user for HTTP Basic. Never throws except std::bad_alloc.
  void add_user(const std::string& user, const std::string& password, Role role);
  /// Adds or replaces an OAuth client for the token endpoint (client_credentials grant); with
  /// a Basic mode, "client_id:secret" is accepted as Basic credentials too.
  void add_client(const std::string& client_id, const std::string& secret, Role role);
  /// "http(s)://127.0.0.1:PORT/realms/registry/protocol/openid-connect/token".
  std::string token_url() const;
  /// How many requests reached the token endpoint (successful or not, faulted included)
  /// since start; clear_requests() and reset() leave it.
  std::size_t token_requests() const;
  /// Every token issued so far becomes invalid (401), as after a server-side revocation.
  /// Tokens issued afterwards are valid.
  void revoke_tokens();
  /// The lifetime (expires_in) of tokens issued from now on; zero issues tokens that are
  /// already expired.
  void set_token_lifetime(std::chrono::seconds lifetime);

  struct Impl;

 private:
  std::unique_ptr<Impl> impl_;
};

}  // namespace apicurio::emulator
