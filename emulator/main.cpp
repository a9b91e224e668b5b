// apicurio-emulator: the registry emulator as a standalone program, for the samples and the
// benchmark. Prints the base URL once listening; exits cleanly on SIGINT or SIGTERM.
#include <fmt/format.h>
#include <signal.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <exception>
#include <string>
#include <vector>

#include <apicurio/testing/emulator.hpp>

namespace {

using apicurio::emulator::AuthMode;
using apicurio::emulator::Role;

void usage() {
  std::fprintf(stderr,
               "usage: apicurio-emulator [--port N] [--host H] [--threads N] [--preload DIR]\n"
               "         [--tls-cert FILE --tls-key FILE [--tls-client-ca FILE]]\n"
               "         [--auth none|basic|bearer|basic_or_bearer] [--token-lifetime SECONDS]\n"
               "         [--user NAME:PASSWORD:ROLE]... [--client ID:SECRET:ROLE]...\n"
               "         [--artifact-deletion true|false]\n"
               "       ROLE is admin, developer or readonly (sr-admin, ... also accepted)\n");
}

bool parse_auth(const std::string& text, AuthMode& out) {
  if (text == "none")
    out = AuthMode::none;
  else if (text == "basic")
    out = AuthMode::basic;
  else if (text == "bearer")
    out = AuthMode::bearer;
  else if (text == "basic_or_bearer")
    out = AuthMode::basic_or_bearer;
  else
    return false;
  return true;
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

bool parse_number(const char* text, unsigned long max, unsigned long& out) {
  char* end = nullptr;
  out = std::strtoul(text, &end, 10);
  return end != text && *end == '\0' && out <= max;
}

}  // namespace

int main(int argc, char** argv) {
  apicurio::emulator::EmulatorOptions options;
  options.port = 8080;
  std::string preload_dir;
  apicurio::emulator::TlsOptions tls;
  std::vector<Account> users, clients;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    if (i + 1 >= argc) {
      usage();
      return 2;
    }
    const char* value = argv[++i];
    unsigned long number = 0;
    if (arg == "--port" && parse_number(value, 65535, number)) {
      options.port = static_cast<std::uint16_t>(number);
    } else if (arg == "--threads" && parse_number(value, 100000, number) && number > 0) {
      options.worker_threads = number;
    } else if (arg == "--host") {
      options.host = value;
    } else if (arg == "--preload") {
      preload_dir = value;
    } else if (arg == "--tls-cert") {
      tls.cert_file = value;
    } else if (arg == "--tls-key") {
      tls.key_file = value;
    } else if (arg == "--tls-client-ca") {
      tls.client_ca_file = value;
    } else if (arg == "--auth" && parse_auth(value, options.auth)) {
    } else if (arg == "--token-lifetime" && parse_number(value, 100000000, number)) {
      options.token_lifetime = std::chrono::seconds(number);
    } else if (arg == "--user" && parse_account(value, users.emplace_back())) {
    } else if (arg == "--client" && parse_account(value, clients.emplace_back())) {
    } else if (arg == "--artifact-deletion" &&
               (std::strcmp(value, "true") == 0 || std::strcmp(value, "false") == 0)) {
      options.artifact_deletion_enabled = std::strcmp(value, "true") == 0;
    } else {
      usage();
      return 2;
    }
  }

  if (tls.cert_file.empty() != tls.key_file.empty() ||
      (tls.cert_file.empty() && !tls.client_ca_file.empty())) {
    std::fprintf(stderr, "apicurio-emulator: --tls-cert and --tls-key go together\n");
    usage();
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
