// apicurio-cli: look up, register or preload schemas and print the result as JSON. A small,
// complete example of the library: build ClientOptions (credentials, TLS, proxy, headers),
// start a call, wait for its future, and turn each kind of apicurio::Error into an exit
// status.
//
//   apicurio-cli [--url URL] [--group G] get ARTIFACT [--version V]
//   apicurio-cli [--url URL] [--group G] register ARTIFACT FILE [--if-exists MODE]
//   apicurio-cli [--url URL] [--token T] preload ARTIFACT...
//   apicurio-cli [--url URL] serialize ARTIFACT [--schema FILE] < records.jsonl
//   apicurio-cli [--url URL] deserialize [--reader-schema FILE] < records.hex
//   apicurio-cli --help            (all commands and options)
#include "command_line.hpp"
#include "credentials.hpp"
#include "exit_status.hpp"
#include "schema_json.hpp"
#include "serde.hpp"

#include <apicurio/registry.hpp>

#include <fmt/format.h>

#include <cerrno>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <iostream>
#include <iterator>
#include <memory>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

namespace {

apicurio::ClientOptions client_options(const cli::Invocation& inv) {
  apicurio::ClientOptions options;
  options.url = inv.url;  // --url, else $APICURIO_REGISTRY_URL
  if (options.url.empty()) {
    throw cli::UsageError("no registry URL: pass --url or set APICURIO_REGISTRY_URL");
  }
  options.group_id = inv.group_id;
  if (inv.max_retries) options.max_retries = *inv.max_retries;
  if (inv.timeout_ms) options.request_timeout = std::chrono::milliseconds(*inv.timeout_ms);
  options.auth = cli::resolve_auth(inv.credentials);
  options.tls.ca_file = inv.ca_file;
  options.tls.insecure_skip_verification = inv.insecure;
  options.transport.proxy = inv.proxy;
  options.transport.headers = inv.headers;
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

apicurio::Future<apicurio::CachedSchema> start_lookup(apicurio::RegistryClient& client,
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
    case cli::Command::find: {
      apicurio::FindOptions options;
      options.canonical = inv.canonical;
      options.artifact_type = inv.register_options.artifact_type;
      options.content_type = inv.register_options.content_type;
      return client.find_schema(inv.artifact_id, read_schema(inv.schema_file), options);
    }
    case cli::Command::preload:
    case cli::Command::serialize:
    case cli::Command::deserialize:
    case cli::Command::help:
      break;
  }
  throw std::logic_error("start_lookup() called for preload, serialize, deserialize or --help");
}

// Prints "apicurio-cli: MESSAGE" on one line of stderr, with every secret masked.
void report(const cli::Failure& failure, const std::vector<std::string>& secrets) {
  std::string message = cli::redact(failure.message, secrets);
  for (char& c : message) {
    if (c == '\n' || c == '\r') c = ' ';
  }
  std::cerr << "apicurio-cli: " << message;
  if (failure.status == cli::kBadUsage) std::cerr << " (see apicurio-cli --help)";
  std::cerr << '\n';
}

// Runs the command and prints its result on stdout; returns the exit status, or throws
// the error that ended it. A preload that fails in part still prints its report.
int run(apicurio::RegistryClient& client, const cli::Invocation& inv,
        const std::vector<std::string>& secrets) {
  if (inv.command == cli::Command::serialize || inv.command == cli::Command::deserialize) {
    // Nothing was read or written yet: unsynchronised streams read a line without a stdio
    // call per character, which large inputs notice.
    std::ios::sync_with_stdio(false);
    const std::string& file =
        inv.command == cli::Command::serialize ? inv.schema_file : inv.reader_schema_file;
    return cli::run_serde(client, inv, file.empty() ? std::string() : read_schema(file), std::cin,
                          std::cout);
  }
  if (inv.command != cli::Command::preload) {
    std::cout << cli::schema_json(start_lookup(client, inv).get()) << '\n';
    return cli::kOk;
  }
  apicurio::PreloadReport preloaded = client.preload(inv.artifact_ids).get();
  auto scrub = [&](std::string message) { return cli::redact(std::move(message), secrets); };
  std::cout << cli::preload_json(preloaded, scrub) << '\n';
  if (preloaded.ok()) return cli::kOk;
  cli::Failure first = cli::classify(preloaded.failures.front().error);
  first.message = fmt::format("{} of {} artifacts could not be preloaded; first: {}: {}",
                              preloaded.failures.size(), inv.artifact_ids.size(),
                              preloaded.failures.front().artifact_id, first.message);
  report(first, secrets);
  return first.status;
}

}  // namespace

int main(int argc, char** argv) {
  // Secrets from the environment are known at once; those on the command line once parsed.
  std::vector<std::string> secrets = cli::secret_values({});
  std::unique_ptr<apicurio::RegistryClient> client;
  bool print_stats = false;
  int status = cli::kOk;
  try {
    cli::Invocation inv = cli::parse_command_line(argc, argv);
    secrets = cli::secret_values(inv.credentials);
    if (inv.command == cli::Command::help) {
      std::cout << inv.help;
      return cli::kOk;
    }
    print_stats = inv.stats;
    cli::check_serde_available(inv);
    client = std::make_unique<apicurio::RegistryClient>(client_options(inv));
    status = run(*client, inv, secrets);
  } catch (...) {
    cli::Failure failure = cli::classify(std::current_exception());
    report(failure, secrets);
    status = failure.status;
  }
  if (print_stats && client) std::cerr << apicurio::to_json(client->metrics()) << '\n';
  return status;
}
