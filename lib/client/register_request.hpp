// The CreateArtifact request that register_schema sends.
#pragma once

#include <apicurio/options.hpp>

#include <string>
#include <string_view>

namespace apicurio::detail {

// The ifExists query value ("FAIL", "CREATE_VERSION", "FIND_OR_CREATE_VERSION").
const char* if_exists_name(IfExists mode) noexcept;

// The query string, starting with '?'.
std::string register_query(const RegisterOptions& options);

// The JSON body: {"artifactId", "artifactType", "firstVersion": {"version"?, "content":
// {"content", "contentType", "references"}}}. Any thread.
std::string register_body(std::string_view artifact_id, std::string_view schema_text,
                          const RegisterOptions& options);

}  // namespace apicurio::detail
