// apicurio-emulator: the registry emulator as a standalone program, for the samples and the
// benchmark. Prints the base URL once listening; exits cleanly on SIGINT or SIGTERM.
#include <fmt/format.h>
#include <signal.h>

#include <cstdio>
#include <cstdlib>
#include <exception>
#include <string>

#include "emulator.hpp"

namespace {

void usage() {
  std::fprintf(stderr,
               "usage: apicurio-emulator [--port N] [--host H] [--threads N] [--preload DIR]\n");
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
    } else {
      usage();
      return 2;
    }
  }

  // Block the signals in every thread (the server threads inherit the mask) and take them
  // synchronously here.
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);

  try {
    apicurio::emulator::Emulator emulator(options);
    if (!preload_dir.empty()) {
      std::size_t added = emulator.preload(preload_dir);
      std::fprintf(stderr, "preloaded %zu versions from %s\n", added, preload_dir.c_str());
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
