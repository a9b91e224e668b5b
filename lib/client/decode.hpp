// Parsing the registry's JSON replies. Knows nothing of HTTP. Each function may be called
// from any thread (each thread gets its own reused parser) and never crashes on bad input:
// a body of the wrong shape throws DecodeError saying which field was wrong.
#pragma once

#include <apicurio/errors.hpp>
#include <apicurio/schema.hpp>

#include <cstdint>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace apicurio::detail {

// A reply body that is not what the API documents.
class DecodeError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// The fields of VersionMetaData a client needs.
struct VersionMeta {
  std::string group_id;  // "default" when the registry sends none or null
  std::string artifact_id;
  std::string version;
  std::string artifact_type;
  std::string state;
  std::int64_t global_id = -1;
  std::int64_t content_id = -1;
};

// Fills in what the version metadata says of the version `schema` belongs to. Never throws
// but std::bad_alloc.
void take_version_meta(CachedSchema& schema, VersionMeta meta);

// A ProblemDetails body. Fields the body lacks are empty or zero.
struct Problem {
  int status = 0;
  std::string name;
  std::string title;
  std::string detail;
  std::vector<RuleViolation> causes;
};

// An OAuth2 token response.
struct TokenReply {
  std::string access_token;
  std::int64_t expires_in = 0;  // 0 when absent
  std::string token_type;
};

// An OAuth2 error body ({"error", "error_description"}); empty fields when absent.
struct OAuthError {
  std::string error;
  std::string description;
};

// VersionMetaData. Throws DecodeError.
VersionMeta decode_version_meta(std::string_view body);
// CreateArtifactResponse: the `version` member. Throws DecodeError.
VersionMeta decode_create_artifact(std::string_view body);
// VersionSearchResults: its `versions`, in the order the registry sent them. Throws
// DecodeError.
std::vector<VersionMeta> decode_version_search(std::string_view body);
// A VersionState name ("ENABLED", ...); unknown for "" and names this client does not know
// (a newer server's). Never throws.
VersionState parse_version_state(std::string_view name) noexcept;
// An array of ArtifactReference. Throws DecodeError.
std::vector<ArtifactReference> decode_references(std::string_view body);
// A token response; its token_type, when present, must be Bearer. Throws DecodeError.
TokenReply decode_token(std::string_view body);
// Never throws but std::bad_alloc.
OAuthError decode_oauth_error(std::string_view body);
// ProblemDetails; returns nullopt-like empty Problem (status 0) when the body is not one.
// Never throws but std::bad_alloc.
Problem decode_problem(std::string_view body);

}  // namespace apicurio::detail
