// JSON bodies of the registry's replies (VersionMetaData, ArtifactMetaData, ...).
// The null group's groupId is left out, as the server's beans omit null fields.
#pragma once

#include <string>
#include <vector>

#include "store.hpp"

namespace apicurio::emulator {

std::string version_metadata_json(const StoredVersion& version);
std::string artifact_metadata_json(const StoredArtifact& artifact);
std::string version_list_json(const std::vector<StoredVersion>& versions);
std::string references_json(const std::vector<Reference>& references);
std::string create_artifact_json(const CreateResult& result);
std::string system_info_json();

}  // namespace apicurio::emulator
