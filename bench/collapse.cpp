// collapse: N threads ask for one uncached artifact at the same moment; a client that
// collapses concurrent misses sends 2 requests (metadata and content) however large N is.
#include "bench.hpp"

#include <apicurio/registry.hpp>

#include <atomic>
#include <thread>

namespace apicurio::bench {

int run_collapse(const Args& args, Target& target) {
  const auto artifacts = prepare_artifacts(target, args, 1);
  const std::string name = artifacts[0].name;
  RegistryClient client(target.client_options());
  std::atomic<std::int64_t> ready{0}, failures{0};
  std::atomic<bool> go{false};
  std::vector<std::thread> callers;
  for (std::int64_t i = 0; i < args.callers; ++i) {
    callers.emplace_back([&] {
      ready.fetch_add(1);
      while (!go.load(std::memory_order_acquire))
        std::this_thread::yield();
      try {
        client.get_schema(name).get();
      } catch (const std::exception&) {
        failures.fetch_add(1);
      }
    });
  }
  while (ready.load() < args.callers)
    std::this_thread::yield();
  go.store(true, std::memory_order_release);
  for (auto& caller : callers)
    caller.join();
  if (failures.load() > 0) {
    std::fprintf(stderr, "collapse: %lld callers failed (does '%s' exist? see --register)\n",
                 static_cast<long long>(failures.load()), name.c_str());
    return 1;
  }
  Report report("collapse");
  report.add("callers", args.callers);
  report.add("http_requests", static_cast<std::int64_t>(client.stats().http_requests));
  report.print(args.json);
  return 0;
}

}  // namespace apicurio::bench
