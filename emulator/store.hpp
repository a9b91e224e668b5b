// The registry's data: groups, artifacts, versions and deduplicated content, with the
// server's id rules. Every member function is thread-safe (one mutex, never held across I/O)
// and reports registry errors by throwing Problem.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include <apicurio/testing/emulator.hpp>
#include "problem.hpp"

namespace apicurio::emulator {

/// Group keys: the null group ("default", any case) is stored as "".
std::string group_key(const std::string& raw_group);
/// How error titles print a group key: "null" for the null group.
std::string group_title(const std::string& key);

struct StoredVersion {
  std::string group;  // a group key
  std::string artifact;
  std::string version;
  std::int64_t global_id = 0;
  std::int64_t content_id = 0;
  std::int64_t version_order = 0;  // 1, 2, ... in creation order (the server's versionOrder)
  std::string artifact_type;
  std::string content_type;
  VersionState state = VersionState::ENABLED;
  std::string created_on;
  std::string name;
  std::string description;
};

struct StoredArtifact {
  std::string group;  // a group key
  std::string artifact;
  std::string artifact_type;
  std::string created_on;
  std::string modified_on;
  std::string name;
  std::string description;
};

struct StoredContent {
  std::int64_t content_id = 0;
  std::shared_ptr<const std::string> bytes;
  std::string content_type;
  std::vector<Reference> references;
  // A DRAFT version's content: its hash is unique ("draft:..." on the server), so it is
  // never shared, never matched by content, and not served by contentId.
  bool draft = false;
};

struct NewVersion {
  std::string version;  // "" numbers it
  std::string content;
  std::string content_type;
  std::vector<Reference> references;
  std::string name;
  std::string description;
  VersionState state = VersionState::ENABLED;
};

struct NewArtifact {
  std::string artifact_id;
  std::string artifact_type;  // "" guesses it from the first version's content
  std::string name;
  std::string description;
  std::optional<NewVersion> first_version;
};

enum class IfExists { Fail, CreateVersion, FindOrCreateVersion };

struct CreateResult {
  StoredArtifact artifact;
  std::optional<StoredVersion> version;
};

class Store {
 public:
  /// Checks group and artifact ids the way the server's GA constructor does (400).
  static void check_lengths(const std::string& group, const std::string& artifact);

  CreateResult create_artifact(const std::string& group, NewArtifact request, IfExists if_exists,
                               bool canonical, bool dry_run);
  StoredVersion create_version(const std::string& group, const std::string& artifact,
                               NewVersion request, bool dry_run);
  /// Resolves a version expression: a literal version or branch=NAME.
  StoredVersion resolve(const std::string& group, const std::string& artifact,
                        const std::string& expression) const;
  StoredArtifact artifact(const std::string& group, const std::string& artifact) const;
  std::vector<StoredVersion> versions(const std::string& group, const std::string& artifact) const;
  /// Any content, a draft's included (for reads through its version).
  StoredContent content(std::int64_t content_id) const;
  /// The versions whose content matches `content` (byte for byte, or in the canonical form
  /// of `artifact_type`), in `group` and `artifact` when not empty, in creation order.
  /// Drafts never match; every other state does.
  std::vector<StoredVersion> search_by_content(const std::string& group,
                                               const std::string& artifact,
                                               const std::string& content, bool canonical,
                                               const std::string& artifact_type) const;
  /// The content of a version; throws the globalId 404 if it is unknown.
  std::pair<StoredVersion, StoredContent> by_global_id(std::int64_t global_id) const;
  /// 404 for a draft's content, as the server answers.
  StoredContent by_content_id(std::int64_t content_id) const;
  StoredContent by_content_hash(const std::string& sha256_hex) const;

  /// The global VALIDITY rule's level: "" (none), "SYNTAX_ONLY" or "FULL". Call before
  /// serving; clear() keeps it.
  void set_validity_rule(std::string level);

  void set_state(const std::string& group, const std::string& artifact, const std::string& version,
                 VersionState state);
  void delete_artifact(const std::string& group, const std::string& artifact);
  void clear();

 private:
  struct Artifact {
    StoredArtifact meta;
    std::vector<StoredVersion> versions;  // in creation order
  };
  using Artifacts = std::map<std::string, Artifact>;

  const Artifact* find(const std::string& key, const std::string& artifact) const;
  /// `title_group` is how a 409 prints the group; `content_id`, when given, is the content
  /// already stored for this request.
  StoredVersion append_version(Artifact& target, NewVersion request, bool dry_run,
                               const std::string& title_group,
                               std::optional<std::int64_t> content_id);
  /// Stores the content unless known; consumes a contentId either way.
  std::int64_t intern_content(const NewVersion& request);
  const StoredVersion* find_same_content(const Artifact& target, const NewVersion& request,
                                         bool canonical) const;
  const StoredContent& content_locked(std::int64_t content_id) const;

  /// RulesServiceImpl with the VALIDITY rule: throws 400 RuleViolationException.
  void check_validity(const std::string& artifact_type, const NewVersion& request) const;

  mutable std::mutex mutex_;
  std::string validity_rule_;                                // guarded by mutex_
  std::map<std::string, Artifacts> groups_;                  // guarded by mutex_
  std::map<std::int64_t, StoredContent> contents_;           // guarded by mutex_
  std::map<std::string, std::int64_t> content_ids_by_hash_;  // guarded by mutex_
  std::map<std::int64_t, std::pair<std::string, std::string>> artifacts_by_global_id_;  // ditto
  std::int64_t next_global_id_ = 1;   // guarded by mutex_
  std::int64_t next_content_id_ = 1;  // guarded by mutex_
};

}  // namespace apicurio::emulator
