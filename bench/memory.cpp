// memory: resident memory of N cached schemas of about B bytes, against the bytes they hold.
// The embedded registry runs in a forked child here, so the registry's own copy of the
// schemas is not in this process's resident set; the figure is the growth of this process's
// RSS from before the client exists to after it has cached every schema.
#include "bench.hpp"
#include "process_stats.hpp"
#include "windowed.hpp"

#include <malloc.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <stdexcept>

namespace apicurio::bench {

namespace {

constexpr std::size_t kInflight = 64;

// The child: a registry seeded with the schemas, serving until the parent closes `hold`.
[[noreturn]] void serve_in_child(const Args& args, int report_fd, int hold_fd) {
  int status = 0;
  try {
    Args child_args = args;
    Target target = open_target(child_args);
    prepare_artifacts(target, child_args, args.schemas, args.size);
    const std::string line = target.url + "\n";
    if (write(report_fd, line.data(), line.size()) != static_cast<ssize_t>(line.size())) {
      status = 1;
    }
    close(report_fd);
    char byte = 0;
    while (read(hold_fd, &byte, 1) > 0) {
    }
    target.embedded->stop();
  } catch (const std::exception& e) {
    std::fprintf(stderr, "memory: the registry child failed: %s\n", e.what());
    status = 1;
  }
  _exit(status);
}

// A forked registry; its url, and the pipe whose closing ends it.
struct ChildRegistry {
  pid_t pid = -1;
  int hold_fd = -1;
  std::string url;

  ~ChildRegistry() {
    if (hold_fd >= 0) close(hold_fd);
    if (pid > 0) waitpid(pid, nullptr, 0);
  }
};

void start_child(const Args& args, ChildRegistry& child) {
  int report[2], hold[2];
  if (pipe(report) != 0 || pipe(hold) != 0) throw std::runtime_error("pipe failed");
  child.pid = fork();
  if (child.pid < 0) throw std::runtime_error("fork failed");
  if (child.pid == 0) {
    close(report[0]);
    close(hold[1]);
    serve_in_child(args, report[1], hold[0]);
  }
  close(report[1]);
  close(hold[0]);
  child.hold_fd = hold[1];
  char ch = 0;
  while (read(report[0], &ch, 1) == 1 && ch != '\n')
    child.url += ch;
  close(report[0]);
  if (child.url.empty()) throw std::runtime_error("the registry child did not start");
}

}  // namespace

int run_memory(const Args& args) {
  ChildRegistry child;  // must fork before this process starts any thread
  Target target;
  target.group = args.group;
  if (args.url.empty()) {
    start_child(args, child);
    target.url = child.url;
  } else {
    target.url = args.url;
  }
  Args parent_args = args;
  parent_args.url = target.url;
  const auto artifacts = prepare_artifacts(target, parent_args, args.schemas, args.size);

  const auto count = static_cast<std::size_t>(args.schemas);
  WindowedRun run(count);
  std::vector<std::int64_t> held(count, 0);
  ClientOptions options = target.client_options();
  // Room for every schema in each cache, so that nothing is evicted and all stay cached.
  options.max_cache_entries = args.schemas + 16;

  const std::int64_t rss_before = resident_bytes();
  RegistryClient client(options);
  run.run(
      kInflight, [&](std::size_t i) { return client.get_schema(artifacts[i].name); },
      [&](std::size_t i, const CachedSchema& s) {
        held[i] = static_cast<std::int64_t>(s.schema().size());
      });
  const std::int64_t rss_after = resident_bytes();
  if (run.failures() > 0) {
    std::fprintf(stderr, "memory: %zu reads failed, the first with: %s\n", run.failures(),
                 run.first_error().c_str());
    return 1;
  }
  std::int64_t held_bytes = 0;
  for (auto bytes : held)
    held_bytes += bytes;
  const auto stats = client.stats();
  malloc_trim(0);
  std::fprintf(stderr, "memory: %llu evictions; after malloc_trim the growth is %lld bytes\n",
               static_cast<unsigned long long>(stats.evictions),
               static_cast<long long>(resident_bytes() - rss_before));

  const std::int64_t rss = rss_after - rss_before;
  Report report("memory");
  report.add("schemas", args.schemas);
  report.add("rss_bytes", rss);
  report.add("held_bytes", held_bytes);
  report.add("ratio", static_cast<double>(rss) / static_cast<double>(held_bytes));
  report.print(args.json);
  return 0;
}

}  // namespace apicurio::bench
