// apicurio-bench: measures the client against a registry (by default the emulator's store and
// handlers started in-process, see event_registry.hpp). One mode per run; see --help and
// README.md, section Performance.
#include "bench.hpp"

#include <curl/curl.h>

#include <cstdio>
#include <exception>
#include <stdexcept>

using namespace apicurio::bench;

int main(int argc, char** argv) {
  Args args;
  try {
    args = parse_args(argc, argv);
  } catch (const std::invalid_argument& e) {
    std::fprintf(stderr, "apicurio-bench: %s\nRun with --help for more information.\n", e.what());
    return 2;
  }
  if (!args.help.empty()) {
    std::fputs(args.help.c_str(), stdout);
    return 0;
  }
  // Before any thread exists: curl's global setup is not thread-safe, and memory forks.
  curl_global_init(CURL_GLOBAL_DEFAULT);
  try {
    if (args.mode == "memory") return run_memory(args);
    using Mode = int (*)(const Args&, Target&);
    Mode mode = nullptr;
    if (args.mode == "cache-hit") mode = run_cache_hit;
    if (args.mode == "cold") mode = run_cold;
    if (args.mode == "baseline-cold") mode = run_baseline_cold;
    if (args.mode == "limit-cold") mode = run_limit_cold;
    if (args.mode == "collapse") mode = run_collapse;
    if (args.mode == "idle") mode = run_idle;
    if (args.mode == "serialize") mode = run_serialize;
    if (args.mode == "deserialize") mode = run_deserialize;
    if (!mode) throw std::logic_error("mode accepted by the parser but not run: " + args.mode);
    Target target = open_target(args);
    return mode(args, target);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "apicurio-bench %s: %s\n", args.mode.c_str(), e.what());
    return 1;
  }
}
