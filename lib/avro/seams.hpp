// The two places where the Avro serializer meets client features that land separately:
// per-call groups with the four Java strategies (returning a group and an artifact), and the
// lookup by content (POST /search/versions). Each is one function so that connecting them
// touches nothing else.
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

// The version of `artifact` whose content equals `schema_text` (SchemaChoice::find_by_content).
Future<CachedSchema> find_by_content(RegistryClient& client, const ArtifactChoice& artifact,
                                     const std::string& schema_text);

}  // namespace apicurio::avro::detail
