// A batch job: 1,000 artifacts resolved through continuations and when_all_settled, with no
// thread blocked per request. With no --url it runs against the embedded registry emulator
// (and registers the artifacts first).
//
//   batch_continuations [--url URL] [--count N]
#include <apicurio/testing/emulator.hpp>

#include <apicurio/registry.hpp>

#include <cstdio>
#include <map>
#include <memory>
#include <string>
#include <vector>

int main(int argc, char** argv) {
  std::string url;
  int count = 1000;
  for (int i = 1; i + 1 < argc; i += 2) {
    std::string arg = argv[i];
    if (arg == "--url") url = argv[i + 1];
    if (arg == "--count") count = std::stoi(argv[i + 1]);
  }
  std::unique_ptr<apicurio::emulator::Emulator> embedded;
  if (url.empty()) {
    embedded = std::make_unique<apicurio::emulator::Emulator>();
    url = embedded->base_url();
    for (int i = 0; i < count; ++i) {
      // Every tenth artifact is missing, so the summary shows failures carried through.
      if (i % 10 == 9) continue;
      embedded->add_version(
          "default", "batch-" + std::to_string(i),
          R"({"type":"record","name":"B)" + std::to_string(i) + R"(","fields":[]})");
    }
  }

  apicurio::ClientOptions options;
  options.url = url;
  apicurio::RegistryClient client(options);

  // Each lookup continues into a summary line; nothing blocks until the very end.
  std::vector<apicurio::Future<std::string>> lines;
  for (int i = 0; i < count; ++i) {
    std::string artifact = "batch-" + std::to_string(i);
    lines.push_back(client.get_schema(artifact).then_result(
        [artifact](const apicurio::Result<apicurio::CachedSchema>& result) -> std::string {
          if (result.ok()) return "ok " + result.value().artifact_type;
          try {
            result.value();
          } catch (const apicurio::SchemaNotFoundError&) {
            return "missing";
          } catch (const apicurio::Error& e) {
            return std::string("error ") + e.what();
          }
          return "error";
        }));
  }
  auto summary = apicurio::when_all(lines).then([](const std::vector<std::string>& all) {
    std::map<std::string, int> tally;
    for (const auto& line : all)
      tally[line]++;
    return tally;
  });

  int errors = 0;
  for (const auto& [outcome, n] : summary.get()) {
    std::printf("%6d  %s\n", n, outcome.c_str());
    if (outcome.rfind("error", 0) == 0) errors += n;
  }
  auto stats = client.stats();
  std::printf("%d artifacts, %llu HTTP requests, %llu in flight at the end\n", count,
              static_cast<unsigned long long>(stats.http_requests),
              static_cast<unsigned long long>(stats.in_flight));
  return errors == 0 ? 0 : 1;
}
