// apicurio-emulator: the registry emulator as a standalone program, for the samples and the
// benchmark. Prints the base URL once listening; exits cleanly on SIGINT or SIGTERM.
#include <fmt/format.h>
#include <signal.h>
#include <CLI/CLI.hpp>

#include <charconv>
#include <chrono>
#include <cstdio>
#include <exception>
#include <string>
#include <vector>

#include <apicurio/testing/emulator.hpp>

namespace {

using apicurio::emulator::AuthMode;
using apicurio::emulator::Role;

// What --help ends with, which the option definitions cannot say.
constexpr const char* kFooter =
    "ROLE is admin, developer or readonly (sr-admin, ... also accepted); the secret of\n"
    "--user and --client may itself contain ':'. Prints the base URL on stdout once\n"
    "listening; stops on SIGINT or SIGTERM. Exit status: 0 stopped, 1 failed to start,\n"
    "2 usage error.";

AuthMode parse_auth(const std::string& text) {
  if (text == "basic") return AuthMode::basic;
  if (text == "bearer") return AuthMode::bearer;
  if (text == "basic_or_bearer") return AuthMode::basic_or_bearer;
  return AuthMode::none;
}

struct Account {
  std::string name, secret;
  Role role = Role::readonly;
};

// NAME:SECRET:ROLE; the secret may itself contain ':'.
bool parse_account(const std::string& text, Account& out) {
  const size_t first = text.find(':');
  const size_t last = text.rfind(':');
  if (first == std::string::npos || first == last || first == 0) return false;
  std::string role = text.substr(last + 1);
  if (role.rfind("sr-", 0) == 0) role.erase(0, 3);
  if (role == "admin")
    out.role = Role::admin;
  else if (role == "developer")
    out.role = Role::developer;
  else if (role == "readonly")
    out.role = Role::readonly;
  else
    return false;
  out.name = text.substr(0, first);
  out.secret = text.substr(first + 1, last - first - 1);
  return true;
}

// A whole number in [min, max] or an error: CLI11 2.1 would take 99999999999999999999 as
// the type's largest value, and strtoul would wrap "-1" around.
CLI::Validator number(unsigned long min, unsigned long max) {
  return CLI::Validator(
      [min, max](std::string& text) -> std::string {
        unsigned long value = 0;
        const char* end = text.data() + text.size();
        auto [stop, error] = std::from_chars(text.data(), end, value);
        if (error != std::errc() || stop != end || value < min || value > max)
          return fmt::format("wants an integer in [{}, {}], got {}", min, max, text);
        return {};
      },
      fmt::format("[{}, {}]", min, max));
}

// NAME:SECRET:ROLE; the message never quotes the text, which holds a secret.
const CLI::Validator account_validator(
    [](std::string& text) -> std::string {
      Account account;
      return parse_account(text, account) ? std::string()
                                          : "wants NAME:SECRET:ROLE with a known ROLE";
    },
    "");

}  // namespace

