// The quickstart: register a schema, then read it back from 8 threads at once and show that
// one fetch served them all. With no --url it starts the embedded registry emulator.
//
//   quickstart [--url URL] [--group GROUP] [--artifact ID]
#include <apicurio/testing/emulator.hpp>

#include <apicurio/registry.hpp>

#include <cstdio>
#include <cstring>
#include <memory>
#include <optional>
#include <string>
#include <thread>
#include <vector>

namespace {

const char* kSchema =
    R"({"type":"record","name":"UserEvent","namespace":"com.example",)"
    R"("fields":[{"name":"userId","type":"string"},{"name":"country","type":"string"}]})";

int usage() {
  std::fprintf(stderr, "usage: quickstart [--url URL] [--group GROUP] [--artifact ID]\n");
  return 2;
}

}  // namespace

int main(int argc, char** argv) {
  std::string url, group = "default", artifact = "UserEvent";
  for (int i = 1; i < argc; ++i) {
    std::string arg = argv[i];
    if (i + 1 >= argc) return usage();
    if (arg == "--url") {
      url = argv[++i];
    } else if (arg == "--group") {
      group = argv[++i];
    } else if (arg == "--artifact") {
      artifact = argv[++i];
    } else {
      return usage();
    }
  }

  std::unique_ptr<apicurio::emulator::Emulator> embedded;
  if (url.empty()) {
    embedded = std::make_unique<apicurio::emulator::Emulator>();
    url = embedded->base_url();
    std::printf("started the embedded registry emulator at %s\n", url.c_str());
  }

  try {
    apicurio::ClientOptions options;
    options.url = url;
    options.group_id = group;

    // A producer registers the schema (or finds it, if it is there already).
    {
      apicurio::RegistryClient producer(options);
      auto registered = producer.register_schema(artifact, kSchema).get();
      std::printf("registered %s version %s (globalId %lld)\n", artifact.c_str(),
                  registered.version.c_str(), static_cast<long long>(registered.global_id));
    }

    // A consumer starts cold and 8 threads ask for the latest schema at the same moment.
    apicurio::RegistryClient consumer(options);
    std::vector<std::optional<apicurio::CachedSchema>> seen(8);
    std::vector<std::thread> threads;
    for (std::size_t i = 0; i < seen.size(); ++i) {
      threads.emplace_back([&, i] { seen[i] = consumer.get_schema(artifact).get(); });
    }
    for (auto& thread : threads)
      thread.join();

    const apicurio::CachedSchema& schema = *seen[0];
    std::printf("schema: %s\n", schema.schema().c_str());
    std::printf("group %s, artifact %s, version %s, globalId %lld, contentId %lld, type %s\n",
                schema.group_id.c_str(), schema.artifact_id.c_str(), schema.version.c_str(),
                static_cast<long long>(schema.global_id), static_cast<long long>(schema.content_id),
                schema.artifact_type.c_str());
    for (const auto& s : seen) {
      if (s->global_id != schema.global_id) {
        std::fprintf(stderr, "threads saw different schemas\n");
        return 1;
      }
    }
    auto stats = consumer.stats();
    std::printf(
        "8 threads, %llu HTTP requests (metadata + content), %llu cache miss, %llu collapsed "
        "waits, %llu cache hits\n",
        static_cast<unsigned long long>(stats.http_requests),
        static_cast<unsigned long long>(stats.cache_misses),
        static_cast<unsigned long long>(stats.collapsed_waits),
        static_cast<unsigned long long>(stats.cache_hits));
    return 0;
  } catch (const apicurio::Error& e) {
    std::fprintf(stderr, "quickstart failed: %s\n", e.what());
    return 1;
  } catch (const std::invalid_argument& e) {
    std::fprintf(stderr, "quickstart: %s\n", e.what());
    return 2;
  }
}
