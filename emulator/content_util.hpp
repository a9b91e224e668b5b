// Content helpers: hashing, canonical form and artifact type detection.
#pragma once

#include <string>
#include <vector>

#include <apicurio/testing/emulator.hpp>

namespace apicurio::emulator {

/// Lower-case hex SHA-256 of `bytes` (OpenSSL libcrypto). Throws std::runtime_error if
/// libcrypto fails.
std::string sha256_hex(const std::string& bytes);

/// The content hash the registry indexes: sha256 of the bytes, followed by the references
/// when there are any (so equal bytes with different references are different content).
std::string content_hash(const std::string& bytes, const std::vector<Reference>& references);

/// A canonical form for comparisons with canonical=true: JSON with sorted keys and no
/// insignificant whitespace; other text with surrounding whitespace trimmed. Never throws
/// except std::bad_alloc.
std::string canonical_form(const std::string& content);

/// A guess at the artifact type, as the server makes when the request names none:
/// PROTOBUF for .proto text, JSON for a JSON Schema, AVRO for other JSON.
std::string detect_artifact_type(const std::string& content);

}  // namespace apicurio::emulator
