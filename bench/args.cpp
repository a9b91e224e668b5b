// The command line of apicurio-bench.
#include "bench.hpp"

#include <cstdlib>
#include <stdexcept>
#include <string>

namespace apicurio::bench {

const char* usage() {
  return "usage: apicurio-bench MODE [--url URL] [--group G] [--json] [options]\n"
         "  cache-hit    --threads T --seconds S\n"
         "  cold         --artifacts N --inflight K [--pattern P] [--register]\n"
         "  baseline-cold --artifacts N --inflight K [--pattern P] [--register]\n"
         "  limit-cold   --artifacts N --inflight K [--pattern P] [--register]\n"
         "  collapse     --callers N [--pattern P] [--register]\n"
         "  idle         --seconds S\n"
         "  memory       --schemas N --size B [--pattern P] [--register]\n"
         "--url defaults to a registry started in-process (the emulator's store and handlers);\n"
         "--pattern is printf-style with one %d, numbered from 1 (default a-%d).\n";
}

namespace {

std::int64_t to_count(const std::string& flag, const std::string& text, std::int64_t min) {
  char* end = nullptr;
  long long value = std::strtoll(text.c_str(), &end, 10);
  if (text.empty() || *end != '\0' || value < min) {
    throw std::invalid_argument(flag + " wants an integer >= " + std::to_string(min) + ", got '" +
                                text + "'");
  }
  return value;
}

double to_seconds(const std::string& flag, const std::string& text) {
  char* end = nullptr;
  double value = std::strtod(text.c_str(), &end);
  if (text.empty() || *end != '\0' || !(value > 0) || value > 86400) {
    throw std::invalid_argument(flag + " wants seconds > 0, got '" + text + "'");
  }
  return value;
}

}  // namespace

Args parse_args(int argc, char** argv) {
  Args args;
  if (argc < 2) throw std::invalid_argument("no mode given");
  args.mode = argv[1];
  for (int i = 2; i < argc; ++i) {
    const std::string flag = argv[i];
    if (flag == "--json") {
      args.json = true;
      continue;
    }
    if (flag == "--register") {
      args.do_register = true;
      continue;
    }
    if (i + 1 >= argc) throw std::invalid_argument(flag + " needs a value (or is unknown)");
    const std::string value = argv[++i];
    if (flag == "--url") {
      args.url = value;
    } else if (flag == "--group") {
      args.group = value;
    } else if (flag == "--pattern") {
      args.pattern = value;
    } else if (flag == "--threads") {
      args.threads = to_count(flag, value, 1);
    } else if (flag == "--seconds") {
      args.seconds = to_seconds(flag, value);
    } else if (flag == "--artifacts") {
      args.artifacts = to_count(flag, value, 1);
    } else if (flag == "--inflight") {
      args.inflight = to_count(flag, value, 1);
    } else if (flag == "--callers") {
      args.callers = to_count(flag, value, 1);
    } else if (flag == "--schemas") {
      args.schemas = to_count(flag, value, 1);
    } else if (flag == "--size") {
      args.size = to_count(flag, value, 0);
    } else {
      throw std::invalid_argument("unknown option " + flag);
    }
  }
  artifact_name(args.pattern, 1);  // rejects a bad pattern before any work
  return args;
}

}  // namespace apicurio::bench
