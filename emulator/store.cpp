#include "store.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <random>
#include <regex>

#include "content_util.hpp"
#include "json_out.hpp"

namespace apicurio::emulator {
namespace {

bool iequals(const std::string& a, const char* b) {
  std::string lower = a;
  std::transform(lower.begin(), lower.end(), lower.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return lower == b;
}

// Java's ".{1,512}": 1 to 512 characters, none of them a line terminator.
bool valid_id_length(const std::string& id) {
  size_t chars = 0;
  for (unsigned char c : id) {
    if ((c & 0xC0) != 0x80) ++chars;
    if (c == '\n' || c == '\r') return false;
  }
  return chars >= 1 && chars <= 512;
}

// ArtifactIdValidator: ASCII only and no '%'.
bool allowed_characters(const std::string& id) {
  return std::none_of(id.begin(), id.end(),
                      [](char c) { return c == '%' || static_cast<unsigned char>(c) > 0x7F; });
}

bool valid_version(const std::string& version) {
  static const std::regex pattern("[a-zA-Z0-9._\\-+]{1,256}");
  return std::regex_match(version, pattern);
}

// Java's String.split("="): trailing empty parts are dropped.
std::vector<std::string> java_split(const std::string& text, char separator) {
  std::vector<std::string> parts;
  size_t start = 0;
  for (;;) {
    size_t end = text.find(separator, start);
    parts.push_back(text.substr(start, end == std::string::npos ? end : end - start));
    if (end == std::string::npos) break;
    start = end + 1;
  }
  while (!parts.empty() && parts.back().empty())
    parts.pop_back();
  return parts;
}

std::string random_artifact_id() {
  std::random_device device;
  std::mt19937_64 random(device());
  uint64_t a = random(), b = random();
  return fmt::format("{:08x}-{:04x}-4{:03x}-a{:03x}-{:012x}", a >> 32, (a >> 16) & 0xFFFF,
                     a & 0xFFF, b >> 52, b & 0xFFFFFFFFFFFFull);
}

}  // namespace

std::string group_key(const std::string& raw_group) {
  return iequals(raw_group, "default") ? std::string() : raw_group;
}

std::string group_title(const std::string& key) {
  return key.empty() ? "null" : key;
}

void Store::check_lengths(const std::string& group, const std::string& artifact) {
  if (!valid_id_length(group)) {
    throw validation_error(
        fmt::format("Group ID '{}' is invalid. It must have length 1..512 (inclusive).", group));
  }
  if (!valid_id_length(artifact)) {
    throw validation_error(fmt::format(
        "Artifact ID '{}' is invalid. It must have length 1..512 (inclusive).", artifact));
  }
}

const Store::Artifact* Store::find(const std::string& key, const std::string& artifact) const {
  auto group_it = groups_.find(key);
  if (group_it == groups_.end()) return nullptr;
  auto it = group_it->second.find(artifact);
  return it == group_it->second.end() ? nullptr : &it->second;
}

CreateResult Store::create_artifact(const std::string& group, NewArtifact request,
                                    IfExists if_exists, bool canonical, bool dry_run) {
  // GroupsResourceImpl.createArtifact asks the provider factory for a named type's content
  // types before anything else; DefaultArtifactTypeUtilProviderImpl throws
  // IllegalStateException for a name it does not know, which the exception mapper makes 500.
  if (request.first_version && !request.artifact_type.empty() &&
      !known_artifact_type(request.artifact_type)) {
    throw Problem(500, "IllegalStateException",
                  "No such artifact type provider: " + request.artifact_type);
  }
  if (!allowed_characters(group)) {
    throw Problem(400, "InvalidGroupIdException",
                  "Character % and non ASCII characters are not allowed in group IDs.");
  }
  if (request.first_version && request.first_version->content.empty()) {
    throw bad_request("Empty content is not allowed.");
  }
  if (request.artifact_id.empty()) {
    request.artifact_id = random_artifact_id();
  } else if (!allowed_characters(request.artifact_id)) {
    throw Problem(400, "InvalidArtifactIdException",
                  "Character % and non ASCII characters are not allowed in artifact IDs.");
  }
  check_lengths(group, request.artifact_id);
  // ArtifactTypeUtil.determineArtifactType: a named type must be known (case-sensitive);
  // otherwise the providers try to discover it from the content.
  if (request.artifact_type.empty()) {
    if (!request.first_version) {
      throw Problem(400, "MissingRequiredParameterException",
                    "Request is missing a required parameter: body.artifactType");
    }
    request.artifact_type =
        detect_artifact_type(request.first_version->content, request.first_version->content_type);
    if (request.artifact_type.empty()) {
      throw Problem(400, "InvalidArtifactTypeException",
                    "Failed to discover artifact type from content.");
    }
  } else if (!known_artifact_type(request.artifact_type)) {
    throw Problem(400, "InvalidArtifactTypeException",
                  "Invalid or unknown artifact type: " + request.artifact_type);
  }

  const std::string key = group_key(group);
  std::lock_guard<std::mutex> lock(mutex_);
  // GroupsResourceImpl.createArtifact applies the rules before it stores anything.
  if (request.first_version) check_validity(request.artifact_type, *request.first_version);
  // AbstractSqlRegistryStorage.createArtifact stores the content (taking a contentId) before
  // it tries to insert the artifact, so a conflict or a dry run still consumes the id.
  std::optional<std::int64_t> content_id;
  if (request.first_version) content_id = intern_content(*request.first_version);
  auto& artifacts = groups_[key];
  auto existing = artifacts.find(request.artifact_id);
  if (existing != artifacts.end()) {
    Artifact& target = existing->second;
    // GroupsResourceImpl.handleIfExists: the exception names the path's group as given.
    if (if_exists == IfExists::Fail || !request.first_version) {
      throw Problem(409, "ArtifactAlreadyExistsException",
                    fmt::format("An artifact with ID '{}' in group '{}' already exists.",
                                request.artifact_id, group));
    }
    if (if_exists == IfExists::FindOrCreateVersion) {
      if (const StoredVersion* same =
              find_same_content(target, *request.first_version, canonical)) {
        return {target.meta, *same};
      }
    }
    // updateArtifactInternal: a second createArtifactVersion, with the path's group.
    StoredVersion version =
        append_version(target, std::move(*request.first_version), dry_run, group, std::nullopt);
    return {target.meta, version};
  }

  Artifact created;
  created.meta.group = key;
  created.meta.artifact = request.artifact_id;
  created.meta.artifact_type = request.artifact_type;
  created.meta.created_on = created.meta.modified_on = now_timestamp();
  created.meta.name = request.name;
  created.meta.description = request.description;
  CreateResult result{created.meta, std::nullopt};
  if (request.first_version) {
    result.version = append_version(created, std::move(*request.first_version), dry_run,
                                    group_title(key), content_id);
  }
  if (dry_run) {
    if (artifacts.empty()) groups_.erase(key);
  } else {
    artifacts.emplace(request.artifact_id, std::move(created));
  }
  return result;
}

StoredVersion Store::create_version(const std::string& group, const std::string& artifact,
                                    NewVersion request, bool dry_run) {
  check_lengths(group, artifact);
  if (request.content.empty()) throw bad_request("Empty content is not allowed.");
  const std::string key = group_key(group);
  std::lock_guard<std::mutex> lock(mutex_);
  auto* target = const_cast<Artifact*>(find(key, artifact));
  if (target == nullptr) throw artifact_not_found(group_title(key), artifact);
  check_validity(target->meta.artifact_type, request);
  return append_version(*target, std::move(request), dry_run, group_title(key), std::nullopt);
}

// AbstractSqlRegistryStorage.createArtifactVersion and SqlVersionRepository
// .createArtifactVersionRaw: the content is stored and a globalId taken before the version
// row is inserted, in a transaction that a dry run or a failure rolls back (ids and content
// stay taken). An unnamed version is named after its versionOrder, max(versionOrder) + 1
// (CommonSqlStatements.insertVersion), or "1" for the first; when that name was given
// explicitly before, UQ_versions_1 fails and the 409 names the version asked for: null.
StoredVersion Store::append_version(Artifact& target, NewVersion request, bool dry_run,
                                    const std::string& title_group,
                                    std::optional<std::int64_t> content_id) {
  if (!request.version.empty() && !valid_version(request.version)) {
    throw validation_error(fmt::format(
        "Version ID '{}' is invalid. It must consist of alphanumeric characters or '._-+', "
        "and have length 1..256 (inclusive).",
        request.version));
  }
  if (!content_id) content_id = intern_content(request);
  const std::int64_t global_id = next_global_id_++;
  std::int64_t order = 1;
  for (const auto& v : target.versions)
    order = std::max(order, v.version_order + 1);
  const std::string name = !request.version.empty()  ? request.version
                           : target.versions.empty() ? std::string("1")
                                                     : std::to_string(order);
  const bool taken = std::any_of(target.versions.begin(), target.versions.end(),
                                 [&](const StoredVersion& v) { return v.version == name; });
  if (taken) {
    throw Problem(409, "VersionAlreadyExistsException",
                  fmt::format("An artifact version '{}' for artifact ID '{}' in group '{}' "
                              "already exists.",
                              request.version.empty() ? "null" : request.version,
                              target.meta.artifact, title_group));
  }
  StoredVersion version;
  version.group = target.meta.group;
  version.artifact = target.meta.artifact;
  version.version = name;
  version.version_order = order;
  version.artifact_type = target.meta.artifact_type;
  version.content_type = request.content_type;
  version.state = request.state;
  version.created_on = now_timestamp();
  version.name = request.name;
  version.description = request.description;
  version.content_id = *content_id;
  version.global_id = global_id;
  if (!dry_run) {
    target.versions.push_back(version);
    target.meta.modified_on = version.created_on;
    artifacts_by_global_id_[version.global_id] = {target.meta.group, target.meta.artifact};
  }
  return version;
}

// SqlContentRepository.ensureContentAndGetId: every attempt takes an id from the sequence,
// then inserts; known content keeps its first id and the new one is lost.
std::int64_t Store::intern_content(const NewVersion& request) {
  const std::int64_t attempt = next_content_id_++;
  if (request.state == VersionState::DRAFT) {
    // AbstractSqlRegistryStorage gives a draft's content a random "draft:" hash: its own
    // content row, whatever the bytes.
    contents_[attempt] =
        StoredContent{attempt, std::make_shared<const std::string>(request.content),
                      request.content_type, request.references, true};
    return attempt;
  }
  std::string hash = content_hash(request.content, request.references);
  auto known = content_ids_by_hash_.find(hash);
  if (known != content_ids_by_hash_.end()) return known->second;
  contents_[attempt] = StoredContent{attempt, std::make_shared<const std::string>(request.content),
                                     request.content_type, request.references};
  content_ids_by_hash_.emplace(std::move(hash), attempt);
  return attempt;
}

const StoredVersion* Store::find_same_content(const Artifact& target, const NewVersion& request,
                                              bool canonical) const {
  // canonical: after the artifact type's canonicalizer (EnhancedAvroContentCanonicalizer
  // for AVRO), as the server compares canonical hashes.
  const std::string& type = target.meta.artifact_type;
  const std::string wanted = canonical ? canonical_for(type, request.content) : request.content;
  const std::string wanted_refs = content_hash("", request.references);
  for (auto it = target.versions.rbegin(); it != target.versions.rend(); ++it) {
    const StoredContent& stored = contents_.at(it->content_id);
    if (stored.draft) continue;  // a draft's hash is unique: never found
    if (content_hash("", stored.references) != wanted_refs) continue;
    const std::string have = canonical ? canonical_for(type, *stored.bytes) : *stored.bytes;
    if (have == wanted) return &*it;
  }
  return nullptr;
}

StoredVersion Store::resolve(const std::string& group, const std::string& artifact,
                             const std::string& expression) const {
  check_lengths(group, artifact);
  const std::string key = group_key(group);
  if (valid_version(expression)) {
    std::lock_guard<std::mutex> lock(mutex_);
    if (const Artifact* found = find(key, artifact)) {
      for (const auto& version : found->versions) {
        if (version.version == expression) return version;
      }
    }
    throw version_not_found(group_title(key), artifact, expression);
  }
  auto parts = java_split(expression, '=');
  if (parts.size() != 2 || parts[0] != "branch") {
    throw validation_error(fmt::format("Could not parse version expression '{}'.", expression));
  }
  const std::string& branch = parts[1];
  if (!valid_version(branch)) {
    throw validation_error(fmt::format(
        "Branch ID '{}' is invalid. It must consist of alphanumeric characters or '._-+', and "
        "have length 1..256 (inclusive).",
        branch));
  }
  std::lock_guard<std::mutex> lock(mutex_);
  if (const Artifact* found = find(key, artifact)) {
    for (auto it = found->versions.rbegin(); it != found->versions.rend(); ++it) {
      bool on_branch = branch == "latest" ? it->state != VersionState::DRAFT
                                          : branch == "drafts" && it->state == VersionState::DRAFT;
      bool wanted = branch == "drafts" || it->state == VersionState::ENABLED ||
                    it->state == VersionState::DEPRECATED;
      if (on_branch && wanted) return *it;
    }
  }
  // The branch repository names the group with its default string, not 'null'.
  throw version_not_found(key.empty() ? "default" : key, artifact,
                          fmt::format("<tip of the branch '{}'>", branch));
}

StoredArtifact Store::artifact(const std::string& group, const std::string& artifact) const {
  check_lengths(group, artifact);
  const std::string key = group_key(group);
  std::lock_guard<std::mutex> lock(mutex_);
  const Artifact* found = find(key, artifact);
  if (found == nullptr) throw artifact_not_found(group_title(key), artifact);
  return found->meta;
}

std::vector<StoredVersion> Store::versions(const std::string& group,
                                           const std::string& artifact) const {
  check_lengths(group, artifact);
  const std::string key = group_key(group);
  std::lock_guard<std::mutex> lock(mutex_);
  const Artifact* found = find(key, artifact);
  if (found == nullptr) throw artifact_not_found(group_title(key), artifact);
  return found->versions;
}

StoredContent Store::content(std::int64_t content_id) const {
  std::lock_guard<std::mutex> lock(mutex_);
  return content_locked(content_id);
}

const StoredContent& Store::content_locked(std::int64_t content_id) const {
  auto it = contents_.find(content_id);
  if (it == contents_.end()) {
    throw Problem(404, "ContentNotFoundException",
                  fmt::format("No content with ID '{}' was found.", content_id));
  }
  return it->second;
}

std::vector<StoredVersion> Store::search_by_content(const std::string& group,
                                                    const std::string& artifact,
                                                    const std::string& content, bool canonical,
                                                    const std::string& artifact_type) const {
  // SearchResourceImpl#searchVersionsByContent: without canonical, the sha256 of the bytes
  // against each content's hash (which covers references too, so content stored with
  // references never matches); with it, the canonical hash of `artifact_type`'s form.
  const std::string wanted = canonical ? canonical_for(artifact_type, content) : content;
  const bool any_group = group.empty();
  const std::string key = group_key(group);
  std::vector<StoredVersion> found;
  std::lock_guard<std::mutex> lock(mutex_);
  for (const auto& [group_id, artifacts] : groups_) {
    if (!any_group && group_id != key) continue;
    for (const auto& [artifact_id, stored] : artifacts) {
      if (!artifact.empty() && artifact_id != artifact) continue;
      for (const auto& version : stored.versions) {
        const StoredContent& bytes = contents_.at(version.content_id);
        if (bytes.draft || !bytes.references.empty()) continue;
        const std::string have =
            canonical ? canonical_for(artifact_type, *bytes.bytes) : *bytes.bytes;
        if (have == wanted) found.push_back(version);
      }
    }
  }
  return found;
}

std::pair<StoredVersion, StoredContent> Store::by_global_id(std::int64_t global_id) const {
  std::lock_guard<std::mutex> lock(mutex_);
  auto where = artifacts_by_global_id_.find(global_id);
  if (where != artifacts_by_global_id_.end()) {
    const Artifact* found = find(where->second.first, where->second.second);
    for (const auto& version : found->versions) {
      if (version.global_id != global_id) continue;
      if (version.state == VersionState::DISABLED || version.state == VersionState::DRAFT) break;
      return {version, contents_.at(version.content_id)};
    }
  }
  // IdsResourceImpl.getContentByGlobalId: a disabled or draft version is
  // ArtifactNotFoundException(null, id); SqlVersionRepository answers an unknown id with
  // VersionNotFoundException(globalId).
  if (where != artifacts_by_global_id_.end()) {
    throw artifact_not_found("null", std::to_string(global_id));
  }
  throw global_id_not_found(global_id);
}

StoredContent Store::by_content_id(std::int64_t content_id) const {
  std::lock_guard<std::mutex> lock(mutex_);
  auto it = contents_.find(content_id);
  if (it == contents_.end() || it->second.draft) {
    throw Problem(404, "ContentNotFoundException",
                  fmt::format("No content with ID '{}' was found.", content_id));
  }
  return it->second;
}

StoredContent Store::by_content_hash(const std::string& sha256_hex) const {
  std::lock_guard<std::mutex> lock(mutex_);
  auto it = content_ids_by_hash_.find(sha256_hex);
  if (it == content_ids_by_hash_.end()) {
    throw Problem(404, "ContentNotFoundException",
                  fmt::format("No content with hash '{}' was found.", sha256_hex));
  }
  return contents_.at(it->second);
}

void Store::set_state(const std::string& group, const std::string& artifact,
                      const std::string& version, VersionState state) {
  const std::string key = group_key(group);
  std::lock_guard<std::mutex> lock(mutex_);
  if (auto* found = const_cast<Artifact*>(find(key, artifact))) {
    for (auto& stored : found->versions) {
      if (stored.version == version) {
        stored.state = state;
        return;
      }
    }
  }
  throw version_not_found(group_title(key), artifact, version);
}

void Store::delete_artifact(const std::string& group, const std::string& artifact) {
  check_lengths(group, artifact);
  const std::string key = group_key(group);
  std::lock_guard<std::mutex> lock(mutex_);
  const Artifact* found = find(key, artifact);
  if (found == nullptr) throw artifact_not_found(group_title(key), artifact);
  for (const auto& version : found->versions)
    artifacts_by_global_id_.erase(version.global_id);
  groups_[key].erase(artifact);
}

void Store::set_validity_rule(std::string level) {
  std::lock_guard<std::mutex> lock(mutex_);
  validity_rule_ = level == "NONE" ? std::string() : std::move(level);  // ValidityLevel.NONE
}

// AvroContentValidator and JsonSchemaContentValidator at SYNTAX_ONLY: the content must parse
// (Avro: as a schema, approximated by JSON naming a type); drafts skip the rules.
void Store::check_validity(const std::string& artifact_type, const NewVersion& request) const {
  if (validity_rule_.empty() || request.state == VersionState::DRAFT) return;
  const char* title = nullptr;
  if (artifact_type == "AVRO" && !parses_as_avro(request.content)) {
    title = "Syntax violation for Avro artifact.";
  } else if (artifact_type == "JSON" && !parses_as_json(request.content)) {
    title = "Syntax violation for JSON Schema artifact.";
  }
  if (title == nullptr) return;
  Problem violation(400, "RuleViolationException", title);
  violation.causes.emplace();
  throw violation;
}

void Store::clear() {
  std::lock_guard<std::mutex> lock(mutex_);
  groups_.clear();
  contents_.clear();
  content_ids_by_hash_.clear();
  artifacts_by_global_id_.clear();
  next_global_id_ = 1;
  next_content_id_ = 1;
}

}  // namespace apicurio::emulator