int main(int argc, char** argv) {
  apicurio::emulator::EmulatorOptions options;
  options.port = 8080;
  std::string preload_dir;
  apicurio::emulator::TlsOptions tls;
  std::vector<Account> users, clients;
  std::vector<std::string> user_texts, client_texts;
  std::string auth = "none";
  std::string artifact_deletion = options.artifact_deletion_enabled ? "true" : "false";
  unsigned long token_lifetime = static_cast<unsigned long>(options.token_lifetime.count());

  CLI::App app("The Apicurio Registry v3 emulator as a standalone program.", "apicurio-emulator");
  app.footer(kFooter);
  // As before CLI11: an option given twice takes its last value.
  app.option_defaults()->multi_option_policy(CLI::MultiOptionPolicy::TakeLast);
  app.add_option("--port", options.port, "port to listen on; 0 picks a free one")
      ->type_name("N")
      ->capture_default_str()
      ->check(number(0, 65535));
  app.add_option("--host", options.host, "address to listen on")
      ->type_name("H")
      ->capture_default_str();
  app.add_option("--threads", options.worker_threads, "worker threads")
      ->type_name("N")
      ->capture_default_str()
      ->check(number(1, 100000));
  app.add_option("--preload", preload_dir, "register the schemas found under DIR")
      ->type_name("DIR");
  CLI::Option* cert =
      app.add_option("--tls-cert", tls.cert_file, "serve HTTPS with this certificate (PEM)")
          ->type_name("FILE");
  CLI::Option* key =
      app.add_option("--tls-key", tls.key_file, "the certificate's private key (PEM)")
          ->type_name("FILE");
  cert->needs(key);
  key->needs(cert);
  app.add_option("--tls-client-ca", tls.client_ca_file,
                 "require client certificates signed by this CA (PEM)")
      ->type_name("FILE")
      ->needs(cert);
  app.add_option("--auth", auth, "what requests must authenticate with")
      ->type_name("MODE")
      ->capture_default_str()
      ->check(CLI::IsMember({"none", "basic", "bearer", "basic_or_bearer"}));
  app.add_option("--token-lifetime", token_lifetime,
                 "lifetime of the tokens the token endpoint issues")
      ->type_name("SECONDS")
      ->capture_default_str()
      ->check(number(0, 100000000));
  app.add_option("--user", user_texts, "an HTTP Basic account (repeatable)")
      ->type_name("NAME:SECRET:ROLE")
      ->allow_extra_args(false)
      ->check(account_validator);
  app.add_option("--client", client_texts, "an OAuth2 client-credentials client (repeatable)")
      ->type_name("ID:SECRET:ROLE")
      ->allow_extra_args(false)
      ->check(account_validator);
  app.add_option("--artifact-deletion", artifact_deletion,
                 "whether DELETE of an artifact is allowed")
      ->type_name("BOOL")
      ->capture_default_str()
      ->check(CLI::IsMember({"true", "false"}));
  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp&) {
    std::fputs(app.help().c_str(), stdout);
    return 0;
  } catch (const CLI::ParseError& e) {
    std::fprintf(stderr, "apicurio-emulator: %s\nRun with --help for more information.\n",
                 e.what());
    return 2;
  }
  options.auth = parse_auth(auth);  // one of the names --auth accepts
  options.token_lifetime = std::chrono::seconds(token_lifetime);
  options.artifact_deletion_enabled = artifact_deletion == "true";
  for (const std::string& text : user_texts)
    parse_account(text, users.emplace_back());
  for (const std::string& text : client_texts)
    parse_account(text, clients.emplace_back());

  // needs() cannot see an empty FILE.
  if (tls.cert_file.empty() != tls.key_file.empty() ||
      (tls.cert_file.empty() && !tls.client_ca_file.empty())) {
    std::fprintf(stderr, "apicurio-emulator: --tls-cert and --tls-key go together\n");
    return 2;
  }
  if (!tls.cert_file.empty()) options.tls = tls;

  // Block the signals in every thread (the server threads inherit the mask) and take them
  // synchronously here.
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);

  try {
    apicurio::emulator::Emulator emulator(options);
    for (const Account& user : users)
      emulator.add_user(user.name, user.secret, user.role);
    for (const Account& client : clients)
      emulator.add_client(client.name, client.secret, client.role);
    if (!preload_dir.empty()) {
      std::size_t added = emulator.preload(preload_dir);
      std::fprintf(stderr, "preloaded %zu versions from %s\n", added, preload_dir.c_str());
    }
    if (options.auth != AuthMode::none) {
      std::fprintf(stderr, "token endpoint: %s\n", emulator.token_url().c_str());
    }
    std::printf("%s\n", emulator.base_url().c_str());
    std::fflush(stdout);
    int received = 0;
    sigwait(&signals, &received);
    emulator.stop();
  } catch (const std::exception& error) {
    std::fprintf(stderr, "apicurio-emulator: %s\n", error.what());
    return 1;
  }
  return 0;
}
