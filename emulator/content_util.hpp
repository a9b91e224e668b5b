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

/// The canonical form the registry compares content of `artifact_type` in: Avro's for AVRO
/// (avro_canonical.hpp), canonical_form() for other types and for text Avro cannot parse.
/// Never throws except std::bad_alloc.
std::string canonical_for(const std::string& artifact_type, const std::string& content);

/// The artifact type the server discovers when the request names none, trying its providers
/// in order (ArtifactTypeUtil.discoverType, DefaultArtifactTypeUtilProviderImpl): PROTOBUF
/// for .proto text sent with a content type naming "proto" (or none), OPENAPI, ASYNCAPI, a
/// JSON Schema, an Avro schema (JSON with a type, a union or a type name), XML. "" when none
/// accepts it. Never throws except std::bad_alloc.
std::string detect_artifact_type(const std::string& content, const std::string& content_type);

/// Whether Avro's Schema.Parser would accept the text, approximately: JSON that is a type
/// name, a union or an object with a "type". Never throws except std::bad_alloc.
bool parses_as_avro(const std::string& content);
/// Whether the text is JSON. Never throws except std::bad_alloc.
bool parses_as_json(const std::string& content);

/// Whether `type` names one of the server's standard artifact types (case-sensitive).
bool known_artifact_type(const std::string& type);

}  // namespace apicurio::emulator
