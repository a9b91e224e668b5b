// Where the Avro serializer meets the client: the strategies (a group and an artifact, as the
// Java serdes name them) and the lookup by content (POST /search/versions).
#pragma once

#include <apicurio/avro.hpp>

#include <string>
#include <string_view>

namespace apicurio::avro::detail {

struct ArtifactChoice {
  std::string group_id;  // empty: the client's group
  std::string artifact_id;
};

// The artifact the strategy names for `topic` and the serializer's schema text.
ArtifactChoice choose_artifact(const SerializerOptions& options, std::string_view topic);

// The client's reference to `artifact`: its group, or the client's default when empty.
ArtifactRef to_ref(const ArtifactChoice& artifact);

// The version of `artifact` whose content equals `schema_text` (SchemaChoice::find_by_content).
Future<CachedSchema> find_by_content(RegistryClient& client, const ArtifactChoice& artifact,
                                     const std::string& schema_text);

}  // namespace apicurio::avro::detail
