#include "command_line.hpp"

#include <fmt/format.h>
#include <CLI/CLI.hpp>

#include <charconv>
#include <map>
#include <memory>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

namespace cli {

namespace {

// What --help ends with: what each command prints and the exit statuses, which the option
// definitions cannot say.
constexpr const char* kFooter =
    R"(get, by-global-id, by-content-id and register print the schema and its registry
ids as one JSON object on stdout. register reads the schema from FILE, or from
stdin when FILE is "-". find prints the newest version of ARTIFACT (not DISABLED)
whose content is FILE's, registering nothing; with --canonical, the text the
registry stores. preload fetches the latest version of each artifact and
prints {"cached":[...],"failures":[{"artifact_id":...,"error":...}]}.

serialize reads one record a line on stdin, in Avro's JSON encoding, and writes
one framed record a line in hex: with ARTIFACT's latest version, or with the
version whose content is --schema FILE (--auto-register: registered if none).
With --strategy, ARTIFACT is a Kafka topic and the strategy names the artifact.
--framing headers writes NAME=HEX<TAB>PAYLOAD, NAME the id header. deserialize
reads such lines and writes JSON lines. Blank lines are skipped; the first bad
line stops either, naming the line; the lines before it were written.

Credentials: one kind at most (Basic, bearer token or OAuth2 client credentials);
each option defaults to its environment variable, and when any option of a kind
is given the environment only completes that kind.

exit status: 0 ok, 2 usage error, 3 not found, 4 rejected by the registry,
5 registry unreachable or timed out, 6 authentication failed, 7 record does not
match its schema or is malformed (serialize, deserialize); preload exits with the
status of its first failure)";

// Help that starts with one usage line per command, written from the commands' own
// positionals and options, so it cannot drift from what the parser accepts.
class Formatter : public CLI::Formatter {
 public:
  std::string make_usage(const CLI::App* app, std::string name) const override {
    std::ostringstream out;
    if (app->get_parent() != nullptr) return {};
    out << "usage:\n";
    for (const CLI::App* command : app->get_subcommands({})) {
      out << "  " << name << " [OPTIONS] " << command->get_name();
      for (const CLI::Option* option : command->get_options()) {
        if (option->get_positional()) out << ' ' << make_option_usage(option);
      }
      for (const CLI::Option* option : command->get_options()) {
        if (option->nonpositional()) {
          out << " [" << option->get_name() << ' ' << option->get_type_name() << ']';
        }
      }
      out << '\n';
    }
    return out.str();
  }
};

// NAME:VALUE, split at the first ':', with one space after it dropped. The text may be a
// credential, so messages never quote it.
std::pair<std::string, std::string> parse_header(const std::string& text) {
  std::size_t colon = text.find(':');
  if (colon == std::string::npos) throw UsageError("--header needs NAME:VALUE; there is no ':'");
  if (colon == 0) throw UsageError("--header needs NAME:VALUE; the name is empty");
  std::size_t value_start = colon + 1;
  if (value_start < text.size() && text[value_start] == ' ') ++value_start;
  return {text.substr(0, colon), text.substr(value_start)};
}

// A whole int64 or an error: CLI11 2.1 takes 99999999999999999999 as INT64_MAX.
CLI::Validator integer(bool non_negative) {
  return CLI::Validator(
      [non_negative](std::string& text) -> std::string {
        std::int64_t value = 0;
        const char* end = text.data() + text.size();
        auto [stop, error] = std::from_chars(text.data(), end, value);
        if (error != std::errc() || stop != end) return "not a 64-bit integer: " + text;
        if (non_negative && value < 0) return "must not be negative, got " + text;
        return {};
      },
      non_negative ? "INT>=0" : "INT");
}

// A string option that keeps its value in an optional: set means given on the command line.
CLI::Option* add_optional(CLI::App& app, const std::string& name, std::optional<std::string>& to,
                          const std::string& type, const std::string& description) {
  return app
      .add_option_function<std::string>(
          name, [&to](const std::string& value) { to = value; }, description)
      ->type_name(type);
}

template <class T>
using Choices = std::vector<std::pair<std::string, T>>;

// An option whose value is one of `choices`' names, stored as the value it maps to. Ours
// rather than CLI::CheckedTransformer, whose message would list the enum's numbers.
template <class T>
CLI::Option* add_choice(CLI::App& app, const std::string& name, T& to, Choices<T> choices,
                        const std::string& description) {
  std::vector<std::string> names;
  for (const auto& choice : choices)
    names.push_back(choice.first);
  std::string type = names.front();
  for (std::size_t i = 1; i < names.size(); ++i)
    type += '|' + names[i];
  return app
      .add_option_function<std::string>(
          name,
          [&to, choices](const std::string& value) {
            for (const auto& [choice_name, choice] : choices) {
              if (choice_name == value) to = choice;
            }
          },
          description)
      ->type_name(type)
      ->check(CLI::IsMember(names).description(""));
}

// The parser and what it fills in. Built anew for each parse: CLI11 apps keep state.
struct Parser {
  CLI::App app{"", "apicurio-cli"};
  Invocation inv;
  std::vector<std::string> headers;
  std::map<Command, CLI::App*> commands;

