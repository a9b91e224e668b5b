// apicurio-cli's command line: which command to run and with which options, parsed by CLI11
// from one definition that also generates --help.
#pragma once

#include <apicurio/errors.hpp>
#include <apicurio/options.hpp>

#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

namespace cli {

enum class Command {
  help,
  get,
  by_global_id,
  by_content_id,
  register_schema,
  find,
  preload,
  serialize,
  deserialize
};

/// serialize: what ARTIFACT names. `artifact`: the artifact itself, in --group; the others
/// make it a Kafka topic that the artifact strategy of that name maps to an artifact.
enum class StrategyName { artifact, topic, simple_topic, topic_record, record, qualified_record };

/// serialize and deserialize: where the id goes. `detect` (deserialize's default): the id
/// header when the line has one, else the confluent4 frame.
enum class IdFraming { detect, confluent4, legacy8, optimistic, headers };

/// Credentials as given on the command line; unset when the option was absent. The
/// environment fills the gaps later (see credentials.hpp).
struct CredentialOptions {
  std::optional<std::string> user, password;                       // Basic
  std::optional<std::string> token;                                // Bearer
  std::optional<std::string> token_url, client_id, client_secret;  // OAuth2
  std::optional<std::string> scope;
};

/// A parsed command line. Fields a command does not use keep their defaults.
struct Invocation {
  Command command = Command::help;
  /// For Command::help: the text to print.
  std::string help;

  // Global options. An empty url means neither --url nor $APICURIO_REGISTRY_URL was given.
  std::string url;
  std::string group_id = "default";
  std::optional<std::int64_t> max_retries;
  std::optional<std::int64_t> timeout_ms;
  CredentialOptions credentials;
  std::string ca_file;
  bool insecure = false;
  std::string proxy;
  std::vector<std::pair<std::string, std::string>> headers;  // in the order given
  bool stats = false;

  // get and register
  std::string artifact_id;
  std::string version;
  // by-global-id and by-content-id
  std::int64_t id = -1;
  // register and find: a path, or "-" for stdin
  std::string schema_file;
  // register; find takes its --type and --content-type from here
  apicurio::RegisterOptions register_options;
  // find
  bool canonical = false;
  // preload: one or more
  std::vector<std::string> artifact_ids;
  // serialize (artifact_id is ARTIFACT or the topic; schema_file --schema, empty if absent)
  // and deserialize
  StrategyName strategy = StrategyName::artifact;
  bool key = false;
  bool auto_register = false;
  apicurio::IdKind id_kind = apicurio::IdKind::content_id;
  IdFraming framing = IdFraming::detect;
  std::string reader_schema_file;
};

/// The command line asks for something the tool cannot do; what() says what was wrong.
class UsageError : public std::invalid_argument {
 public:
  using std::invalid_argument::invalid_argument;
};

/// Parses argv[1..argc). Global options may come before or after the command word, as
/// `--name value` or `--name=value` (flags take no value); a command's own options come after
/// it; `--` ends the options. A repeated option keeps its last value, except --header, which
/// adds one header each time. --url defaults to $APICURIO_REGISTRY_URL. -h or --help anywhere
/// gives Command::help with the generated text. Any thread; never blocks; throws UsageError,
/// whose message never holds a credential value.
Invocation parse_command_line(int argc, const char* const* argv);

}  // namespace cli
