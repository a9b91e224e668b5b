#include "seams.hpp"

namespace apicurio::avro::detail {

ArtifactChoice choose_artifact(const SerializerOptions& options, std::string_view topic) {
  ArtifactRef ref = options.strategy(StrategyInput{topic, options.part, options.schema});
  return ArtifactChoice{ref.group_id.value_or(std::string()), std::move(ref.artifact_id)};
}

ArtifactRef to_ref(const ArtifactChoice& artifact) {
  ArtifactRef ref;
  if (!artifact.group_id.empty()) ref.group_id = artifact.group_id;
  ref.artifact_id = artifact.artifact_id;
  return ref;
}

Future<CachedSchema> find_by_content(RegistryClient& client, const ArtifactChoice& artifact,
                                     const std::string& schema_text) {
  // The Java serializer's default: the registered version whose content is the writer
  // schema (POST /search/versions, through the client's cached, collapsed lookup).
  return client.find_schema(to_ref(artifact), schema_text);
}

}  // namespace apicurio::avro::detail
