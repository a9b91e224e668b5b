// What a lookup returns: a schema's text with the registry's identifiers for it.
//
// Threads: these are plain values; their members may be called from any thread while no
// thread modifies the object, and none blocks.
#pragma once

#include <apicurio/export.hpp>

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace apicurio {

/// A reference from one schema to another artifact version (Protobuf imports, Avro named
/// types defined elsewhere, JSON Schema $ref).
struct APICURIO_API ArtifactReference {
  /// The referenced artifact's group.
  std::string group_id;
  /// The referenced artifact.
  std::string artifact_id;
  /// The referenced version.
  std::string version;
  /// The name the referencing schema uses for it (an import path, a type name, a $ref).
  std::string name;

  /// Field-by-field equality. Never throws.
  bool operator==(const ArtifactReference& o) const {
    return group_id == o.group_id && artifact_id == o.artifact_id && version == o.version &&
           name == o.name;
  }
};

/// A schema as the registry stores it. Immutable once a future delivers it; copies share
/// the schema text, so copying is cheap.
///
/// Which fields are known depends on the lookup: by artifact and version, all of them; by
/// globalId, the text, global_id, artifact_type and content_type; by contentId, the text,
/// content_id and content_type. Unknown ids are -1 and unknown strings empty.
struct APICURIO_API CachedSchema {
  /// The schema text, shared with every other CachedSchema of the same content.
  std::shared_ptr<const std::string> content;
  /// The version's globalId, unique across the registry.
  std::int64_t global_id = -1;
  /// The id of the content, shared by every version with the same bytes.
  std::int64_t content_id = -1;
  /// "default" for the registry's default group.
  std::string group_id;
  /// The artifact the version belongs to.
  std::string artifact_id;
  /// The version's name, e.g. "1", never a branch expression.
  std::string version;
  /// AVRO, PROTOBUF, JSON, OPENAPI, ...
  std::string artifact_type;
  /// The media type the content was stored with, e.g. application/json.
  std::string content_type;
  /// The schema's references; std::nullopt when they were not fetched
  /// (ClientOptions::fetch_references is off), an empty vector when there are none.
  std::optional<std::vector<ArtifactReference>> references;

  /// The schema text ("" if there is none). Never throws.
  const std::string& schema() const noexcept {
    static const std::string empty;
    return content ? *content : empty;
  }
};

}  // namespace apicurio
