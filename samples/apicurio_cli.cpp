// apicurio-cli: look up or register one schema and print it as JSON. A small, complete
// example of the library: build ClientOptions, start a call, wait for its future, and turn
// each kind of apicurio::Error into an exit status.
//
//   apicurio-cli [--url URL] [--group G] get ARTIFACT [--version V]
//   apicurio-cli [--url URL] [--group G] register ARTIFACT FILE [--if-exists MODE]
//   apicurio-cli --help            (all commands and options)
#include "cli/command_line.hpp"
#include "cli/schema_json.hpp"

#include <apicurio/registry.hpp>

#include <fmt/format.h>

#include <cerrno>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <iostream>
#include <iterator>
#include <sstream>
#include <string>

namespace {

enum ExitStatus : int {
  kOk = 0,
  kFailed = 1,  // anything the other statuses do not cover
  kUsage = 2,
  kNotFound = 3,
  kRejected = 4,
  kUnreachable = 5,
  kAuthFailed = 6,
};

apicurio::ClientOptions client_options(const cli::Invocation& inv) {
  apicurio::ClientOptions options;
  options.url = inv.url;
  if (options.url.empty()) {
    const char* from_env = std::getenv("APICURIO_REGISTRY_URL");
    if (from_env != nullptr) options.url = from_env;
  }
  if (options.url.empty()) {
    throw cli::UsageError("no registry URL: pass --url or set APICURIO_REGISTRY_URL");
  }
  options.group_id = inv.group_id;
  if (inv.max_retries) options.max_retries = *inv.max_retries;
  if (inv.timeout_ms) options.request_timeout = std::chrono::milliseconds(*inv.timeout_ms);
  return options;
}

// The whole of FILE, or of stdin for "-". A file that cannot be read is a bad argument.
std::string read_schema(const std::string& file) {
  if (file == "-") {
    std::ostringstream text;
    text << std::cin.rdbuf();
    return text.str();
  }
  std::ifstream in(file, std::ios::binary);
  if (!in) {
    throw std::invalid_argument(fmt::format("cannot read {}: {}", file, std::strerror(errno)));
  }
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

apicurio::Future<apicurio::CachedSchema> start(apicurio::RegistryClient& client,
                                               const cli::Invocation& inv) {
  switch (inv.command) {
    case cli::Command::get:
      if (inv.version.empty()) return client.get_schema(inv.artifact_id);
      return client.get_schema(inv.artifact_id, inv.version);
    case cli::Command::by_global_id:
      return client.get_schema_by_global_id(inv.id);
    case cli::Command::by_content_id:
      return client.get_schema_by_content_id(inv.id);
    case cli::Command::register_schema: {
      apicurio::RegisterOptions options = inv.register_options;
      options.version = inv.version;
      return client.register_schema(inv.artifact_id, read_schema(inv.schema_file), options);
    }
    case cli::Command::help:
      break;
  }
  throw std::logic_error("start() called for --help");
}

// Prints "apicurio-cli: MESSAGE" on one line of stderr and returns `status`.
int fail(int status, std::string message) {
  for (char& c : message) {
    if (c == '\n' || c == '\r') c = ' ';
  }
  std::cerr << "apicurio-cli: " << message;
  if (status == kUsage) std::cerr << " (see apicurio-cli --help)";
  std::cerr << '\n';
  return status;
}

}  // namespace

int main(int argc, char** argv) {
  try {
    cli::Invocation inv = cli::parse_command_line(argc, argv);
    if (inv.command == cli::Command::help) {
      std::cout << cli::kUsage;
      return kOk;
    }
    apicurio::RegistryClient client(client_options(inv));
    apicurio::CachedSchema schema = start(client, inv).get();
    std::cout << cli::schema_json(schema) << '\n';
    return kOk;
  } catch (const std::invalid_argument& e) {  // cli::UsageError and bad ClientOptions
    return fail(kUsage, e.what());
  } catch (const apicurio::SchemaNotFoundError& e) {
    return fail(kNotFound, e.what());
  } catch (const apicurio::AuthenticationError& e) {  // before RegistryError: it is one
    return fail(kAuthFailed, e.what());
  } catch (const apicurio::RegistryError& e) {
    return fail(kRejected, e.what());
  } catch (const apicurio::ResponseTooLargeError& e) {
    return fail(kRejected, e.what());
  } catch (const apicurio::RegistryConnectionError& e) {
    return fail(kUnreachable, e.what());
  } catch (const std::exception& e) {
    return fail(kFailed, e.what());
  }
}