  Parser() {
    app.formatter(std::make_shared<Formatter>());
    app.footer(kFooter);
    app.set_help_flag();
    app.set_help_all_flag("-h,--help", "print this text");
    app.require_subcommand(1);
    app.option_defaults()->multi_option_policy(CLI::MultiOptionPolicy::TakeLast);
    add_global_options();
    add_credential_options();
    add_commands();
  }

  void add_global_options() {
    app.add_option("--url", inv.url, "registry v3 base URL, e.g. http://host:8080/apis/registry/v3")
        ->type_name("URL")
        ->envname("APICURIO_REGISTRY_URL");
    app.add_option("--group", inv.group_id, "artifact group (default: \"default\")")
        ->type_name("G");
    app.add_option_function<std::int64_t>(
           "--max-retries", [this](std::int64_t n) { inv.max_retries = n; },
           "retries after transport errors and 429/502/503/504 (default: 3)")
        ->type_name("N")
        ->check(integer(false));
    app.add_option_function<std::int64_t>(
           "--timeout-ms", [this](std::int64_t n) { inv.timeout_ms = n; },
           "time allowed for one HTTP request (default: 30000)")
        ->type_name("N")
        ->check(integer(false));
    app.add_flag("--stats", inv.stats, "print the client's metrics as one line of JSON on stderr")
        ->disable_flag_override();
    app.add_option("--cacert", inv.ca_file,
                   "trust the CA certificates in FILE (PEM) instead of the system's")
        ->type_name("FILE");
    app.add_flag("--insecure", inv.insecure, "do not verify the server's certificate (tests only)")
        ->disable_flag_override();
    app.add_option("--proxy", inv.proxy,
                   "send every request through this proxy, e.g. http://proxy:3128")
        ->type_name("URL");
    app.add_option("--header", headers,
                   "add the header N with value V to every request (repeatable)")
        ->type_name("N:V")
        ->multi_option_policy(CLI::MultiOptionPolicy::TakeAll)
        ->allow_extra_args(false);
  }

  // The environment is read later (credentials.cpp): it completes the kind the command
  // line names, which CLI11's envname cannot express.
  void add_credential_options() {
    CredentialOptions& c = inv.credentials;
    const std::string group = "Credentials";
    std::vector<CLI::Option*> basic = {
        add_optional(app, "--user", c.user, "U", "HTTP Basic user ($APICURIO_USER)"),
        add_optional(app, "--password", c.password, "P",
                     "HTTP Basic password ($APICURIO_PASSWORD)")};
    std::vector<CLI::Option*> bearer = {
        add_optional(app, "--token", c.token, "T", "bearer token ($APICURIO_TOKEN)")};
    std::vector<CLI::Option*> oauth = {
        add_optional(app, "--oauth-token-url", c.token_url, "URL",
                     "OAuth2 token endpoint ($APICURIO_OAUTH_TOKEN_URL)"),
        add_optional(app, "--client-id", c.client_id, "ID",
                     "OAuth2 client id ($APICURIO_CLIENT_ID)"),
        add_optional(app, "--client-secret", c.client_secret, "S",
                     "OAuth2 client secret ($APICURIO_CLIENT_SECRET)"),
        add_optional(app, "--scope", c.scope, "SC", "OAuth2 scope ($APICURIO_SCOPE)")};
    for (const auto* kind : {&basic, &bearer, &oauth}) {
      for (CLI::Option* option : *kind) {
        option->group(group);
        for (const auto* other : {&basic, &bearer, &oauth}) {
          if (other == kind) continue;
          for (CLI::Option* excluded : *other)
            option->excludes(excluded);
        }
      }
    }
  }

