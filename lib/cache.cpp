#include "cache.hpp"

namespace apicurio::detail {

std::size_t ArtifactKeyHash::operator()(const ArtifactKey& key) const {
  std::hash<std::string> hash;
  std::size_t h = hash(key.group);
  h = h * 31 + hash(key.artifact);
  return h * 31 + hash(key.expression);
}

}  // namespace apicurio::detail
