// The registry under test and the artifacts a run reads.
#include "bench.hpp"
#include "windowed.hpp"

#include <stdexcept>

namespace apicurio::bench {

namespace {
constexpr std::size_t kSetupInflight = 64;
}

ClientOptions Target::client_options() const {
  ClientOptions options;
  options.url = url;
  options.group_id = group;
  return options;
}

Target open_target(const Args& args) {
  Target target;
  target.group = args.group;
  if (!args.url.empty()) {
    target.url = args.url;
    return target;
  }
  target.embedded = std::make_unique<EventRegistry>();
  target.url = target.embedded->base_url();
  return target;
}

std::vector<Artifact> prepare_artifacts(const Target& target, const Args& args, std::int64_t count,
                                        std::int64_t size) {
  std::vector<Artifact> artifacts(static_cast<std::size_t>(count));
  for (std::int64_t i = 0; i < count; ++i) {
    artifacts[static_cast<std::size_t>(i)].name = artifact_name(args.pattern, i + 1);
  }
  if (target.embedded) {
    for (std::int64_t i = 0; i < count; ++i) {
      auto& artifact = artifacts[static_cast<std::size_t>(i)];
      artifact.content_id =
          target.embedded->add_version(target.group, artifact.name, schema_text(i + 1, size));
    }
  } else if (args.do_register) {
    RegistryClient client(target.client_options());
    WindowedRun registration(artifacts.size());
    registration.run(
        kSetupInflight,
        [&](std::size_t i) {
          return client.register_schema(artifacts[i].name,
                                        schema_text(static_cast<std::int64_t>(i) + 1, size));
        },
        [&](std::size_t i, const CachedSchema& s) { artifacts[i].content_id = s.content_id; });
    if (registration.failures() > 0) {
      throw std::runtime_error(
          std::to_string(registration.failures()) +
          " registrations failed, the first with: " + registration.first_error());
    }
  }
  return artifacts;
}

void resolve_content_ids(const Target& target, std::vector<Artifact>& artifacts) {
  std::vector<std::size_t> unknown;
  for (std::size_t i = 0; i < artifacts.size(); ++i) {
    if (artifacts[i].content_id < 0) unknown.push_back(i);
  }
  if (unknown.empty()) return;
  RegistryClient client(target.client_options());
  WindowedRun lookup(unknown.size());
  lookup.run(
      kSetupInflight, [&](std::size_t i) { return client.get_schema(artifacts[unknown[i]].name); },
      [&](std::size_t i, const CachedSchema& s) {
        artifacts[unknown[i]].content_id = s.content_id;
      });
  if (lookup.failures() > 0) {
    throw std::runtime_error(std::to_string(lookup.failures()) +
                             " artifacts could not be read (do they exist? see --register); the "
                             "first failed with: " +
                             lookup.first_error());
  }
}

}  // namespace apicurio::bench