  CLI::App* add_command(Command command, const std::string& name, const std::string& what) {
    CLI::App* sub = app.add_subcommand(name, what);
    // Global options may follow the command word; --help anywhere prints the whole text.
    sub->fallthrough();
    sub->set_help_all_flag();
    commands[command] = sub;
    return sub;
  }

  void add_commands() {
    CLI::App* get = add_command(Command::get, "get", "print ARTIFACT's latest or given version");
    get->add_option("ARTIFACT", inv.artifact_id, "artifact id")->required();
    get->add_option("--version", inv.version, "the version to print")->type_name("V");

    for (auto [command, name, what] :
         {std::tuple{Command::by_global_id, "by-global-id", "print the version with global id N"},
          std::tuple{Command::by_content_id, "by-content-id", "print the content with id N"}}) {
      add_command(command, name, what)
          ->add_option("N", inv.id, "the id")
          ->required()
          ->check(integer(true));
    }

    CLI::App* reg = add_command(Command::register_schema, "register",
                                "register FILE (\"-\": stdin) as a version of ARTIFACT");
    reg->add_option("ARTIFACT", inv.artifact_id, "artifact id")->required();
    reg->add_option("FILE", inv.schema_file, "the schema, \"-\" for stdin")->required();
    const std::map<std::string, apicurio::IfExists> modes = {
        {"FAIL", apicurio::IfExists::fail},
        {"CREATE_VERSION", apicurio::IfExists::create_version},
        {"FIND_OR_CREATE_VERSION", apicurio::IfExists::find_or_create_version}};
    reg->add_option("--if-exists", inv.register_options.if_exists,
                    "what to do when ARTIFACT exists (default: FIND_OR_CREATE_VERSION)")
        ->type_name("MODE")
        ->transform(CLI::CheckedTransformer(modes, CLI::ignore_case).description(""));
    reg->add_option("--type", inv.register_options.artifact_type, "artifact type (default: AVRO)")
        ->type_name("TYPE");
    reg->add_option("--content-type", inv.register_options.content_type,
                    "content type (default: application/json)")
        ->type_name("CT");
    reg->add_option("--version", inv.version, "the new version's name")->type_name("V");

    CLI::App* find = add_command(Command::find, "find",
                                 "print the version of ARTIFACT whose content is FILE (\"-\": "
                                 "stdin), without registering");
    find->add_option("ARTIFACT", inv.artifact_id, "artifact id")->required();
    find->add_option("FILE", inv.schema_file, "the schema, \"-\" for stdin")->required();
    find->add_flag("--canonical", inv.canonical,
                   "compare the artifact type's canonical form (Avro: docs, names)");
    find->add_option("--type", inv.register_options.artifact_type, "artifact type (default: AVRO)")
        ->type_name("TYPE");
    find->add_option("--content-type", inv.register_options.content_type,
                     "content type (default: application/json)")
        ->type_name("CT");

    add_command(Command::preload, "preload", "fetch and cache the latest version of each ARTIFACT")
        ->add_option("ARTIFACT", inv.artifact_ids, "artifact ids")
        ->required();

    add_serde_commands();
  }

