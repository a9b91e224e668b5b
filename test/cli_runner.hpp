// Runs apicurio-cli (its path in $APICURIO_CLI) as a program, for the CLI's end-to-end tests.
#pragma once

#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <cstdlib>
#include <fstream>
#include <iterator>
#include <optional>
#include <string>
#include <vector>

extern char** environ;

namespace cli_test {

// A file under /tmp that is removed with the object.
class TempFile {
 public:
  explicit TempFile(const std::string& content) {
    char name[] = "/tmp/apicurio-cli-test-XXXXXX";
    int fd = ::mkstemp(name);
    REQUIRE(fd >= 0);
    ::close(fd);
    path_ = name;
    std::ofstream(path_, std::ios::binary) << content;
  }
  ~TempFile() { ::unlink(path_.c_str()); }
  TempFile(const TempFile&) = delete;
  TempFile& operator=(const TempFile&) = delete;

  const std::string& path() const { return path_; }
  std::string read() const {
    std::ifstream in(path_, std::ios::binary);
    return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
  }

 private:
  std::string path_;
};

struct CliRun {
  int status = -1;  // the exit status, -1 if the process did not exit normally
  std::string out;
  std::string err;
};

// Runs the CLI with `args`, `input` on its stdin, $APICURIO_REGISTRY_URL set to `env_url`
// and the "NAME=VALUE" entries of `env` added; no other APICURIO_* variable reaches it,
// whatever the test's own environment says.
inline CliRun run_cli(const std::vector<std::string>& args, const std::string& input = "",
                      const std::optional<std::string>& env_url = std::nullopt,
                      const std::vector<std::string>& env = {}) {
  const char* cli = std::getenv("APICURIO_CLI");
  REQUIRE(cli != nullptr);

  std::vector<std::string> env_strings;
  for (char** e = environ; *e != nullptr; ++e) {
    if (std::string(*e).rfind("APICURIO_", 0) != 0) env_strings.emplace_back(*e);
  }
  if (env_url) env_strings.push_back("APICURIO_REGISTRY_URL=" + *env_url);
  env_strings.insert(env_strings.end(), env.begin(), env.end());
  std::vector<char*> envp;
  for (auto& s : env_strings)
    envp.push_back(s.data());
  envp.push_back(nullptr);

  std::vector<std::string> arg_strings{cli};
  arg_strings.insert(arg_strings.end(), args.begin(), args.end());
  std::vector<char*> argv;
  for (auto& s : arg_strings)
    argv.push_back(s.data());
  argv.push_back(nullptr);

  // Files rather than pipes: nothing can fill up and block either side.
  TempFile in(input), out(""), err("");
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 0, in.path().c_str(), O_RDONLY, 0);
  posix_spawn_file_actions_addopen(&actions, 1, out.path().c_str(), O_WRONLY | O_TRUNC, 0);
  posix_spawn_file_actions_addopen(&actions, 2, err.path().c_str(), O_WRONLY | O_TRUNC, 0);
  pid_t pid = 0;
  int spawned = posix_spawn(&pid, cli, &actions, nullptr, argv.data(), envp.data());
  posix_spawn_file_actions_destroy(&actions);
  REQUIRE(spawned == 0);
  int wait_status = 0;
  REQUIRE(::waitpid(pid, &wait_status, 0) == pid);

  CliRun run;
  run.status = WIFEXITED(wait_status) ? WEXITSTATUS(wait_status) : -1;
  run.out = out.read();
  run.err = err.read();
  return run;
}

}  // namespace cli_test
