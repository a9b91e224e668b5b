// The command line of apicurio-bench.
#include "bench.hpp"

#include <CLI/CLI.hpp>

#include <charconv>
#include <cstdlib>
#include <stdexcept>
#include <string>

namespace apicurio::bench {

namespace {

// Which options each mode reads, which the option definitions cannot say.
constexpr const char* kFooter =
    R"(MODE and the options it reads:
  cache-hit     --threads T --seconds S
  cold          --artifacts N --inflight K [--pattern P] [--register]
  baseline-cold --artifacts N --inflight K [--pattern P] [--register]
  limit-cold    --artifacts N --inflight K [--pattern P] [--register]
  collapse      --callers N [--pattern P] [--register]
  idle          --seconds S
  memory        --schemas N --size B [--pattern P] [--register]
  serialize     --threads T --seconds S   (needs a build with apicurio-avro)
  deserialize   --threads T --seconds S   (needs a build with apicurio-avro)
--url defaults to a registry started in-process (the emulator's store and handlers);
--pattern is printf-style with one %d, numbered from 1. Exit status: 0 ok, 1 the run
failed, 2 usage error.)";

// A whole int64 >= min or an error: CLI11 2.1 takes 99999999999999999999 as INT64_MAX.
CLI::Validator count(std::int64_t min) {
  return CLI::Validator(
      [min](std::string& text) -> std::string {
        std::int64_t value = 0;
        const char* end = text.data() + text.size();
        auto [stop, error] = std::from_chars(text.data(), end, value);
        if (error != std::errc() || stop != end || value < min)
          return "wants an integer >= " + std::to_string(min) + ", got '" + text + "'";
        return {};
      },
      min == 0 ? ">=0" : ">=1");
}

// Seconds in (0, 86400], as strtod reads them.
double to_seconds(const std::string& text) {
  char* end = nullptr;
  double value = std::strtod(text.c_str(), &end);
  if (text.empty() || *end != '\0' || !(value > 0) || value > 86400) return 0;
  return value;
}

const CLI::Validator seconds_validator(
    [](std::string& text) -> std::string {
      return to_seconds(text) > 0 ? std::string() : "wants seconds > 0, got '" + text + "'";
    },
    "(0, 86400]");

}  // namespace

Args parse_args(int argc, char** argv) {
  Args args;
  CLI::App app("Measures the client against an Apicurio Registry.", "apicurio-bench");
  app.footer(kFooter);
  // As before CLI11: an option given twice takes its last value.
  app.option_defaults()->multi_option_policy(CLI::MultiOptionPolicy::TakeLast);
  app.add_option("MODE", args.mode, "what to measure")
      ->required()
      ->check(CLI::IsMember({"cache-hit", "cold", "baseline-cold", "limit-cold", "collapse", "idle",
                             "memory", "serialize", "deserialize"}));
  app.add_option("--url", args.url, "the registry's v3 API, e.g. http://host:8080/apis/registry/v3")
      ->type_name("URL");
  app.add_option("--group", args.group, "the artifacts' group")
      ->type_name("G")
      ->capture_default_str();
  app.add_flag("--json", args.json, "print the result as one line of JSON")
      ->disable_flag_override();
  app.add_option("--pattern", args.pattern, "artifact ids, printf-style with one %d")
      ->type_name("P")
      ->capture_default_str();
  app.add_flag("--register", args.do_register, "register the artifacts first")
      ->disable_flag_override();
  app.add_option("--threads", args.threads, "caller threads")
      ->type_name("T")
      ->capture_default_str()
      ->check(count(1));
  app.add_option_function<std::string>(
         "--seconds", [&args](const std::string& text) { args.seconds = to_seconds(text); },
         "how long to run")
      ->type_name("S")
      ->default_str("5")
      ->check(seconds_validator);
  app.add_option("--artifacts", args.artifacts, "artifacts to fetch")
      ->type_name("N")
      ->capture_default_str()
      ->check(count(1));
  app.add_option("--inflight", args.inflight, "fetches in flight at once")
      ->type_name("K")
      ->capture_default_str()
      ->check(count(1));
  app.add_option("--callers", args.callers, "concurrent callers of one schema")
      ->type_name("N")
      ->capture_default_str()
      ->check(count(1));
  app.add_option("--schemas", args.schemas, "schemas to hold")
      ->type_name("N")
      ->capture_default_str()
      ->check(count(1));
  app.add_option("--size", args.size, "bytes per schema")
      ->type_name("B")
      ->capture_default_str()
      ->check(count(0));
  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp&) {
    args.help = app.help();
    return args;
  } catch (const CLI::ParseError& e) {
    throw std::invalid_argument(e.what());
  }
  artifact_name(args.pattern, 1);  // rejects a bad pattern before any work
  return args;
}

}  // namespace apicurio::bench
