// idle: the CPU an idle client burns. The client's own threads are the ones that appear in
// /proc/self/task when it is built; their scheduler run time over S seconds of idleness is the
// figure. As a cross-check (on stderr), the whole process's CPU time over S seconds with the
// client, minus the same without one, which also absorbs the embedded registry's idle cost.
#include "bench.hpp"
#include "process_stats.hpp"

#include <apicurio/registry.hpp>

#include <chrono>
#include <cstdio>
#include <thread>

namespace apicurio::bench {

namespace {

std::int64_t process_cpu_over(double seconds) {
  const std::int64_t before = process_cpu_ns();
  std::this_thread::sleep_for(std::chrono::duration<double>(seconds));
  return process_cpu_ns() - before;
}

}  // namespace

int run_idle(const Args& args, Target& target) {
  const auto artifacts = prepare_artifacts(target, args, 1);
  const std::int64_t without_client = process_cpu_over(args.seconds);

  const std::set<long> before = thread_ids();
  RegistryClient client(target.client_options());
  // One call, so the client has a connection open and its pool started, as a real one would.
  client.get_schema(artifacts[0].name).get();
  std::set<long> client_threads;
  for (long id : thread_ids()) {
    if (!before.count(id)) client_threads.insert(id);
  }
  std::this_thread::sleep_for(std::chrono::milliseconds(100));

  const std::int64_t threads_before = threads_cpu_ns(client_threads);
  const std::int64_t with_client = process_cpu_over(args.seconds);
  const std::int64_t threads_used = threads_cpu_ns(client_threads) - threads_before;

  const double per_second_ms = static_cast<double>(threads_used) / 1e6 / args.seconds;
  std::fprintf(stderr,
               "idle: %zu client threads used %.3f ms of CPU per second; the process used %.3f "
               "ms/s more with the client than without\n",
               client_threads.size(), per_second_ms,
               static_cast<double>(with_client - without_client) / 1e6 / args.seconds);
  Report report("idle");
  report.add("cpu_ms_per_second", per_second_ms);
  report.print(args.json);
  return 0;
}

}  // namespace apicurio::bench
