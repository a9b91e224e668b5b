#include "cache.hpp"

namespace apicurio::detail {

ArtifactKey::ArtifactKey(std::string g, std::string a, std::string e)
    : group(std::move(g)), artifact(std::move(a)), expression(std::move(e)) {
  std::hash<std::string> text_hash;
  hash = (text_hash(group) * 31 + text_hash(artifact)) * 31 + text_hash(expression);
}

}  // namespace apicurio::detail
