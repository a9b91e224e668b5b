#include "command_line.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <string_view>
#include <utility>
#include <vector>

namespace cli {

namespace {

struct CommandSpec {
  Command command;
  std::string_view name;
  // The positional arguments after the command word, as the usage text names them.
  std::vector<std::string_view> operands;
  // The options this command accepts besides the global ones.
  std::vector<std::string_view> options;
  // The last operand may repeat.
  bool variadic = false;
};

const std::vector<CommandSpec> kCommands = {
    {Command::get, "get", {"ARTIFACT"}, {"--version"}},
    {Command::by_global_id, "by-global-id", {"N"}, {}},
    {Command::by_content_id, "by-content-id", {"N"}, {}},
    {Command::register_schema,
     "register",
     {"ARTIFACT", "FILE"},
     {"--version", "--if-exists", "--type", "--content-type"}},
    {Command::preload, "preload", {"ARTIFACT..."}, {}, true},
};

const std::vector<std::string_view> kGlobalOptions = {
    "--url",      "--group",  "--max-retries",     "--timeout-ms", "--user",
    "--password", "--token",  "--oauth-token-url", "--client-id",  "--client-secret",
    "--scope",    "--cacert", "--proxy",           "--header"};

// Options that take no value.
const std::vector<std::string_view> kFlags = {"--insecure", "--stats"};

bool contains(const std::vector<std::string_view>& names, std::string_view name) {
  return std::find(names.begin(), names.end(), name) != names.end();
}

bool is_known_option(std::string_view name) {
  return contains(kGlobalOptions, name) || contains(kFlags, name) ||
         std::any_of(kCommands.begin(), kCommands.end(),
                     [&](const CommandSpec& c) { return contains(c.options, name); });
}

const CommandSpec& find_command(const std::string& word) {
  for (const auto& spec : kCommands) {
    if (spec.name == word) return spec;
  }
  throw UsageError(fmt::format("unknown command \"{}\"", word));
}

std::int64_t parse_integer(std::string_view what, const std::string& text) {
  std::int64_t value = 0;
  const char* end = text.data() + text.size();
  auto [stop, error] = std::from_chars(text.data(), end, value);
  if (error != std::errc() || stop != end) {
    throw UsageError(fmt::format("{} must be an integer, not \"{}\"", what, text));
  }
  return value;
}

std::int64_t parse_id(const std::string& text) {
  std::int64_t id = parse_integer("N", text);
  if (id < 0) throw UsageError(fmt::format("N must not be negative, got {}", id));
  return id;
}

apicurio::IfExists parse_if_exists(std::string mode) {
  std::transform(mode.begin(), mode.end(), mode.begin(),
                 [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
  if (mode == "FAIL") return apicurio::IfExists::fail;
  if (mode == "CREATE_VERSION") return apicurio::IfExists::create_version;
  if (mode == "FIND_OR_CREATE_VERSION") return apicurio::IfExists::find_or_create_version;
  throw UsageError(fmt::format(
      "--if-exists must be FAIL, CREATE_VERSION or FIND_OR_CREATE_VERSION, not \"{}\"", mode));
}

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

// The global options of connection and credentials; false if `name` is none of them.
bool apply_connection_option(Invocation& inv, const std::string& name, const std::string& value) {
  CredentialOptions& c = inv.credentials;
  if (name == "--user") {
    c.user = value;
  } else if (name == "--password") {
    c.password = value;
  } else if (name == "--token") {
    c.token = value;
  } else if (name == "--oauth-token-url") {
    c.token_url = value;
  } else if (name == "--client-id") {
    c.client_id = value;
  } else if (name == "--client-secret") {
    c.client_secret = value;
  } else if (name == "--scope") {
    c.scope = value;
  } else if (name == "--cacert") {
    inv.ca_file = value;
  } else if (name == "--insecure") {
    inv.insecure = true;
  } else if (name == "--proxy") {
    inv.proxy = value;
  } else if (name == "--header") {
    inv.headers.push_back(parse_header(value));
  } else if (name == "--stats") {
    inv.stats = true;
  } else {
    return false;
  }
  return true;
}

void apply_option(Invocation& inv, const CommandSpec& command, const std::string& name,
                  const std::string& value) {
  if (apply_connection_option(inv, name, value)) return;
  if (name == "--url") {
    inv.url = value;
  } else if (name == "--group") {
    inv.group_id = value;
  } else if (name == "--max-retries") {
    inv.max_retries = parse_integer(name, value);
  } else if (name == "--timeout-ms") {
    inv.timeout_ms = parse_integer(name, value);
  } else if (!contains(command.options, name)) {
    throw UsageError(fmt::format("{} does not take the option {}", command.name, name));
  } else if (name == "--version") {
    inv.version = value;
  } else if (name == "--if-exists") {
    inv.register_options.if_exists = parse_if_exists(value);
  } else if (name == "--type") {
    inv.register_options.artifact_type = value;
  } else if (name == "--content-type") {
    inv.register_options.content_type = value;
  }
}

}  // namespace

Invocation parse_command_line(int argc, const char* const* argv) {
  std::vector<std::string> words;                            // the command word and its operands
  std::vector<std::pair<std::string, std::string>> options;  // applied in order: the last wins
  bool options_ended = false;
  for (int i = 1; i < argc; ++i) {
    std::string arg = argv[i];
    if (options_ended || arg == "-" || arg.empty() || arg[0] != '-') {
      words.push_back(arg);
      continue;
    }
    if (arg == "--") {
      options_ended = true;
      continue;
    }
    if (arg == "--help" || arg == "-h") return Invocation{};

    std::size_t equals = arg.find('=');
    std::string name = arg.substr(0, equals);
    if (!is_known_option(name)) throw UsageError(fmt::format("unknown option {}", name));
    if (contains(kFlags, name)) {
      if (equals != std::string::npos) throw UsageError(fmt::format("{} takes no value", name));
      options.emplace_back(name, "");
    } else if (equals != std::string::npos) {
      options.emplace_back(name, arg.substr(equals + 1));
    } else if (i + 1 < argc) {
      options.emplace_back(name, argv[++i]);
    } else {
      throw UsageError(fmt::format("option {} needs a value", name));
    }
  }

  if (words.empty()) throw UsageError("no command given");
  const CommandSpec& command = find_command(words[0]);
  std::size_t wanted = command.operands.size() + 1;
  if (words.size() < wanted) {
    throw UsageError(fmt::format("{} needs {}", command.name, fmt::join(command.operands, " ")));
  }
  if (words.size() > wanted && !command.variadic) {
    throw UsageError(fmt::format("unexpected argument \"{}\" after {} {}", words[wanted],
                                 command.name, fmt::join(command.operands, " ")));
  }

  Invocation inv;
  inv.command = command.command;
  for (const auto& [name, value] : options)
    apply_option(inv, command, name, value);
  switch (command.command) {
    case Command::get:
      inv.artifact_id = words[1];
      break;
    case Command::by_global_id:
    case Command::by_content_id:
      inv.id = parse_id(words[1]);
      break;
    case Command::register_schema:
      inv.artifact_id = words[1];
      inv.schema_file = words[2];
      break;
    case Command::preload:
      inv.artifact_ids.assign(words.begin() + 1, words.end());
      break;
    case Command::help:
      break;
  }
  return inv;
}

}  // namespace cli
