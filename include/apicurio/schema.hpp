// What a lookup returns: a schema's text with the registry's identifiers for it.
//
// Threads: these are plain values; their members may be called from any thread while no
// thread modifies the object, and none blocks.
#pragma once

#include <apicurio/export.hpp>

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace apicurio {

/// An artifact named by its group and id: what the artifact strategies return, and what
/// RegistryClient's lookups and registrations take to work in a group other than the
/// client's default.
///
///   client.get_schema({"com.acme", "User"});           // group com.acme
///   client.get_schema(apicurio::record_id_strategy(in)); // wherever the strategy says
///
/// Not to be confused with ArtifactReference, a schema's reference to another version.
struct ArtifactRef {
  /// The group. std::nullopt is the client's default group (ClientOptions::group_id), as a
  /// null groupId is for the Java serdes; an empty string names no group and calls refuse it.
  std::optional<std::string> group_id;
  /// The artifact's id within the group.
  std::string artifact_id;

  /// Field-by-field equality (a null group differs from any named one). Never throws.
  bool operator==(const ArtifactRef& o) const {
    return group_id == o.group_id && artifact_id == o.artifact_id;
  }
  /// Never throws.
  bool operator!=(const ArtifactRef& o) const { return !(*this == o); }
};

/// A reference from one schema to another artifact version (Protobuf imports, Avro named
/// types defined elsewhere, JSON Schema $ref).
struct APICURIO_API ArtifactReference {
  /// The referenced artifact's group; empty for the default group (sent without a groupId,
  /// which the registry reads as its default group; it refuses an empty one).
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

/// A version's state in the registry (VersionState in the v3 API).
enum class VersionState {
  /// Not known: lookups by id do not say.
  unknown,
  /// In use; a candidate for the latest version.
  enabled,
  /// Hidden: its content is not served and branch=latest skips it.
  disabled,
  /// Served, with a warning; still a candidate for the latest version.
  deprecated,
  /// Not yet published: mutable, its content only readable through its own version (never
  /// by contentId), and never the latest version.
  draft,
  /// Past its migration deadline (server 3.3): branch=latest skips it.
  sunset,
};

/// A schema as the registry stores it. Immutable once a future delivers it; copies share
/// the schema text, so copying is cheap.
///
/// Which fields are known depends on the lookup: by artifact and version, all of them; by
/// globalId, the text, global_id, artifact_type and content_type; by contentId, the text,
/// content_id and content_type. Unknown ids are -1, unknown strings empty and an unknown
/// state VersionState::unknown.
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
  /// The version's state when the lookup read it (by artifact and version, or a
  /// registration or find); unknown for lookups by id.
  VersionState state = VersionState::unknown;
  /// The schema's references; std::nullopt when they were not fetched
  /// (ClientOptions::fetch_references is off), an empty vector when there are none.
  std::optional<std::vector<ArtifactReference>> references;

  /// The schema text ("" if there is none). Never throws.
  const std::string& schema() const noexcept {
    static const std::string empty;
    return content ? *content : empty;
  }
};

/// A schema reached by following references (RegistryClient::resolve_references).
struct ResolvedReference {
  /// The reference as the first schema to name it names it (breadth first, in list order).
  ArtifactReference reference;
  /// The referenced version: its text, ids, group, artifact and version.
  CachedSchema schema;
  /// 1 for a reference of the schema the walk started from, 2 for theirs, and so on.
  std::size_t depth = 0;
};

}  // namespace apicurio
