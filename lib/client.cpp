#include <apicurio/client.hpp>

#include "client_core.hpp"

namespace apicurio {

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
  return core().get_version(artifact_id, "branch=latest");
}

Future<CachedSchema> RegistryClient::get_schema(std::string_view artifact_id,
                                                std::string_view version) {
  return core().get_version(artifact_id, version);
}

Future<CachedSchema> RegistryClient::get_schema_by_global_id(std::int64_t global_id) {
  return core().get_by_id(IdKind::global_id, global_id);
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
  return core().register_schema(artifact_id, schema_text, options);
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

void RegistryClient::invalidate(std::string_view artifact_id) {
  if (core_) core_->invalidate(artifact_id);
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
