// Legacy threaded code: many std::threads, each blocking on .get() where it needs a schema.
// With no --url it runs against the embedded registry emulator.
//
//   legacy_threads [--url URL] [--threads N]
#include <apicurio/testing/emulator.hpp>

#include <apicurio/registry.hpp>

#include <atomic>
#include <cstdio>
#include <memory>
#include <string>
#include <thread>
#include <vector>

int main(int argc, char** argv) {
  std::string url;
  int thread_count = 32;
  for (int i = 1; i + 1 < argc; i += 2) {
    std::string arg = argv[i];
    if (arg == "--url") url = argv[i + 1];
    if (arg == "--threads") thread_count = std::stoi(argv[i + 1]);
  }
  std::unique_ptr<apicurio::emulator::Emulator> embedded;
  if (url.empty()) {
    embedded = std::make_unique<apicurio::emulator::Emulator>();
    url = embedded->base_url();
    for (int i = 0; i < 10; ++i) {
      embedded->add_version(
          "default", "legacy-" + std::to_string(i),
          R"({"type":"record","name":"R)" + std::to_string(i) + R"(","fields":[]})");
    }
  }

  apicurio::ClientOptions options;
  options.url = url;
  apicurio::RegistryClient client(options);

  // Each thread resolves the schemas of the records it "consumes", blocking as old code does.
  std::atomic<int> resolved{0}, failed{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < thread_count; ++t) {
    threads.emplace_back([&, t] {
      for (int record = 0; record < 100; ++record) {
        std::string artifact = "legacy-" + std::to_string((t + record) % 10);
        try {
          const apicurio::CachedSchema& schema = client.get_schema(artifact).get();
          if (!schema.schema().empty()) resolved++;
        } catch (const apicurio::Error& e) {
          failed++;
          std::fprintf(stderr, "%s: %s\n", artifact.c_str(), e.what());
        }
      }
    });
  }
  for (auto& thread : threads)
    thread.join();

  auto stats = client.stats();
  std::printf(
      "%d threads resolved %d records (%d failed) with %llu HTTP requests and %llu cache hits\n",
      thread_count, resolved.load(), failed.load(),
      static_cast<unsigned long long>(stats.http_requests),
      static_cast<unsigned long long>(stats.cache_hits));
  return failed == 0 ? 0 : 1;
}
