// apicurio-cli's command line: which command to run and with which options.
#pragma once

#include <apicurio/options.hpp>

#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>

namespace cli {

/// The text --help prints.
extern const char* const kUsage;

enum class Command { help, get, by_global_id, by_content_id, register_schema };

/// A parsed command line. Fields a command does not use keep their defaults.
struct Invocation {
  Command command = Command::help;

  // Global options. An empty url means --url was not given.
  std::string url;
  std::string group_id = "default";
  std::optional<std::int64_t> max_retries;
  std::optional<std::int64_t> timeout_ms;

  // get and register
  std::string artifact_id;
  std::string version;
  // by-global-id and by-content-id
  std::int64_t id = -1;
  // register: a path, or "-" for stdin
  std::string schema_file;
  apicurio::RegisterOptions register_options;
};

/// The command line asks for something the tool cannot do; what() says what was wrong.
class UsageError : public std::invalid_argument {
 public:
  using std::invalid_argument::invalid_argument;
};

/// Parses argv[1..argc). Options may come before or after the command word, as
/// `--name value` or `--name=value`; `--` ends the options. Any thread; never blocks;
/// throws UsageError.
Invocation parse_command_line(int argc, const char* const* argv);

}  // namespace cli
