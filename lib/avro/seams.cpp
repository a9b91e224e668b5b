#include "seams.hpp"

#include <fmt/format.h>

namespace apicurio::avro::detail {

ArtifactChoice choose_artifact(const SerializerOptions& options, std::string_view topic) {
  // Today's strategies return the artifact only; the group is the client's.
  return ArtifactChoice{std::string(),
                        options.strategy(StrategyInput{topic, options.part, options.schema})};
}

Future<CachedSchema> find_by_content(RegistryClient& client, const ArtifactChoice& artifact,
                                     const std::string& schema_text) {
  // To be connected to the client's lookup by content (POST /search/versions with the
  // artifact's group and id and the schema text, as the Java serdes' default does). Until
  // then this mode fails rather than guess: registering with dry_run or comparing the
  // latest version's text would answer a different question.
  (void)schema_text;
  return make_failed_future<CachedSchema>(
      std::make_exception_ptr(AvroError(fmt::format(
          "SchemaChoice::find_by_content needs the client's lookup by content, which this "
          "build lacks (artifact {}); use auto_register, latest, explicit_version or "
          "explicit_id",
          artifact.artifact_id))),
      client.options().executor);
}

}  // namespace apicurio::avro::detail
