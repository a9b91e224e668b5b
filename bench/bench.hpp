// apicurio-bench: what every mode shares (the command line, the registry under test, the
// artifacts a run reads, and the report it prints). See README.md, section Performance.
#pragma once

#include "event_registry.hpp"

#include <apicurio/options.hpp>

#include <cstdint>
#include <memory>
#include <string>
#include <utility>
#include <vector>

namespace apicurio::bench {

/// The command line, parsed. Numbers a mode does not use are ignored.
struct Args {
  std::string mode;
  std::string url;  // empty: start the embedded registry
  std::string group = "default";
  bool json = false;
  std::string pattern = "a-%d";
  bool do_register = false;
  std::int64_t threads = 1;
  double seconds = 5;
  std::int64_t artifacts = 1000;
  std::int64_t inflight = 64;
  std::int64_t callers = 1000;
  std::int64_t schemas = 100000;
  std::int64_t size = 1024;
  std::string help;  // set: --help was given; print it and run nothing
};

/// Parses argv; throws std::invalid_argument naming the bad argument.
Args parse_args(int argc, char** argv);

/// The registry a run talks to: the one at --url, or one started in-process (EventRegistry).
struct Target {
  std::string url;
  std::string group;
  std::unique_ptr<EventRegistry> embedded;  // null with --url

  /// Client options aimed at this registry.
  ClientOptions client_options() const;
};

/// Starts the embedded registry unless --url was given. Throws std::runtime_error.
Target open_target(const Args& args);

/// One artifact of a run; content_id is -1 until known.
struct Artifact {
  std::string name;
  std::int64_t content_id = -1;
};

/// The artifact id for number `n` (from 1) under a printf-style pattern with one %d.
/// Throws std::invalid_argument if the pattern has no %d, or other conversions.
std::string artifact_name(const std::string& pattern, std::int64_t n);

/// A distinct Avro schema for number `n`, padded to about `size` bytes (0: unpadded).
std::string schema_text(std::int64_t n, std::int64_t size);

/// Makes sure artifacts 1..count exist: seeds the embedded registry directly, registers them
/// with --register, or else trusts that they exist. Blocks; throws on failure.
std::vector<Artifact> prepare_artifacts(const Target& target, const Args& args, std::int64_t count,
                                        std::int64_t size = 0);

/// Fills in unknown content ids with a throwaway client (untimed). Blocks; throws on failure.
void resolve_content_ids(const Target& target, std::vector<Artifact>& artifacts);

/// The value below which `fraction` (0..1) of `values` lie (nearest rank); 0 if empty.
double percentile(std::vector<double> values, double fraction);

/// A run's figures, in order, printed as one JSON object or as "key: value" lines.
class Report {
 public:
  explicit Report(const std::string& mode) { add("mode", mode); }
  void add(const std::string& key, const std::string& text);
  void add(const std::string& key, double number);
  void add(const std::string& key, std::int64_t number);
  /// Writes to stdout and flushes.
  void print(bool json) const;

 private:
  // (key, already-rendered JSON value, plain text)
  std::vector<std::pair<std::string, std::pair<std::string, std::string>>> fields_;
};

// The modes. Each returns the process exit status.
int run_cache_hit(const Args& args, Target& target);
int run_cold(const Args& args, Target& target);
int run_baseline_cold(const Args& args, Target& target);
int run_limit_cold(const Args& args, Target& target);
int run_collapse(const Args& args, Target& target);
int run_idle(const Args& args, Target& target);
/// The Avro modes (bench/serialize.cpp, bench/deserialize.cpp); without apicurio-avro in the
/// build they say so and return 2 (bench/avro_absent.cpp).
int run_serialize(const Args& args, Target& target);
int run_deserialize(const Args& args, Target& target);
/// Memory runs the embedded registry in a child process, so its own store is not counted.
int run_memory(const Args& args);

}  // namespace apicurio::bench