  void add_serde_commands() {
    const Choices<apicurio::IdKind> id_kinds = {{"content", apicurio::IdKind::content_id},
                                                {"global", apicurio::IdKind::global_id}};
    Choices<IdFraming> framings = {{"confluent4", IdFraming::confluent4},
                                   {"legacy8", IdFraming::legacy8},
                                   {"headers", IdFraming::headers}};

    CLI::App* ser = add_command(Command::serialize, "serialize",
                                "JSON lines on stdin to framed records in hex, one a line");
    ser->add_option("ARTIFACT", inv.artifact_id, "artifact id; with --strategy, the topic")
        ->required();
    CLI::Option* schema =
        ser->add_option("--schema", inv.schema_file,
                        "write with the version whose content is FILE (default: the latest)")
            ->type_name("FILE");
    ser->add_option("--version", inv.version, "write with version V (default: the latest)")
        ->type_name("V")
        ->excludes(schema);
    ser->add_flag("--auto-register", inv.auto_register,
                  "register --schema FILE when no version has its content")
        ->disable_flag_override();
    add_choice(*ser, "--strategy", inv.strategy,
               {{"topic", StrategyName::topic},
                {"simple-topic", StrategyName::simple_topic},
                {"topic-record", StrategyName::topic_record},
                {"record", StrategyName::record},
                {"qualified-record", StrategyName::qualified_record}},
               "ARTIFACT is a topic, mapped to the artifact as Java's strategies do");

    CLI::App* de = add_command(Command::deserialize, "deserialize",
                               "framed records in hex on stdin to JSON lines");
    de->add_option("--reader-schema", inv.reader_schema_file,
                   "resolve records to this schema (drops fields, promotes int to long, ...)")
        ->type_name("FILE");

    for (CLI::App* command : {ser, de}) {
      command->add_flag("--key", inv.key, "the record's key: apicurio.key.* header, {topic}-key")
          ->disable_flag_override();
      add_choice(*command, "--id", inv.id_kind, id_kinds,
                 "which id the record carries (default: content)");
      if (command == de) framings.insert(framings.end() - 1, {"optimistic", IdFraming::optimistic});
      add_choice(*command, "--framing", inv.framing, framings,
                 command == ser ? "where the id goes (default: confluent4)"
                                : "where the id is (default: the id header if the line has one, "
                                  "else confluent4)");
    }
  }

  // What the option definitions cannot say: options that need one another.
  static void check_serde_options(const Invocation& inv) {
    if (inv.command != Command::serialize && inv.command != Command::deserialize) return;
    if (inv.schema_file == "-" || inv.reader_schema_file == "-") {
      throw UsageError("stdin holds the records: the schema must come from a file");
    }
    if (inv.command != Command::serialize) return;
    if (inv.schema_file.empty() && inv.auto_register) {
      throw UsageError("serialize --auto-register needs --schema FILE");
    }
    const bool reads_name = inv.strategy == StrategyName::topic_record ||
                            inv.strategy == StrategyName::record ||
                            inv.strategy == StrategyName::qualified_record;
    if (inv.schema_file.empty() && reads_name) {
      throw UsageError("serialize --strategy " +
                       std::string(inv.strategy == StrategyName::record
                                       ? "record"
                                       : "topic-record or qualified-record") +
                       " takes the record's name from --schema FILE, which is missing");
    }
  }
};

}  // namespace

Invocation parse_command_line(int argc, const char* const* argv) {
  Parser parser;
  try {
    parser.app.parse(argc, argv);
  } catch (const CLI::CallForAllHelp&) {
    // A fresh parser: once a command word is parsed, CLI11's help() describes that command.
    Invocation help;
    help.help = Parser().app.help("", CLI::AppFormatMode::All);
    return help;
  } catch (const CLI::ParseError& e) {
    // CLI11 names options and the arguments it did not expect; values of known options,
    // credentials among them, never appear in its messages.
    throw UsageError(e.what());
  }
  Invocation inv = std::move(parser.inv);
  for (const auto& [command, sub] : parser.commands) {
    if (sub->parsed()) inv.command = command;
  }
  for (const std::string& header : parser.headers)
    inv.headers.push_back(parse_header(header));
  if (inv.command == Command::serialize && inv.framing == IdFraming::detect) {
    inv.framing = IdFraming::confluent4;
  }
  Parser::check_serde_options(inv);
  return inv;
}

}  // namespace cli
