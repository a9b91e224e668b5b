#include <apicurio/client.hpp>

#include "client_core.hpp"
#include "reference_walk.hpp"

#include <stdexcept>

namespace apicurio {
namespace {

// The group a call works in: the ref's, or the client's default. The same bounds as
// ClientOptions::group_id; an empty group is refused rather than taken as the default, since
// the server refuses an empty groupId (a null one is its default group).
const std::string& group_of(const ArtifactRef& artifact, const ClientOptions& options) {
  if (!artifact.group_id) return options.group_id;
  if (artifact.group_id->empty()) {
    throw std::invalid_argument(
        "ArtifactRef::group_id is empty; leave it std::nullopt for the client's default group");
  }
  if (artifact.group_id->size() > 512) {
    throw std::invalid_argument("ArtifactRef::group_id is longer than 512 characters");
  }
  return *artifact.group_id;
}

}  // namespace

RegistryClient::RegistryClient(ClientOptions options)
    : core_(std::make_shared<detail::ClientCore>(std::move(options))) {}

RegistryClient::~RegistryClient() {
  if (core_) core_->close();
}

RegistryClient::RegistryClient(RegistryClient&& other) noexcept = default;

RegistryClient& RegistryClient::operator=(RegistryClient&& other) noexcept {
  if (this == &other) return *this;
  std::shared_ptr<detail::ClientCore> old = std::move(core_);
  core_ = std::move(other.core_);
  if (old) old->close();
  return *this;
}

detail::ClientCore& RegistryClient::core() const {
  if (!core_) throw ClientClosedError("the registry client was moved from");
  return *core_;
}

Future<CachedSchema> RegistryClient::get_schema(std::string_view artifact_id) {
  return core().get_version(core().options().group_id, artifact_id, "branch=latest");
}

Future<CachedSchema> RegistryClient::get_schema(std::string_view artifact_id,
                                                std::string_view version) {
  return core().get_version(core().options().group_id, artifact_id, version);
}

Future<CachedSchema> RegistryClient::get_schema(const ArtifactRef& artifact) {
  return core().get_version(group_of(artifact, core().options()), artifact.artifact_id,
                            "branch=latest");
}

Future<CachedSchema> RegistryClient::get_schema(const ArtifactRef& artifact,
                                                std::string_view version) {
  return core().get_version(group_of(artifact, core().options()), artifact.artifact_id, version);
}

Future<CachedSchema> RegistryClient::get_schema_by_global_id(std::int64_t global_id) {
  return core().get_by_id(IdKind::global_id, global_id);
}

Future<CachedSchema> RegistryClient::get_schema_by_global_id(std::int64_t global_id,
                                                             ReferenceHandling handling) {
  if (handling == ReferenceHandling::preserve) return get_schema_by_global_id(global_id);
  return core().get_dereferenced(global_id);
}

Future<CachedSchema> RegistryClient::get_schema_by_content_id(std::int64_t content_id) {
  return core().get_by_id(IdKind::content_id, content_id);
}

std::vector<Future<CachedSchema>> RegistryClient::get_schemas(
    const std::vector<std::string>& artifact_ids) {
  core();  // a moved-from client throws even for no ids
  std::vector<Future<CachedSchema>> futures;
  futures.reserve(artifact_ids.size());
  for (const auto& id : artifact_ids)
    futures.push_back(get_schema(id));
  return futures;
}

Future<CachedSchema> RegistryClient::register_schema(std::string_view artifact_id,
                                                     std::string_view schema_text,
                                                     const RegisterOptions& options) {
  return core().register_schema(core().options().group_id, artifact_id, schema_text, options);
}

Future<CachedSchema> RegistryClient::register_schema(const ArtifactRef& artifact,
                                                     std::string_view schema_text,
                                                     const RegisterOptions& options) {
  return core().register_schema(group_of(artifact, core().options()), artifact.artifact_id,
                                schema_text, options);
}

Future<CachedSchema> RegistryClient::find_schema(std::string_view artifact_id,
                                                 std::string_view schema_text,
                                                 const FindOptions& options) {
  return core().find_version(core().default_group(), artifact_id, schema_text, options);
}

Future<CachedSchema> RegistryClient::find_schema(const ArtifactRef& artifact,
                                                 std::string_view schema_text,
                                                 const FindOptions& options) {
  return core().find_version(group_of(artifact, core().options()), artifact.artifact_id,
                             schema_text, options);
}

Future<PreloadReport> RegistryClient::preload(const std::vector<std::string>& artifact_ids) {
  core();  // a moved-from client throws even for no ids
  return when_all_settled(get_schemas(artifact_ids))
      .then([artifact_ids](const std::vector<Result<CachedSchema>>& outcomes) {
        PreloadReport report;
        for (std::size_t i = 0; i < outcomes.size(); ++i) {
          if (outcomes[i].ok()) {
            report.cached.push_back(artifact_ids[i]);
            continue;
          }
          std::string message = "unknown error";
          try {
            std::rethrow_exception(outcomes[i].error());
          } catch (const std::exception& e) {
            message = e.what();
          } catch (...) {
          }
          report.failures.push_back({artifact_ids[i], outcomes[i].error(), std::move(message)});
        }
        return report;
      });
}

Future<std::vector<ResolvedReference>> RegistryClient::resolve_references(
    const CachedSchema& schema, std::size_t max_depth) {
  core();  // a moved-from client throws
  return detail::walk_references(core_, schema, max_depth);
}

void RegistryClient::invalidate(std::string_view artifact_id) {
  if (core_) core_->invalidate(core_->options().group_id, artifact_id);
}

void RegistryClient::invalidate(const ArtifactRef& artifact) {
  // An empty group holds nothing to forget (no call could have cached one).
  if (core_)
    core_->invalidate(artifact.group_id.value_or(core_->options().group_id), artifact.artifact_id);
}

void RegistryClient::clear() {
  if (core_) core_->clear();
}

ClientStats RegistryClient::stats() const {
  return core_ ? core_->stats() : ClientStats{};
}

MetricsSnapshot RegistryClient::metrics() const {
  return core_ ? core_->metrics() : MetricsSnapshot{};
}

const ClientOptions& RegistryClient::options() const noexcept {
  static const ClientOptions defaults;  // a moved-from client's
  return core_ ? core_->options() : defaults;
}

void RegistryClient::close() {
  // Kept alive to the end of this call: once another close() has returned, its caller may
  // destroy the client while this one is still on its way out.
  std::shared_ptr<detail::ClientCore> core = core_;
  if (core) core->close();
}

}  // namespace apicurio
