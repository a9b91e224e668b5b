#include "reference_walk.hpp"

#include "client_core.hpp"

#include <fmt/format.h>

#include <set>
#include <stdexcept>
#include <string>
#include <tuple>
#include <utility>

namespace apicurio::detail {
namespace {

using References = std::vector<ArtifactReference>;
using VersionKey = std::tuple<std::string, std::string, std::string>;  // group, artifact, version

// A reference's group as a lookup names it: a null group (decoded as "default", or left
// empty by a user) is the registry's default group, not the client's.
std::string group_of(const ArtifactReference& ref) {
  return ref.group_id.empty() ? std::string("default") : ref.group_id;
}

// A reference without a version is to the latest one.
std::string version_of(const ArtifactReference& ref) {
  return ref.version.empty() ? std::string("branch=latest") : ref.version;
}

// The walk's state. Levels run one after another, each stage in the continuation of the
// previous one's futures, so no two stages touch it at once and it needs no lock.
class Walk : public std::enable_shared_from_this<Walk> {
 public:
  Walk(const std::shared_ptr<ClientCore>& core, std::size_t max_depth)
      : core_(core), max_depth_(max_depth), promise_(core->executor()) {}

  Future<std::vector<ResolvedReference>> start(const CachedSchema& root) {
    auto future = promise_.get_future();
    if (!root.artifact_id.empty() && !root.version.empty()) {
      seen_.emplace(root.group_id.empty() ? "default" : root.group_id, root.artifact_id,
                    root.version);
    }
    list_of(root).then_result([self = shared_from_this()](const Result<References>& list) {
      self->guarded([&] { self->next_level({list.value()}, 1); });
    });
    return future;
  }

 private:
  // Runs a stage; whatever it throws (a failed lookup's error, bad_alloc) ends the walk.
  template <class F>
  void guarded(F&& stage) {
    try {
      stage();
    } catch (...) {
      promise_.set_error(std::current_exception());
    }
  }

  std::shared_ptr<ClientCore> core() const {
    std::shared_ptr<ClientCore> core = core_.lock();
    if (!core) throw ClientClosedError();
    return core;
  }

  // The references of a schema: those it carries (ClientOptions::fetch_references), else its
  // content's, else (a root read by globalId) its version's.
  Future<References> list_of(const CachedSchema& schema) {
    if (schema.references) return make_ready_future(*schema.references, core()->executor());
    const bool by_content = schema.content_id >= 0;
    return core()
        ->reference_list(by_content ? IdKind::content_id : IdKind::global_id,
                         by_content ? schema.content_id : schema.global_id)
        .then([](const CachedSchema& list) { return *list.references; });
  }

  // Resolves the references in `lists` not met before, found at `depth`.
  void next_level(const std::vector<References>& lists, std::size_t depth) {
    std::vector<ArtifactReference> level;
    for (const References& list : lists) {
      for (const ArtifactReference& ref : list) {
        if (seen_.emplace(group_of(ref), ref.artifact_id, version_of(ref)).second) {
          level.push_back(ref);
        }
      }
    }
    if (level.empty()) {
      promise_.set_value(std::move(found_));
      return;
    }
    if (depth > max_depth_) {
      const ArtifactReference& first = level.front();
      throw ReferenceDepthError(fmt::format(
          "References nest deeper than {} levels: version '{}' of artifact '{}' in group '{}' "
          "(named \"{}\") is {} references away. Raise max_depth if this is intended, or look "
          "for a chain that keeps referencing new versions.",
          max_depth_, version_of(first), first.artifact_id, group_of(first), first.name, depth));
    }
    std::vector<Future<CachedSchema>> lookups;
    lookups.reserve(level.size());
    const std::shared_ptr<ClientCore> client = core();
    for (const ArtifactReference& ref : level) {
      lookups.push_back(client->get_version(group_of(ref), ref.artifact_id, version_of(ref)));
    }
    when_all(lookups).then_result([self = shared_from_this(), level = std::move(level), depth](
                                      const Result<std::vector<CachedSchema>>& schemas) mutable {
      self->guarded([&] { self->take_level(std::move(level), schemas.value(), depth); });
    });
  }

  // Records a resolved level and asks for its schemas' reference lists.
  void take_level(std::vector<ArtifactReference> level, const std::vector<CachedSchema>& schemas,
                  std::size_t depth) {
    std::vector<Future<References>> lists;
    lists.reserve(schemas.size());
    for (std::size_t i = 0; i < schemas.size(); ++i) {
      found_.push_back({std::move(level[i]), schemas[i], depth});
      lists.push_back(list_of(schemas[i]));
    }
    when_all(lists).then_result(
        [self = shared_from_this(), depth](const Result<std::vector<References>>& next) {
          self->guarded([&] { self->next_level(next.value(), depth + 1); });
        });
  }

  const std::weak_ptr<ClientCore> core_;
  const std::size_t max_depth_;
  Promise<std::vector<ResolvedReference>> promise_;
  std::set<VersionKey> seen_;
  std::vector<ResolvedReference> found_;
};

}  // namespace

Future<std::vector<ResolvedReference>> walk_references(const std::shared_ptr<ClientCore>& core,
                                                       const CachedSchema& root,
                                                       std::size_t max_depth) {
  if (!root.references && root.content_id < 0 && root.global_id < 0) {
    throw std::invalid_argument(
        "resolve_references needs a schema from a lookup: it has no global_id, content_id or "
        "references");
  }
  return std::make_shared<Walk>(core, max_depth)->start(root);
}

}  // namespace apicurio::detail
