// Parsing of the CreateArtifact and CreateVersion request bodies (simdjson).
#pragma once

#include <string>

#include "store.hpp"

namespace apicurio::emulator {

/// Throws Problem (400) on malformed JSON, wrong field types or missing required fields.
NewArtifact parse_create_artifact(const std::string& body);
NewVersion parse_create_version(const std::string& body);

}  // namespace apicurio::emulator
