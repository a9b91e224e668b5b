// find_schema: the version whose content matches a text, found without registering, as the
// Java serdes find it when they neither register nor read the latest version
// (RegistryClientFacadeImpl#searchVersionsByContent in apicurio-registry's schema-resolver;
// the server side is SearchResourceImpl#searchVersionsByContent).
#include "client_core.hpp"

#include "decode.hpp"
#include "time_math.hpp"

#include <fmt/format.h>

#include <stdexcept>

namespace apicurio::detail {
namespace {

// What a 404-like miss names as the version asked for: there is no expression.
constexpr const char* kByContent = "(by content)";

// The part of a find's key that names its artifact, so that a registration can drop the
// misses remembered of it.
std::string artifact_prefix(std::string_view group, std::string_view artifact) {
  std::string prefix;
  prefix.reserve(group.size() + artifact.size() + 2);
  prefix.append(group).push_back('\n');
  prefix.append(artifact).push_back('\n');
  return prefix;
}

// The text itself is part of the key, not a digest of it: no two contents can collide.
std::string find_key(std::string_view group, std::string_view artifact, std::string_view text,
                     const FindOptions& options) {
  std::string key = artifact_prefix(group, artifact);
  key += options.canonical ? "canonical\n" : "exact\n";
  key.append(options.artifact_type).push_back('\n');
  key.append(options.content_type).push_back('\n');
  key.append(text);
  return key;
}

}  // namespace

Future<CachedSchema> ClientCore::find_version(std::string_view group, std::string_view artifact_id,
                                              std::string_view text, const FindOptions& options) {
  if (artifact_id.empty()) throw std::invalid_argument("artifact_id is empty");
  if (text.empty()) throw std::invalid_argument("schema_text is empty");
  if (options.content_type.empty()) throw std::invalid_argument("content_type is empty");
  if (closed_.load(std::memory_order_acquire)) return closed_future();
  std::string key = find_key(group, artifact_id, text, options);
  Settle settle = [this, key, g = std::string(group)](
                      const Call& call, const Result<CachedSchema>& r, Clock::time_point now) {
    SchemaRecord record = record_of(r);
    // The answer may change (a newer version with the same content, a version disabled), so
    // it ages as the latest version does.
    SettleEffect effect =
        found_.settle(key, call.generation, outcome_of(r), record, aging_freshness(now),
                      saturating_after<Clock>(now, options_.not_found_ttl),
                      saturating_after<Clock>(now, options_.retry_backoff));
    if (record) remember(g, record, true, false);
    return effect;
  };
  Start start = [this, g = std::string(group), a = std::string(artifact_id), t = std::string(text),
                 options](CallPtr call) { send_find(g, a, t, options, std::move(call)); };
  const auto now = time_.now();
  const std::uint64_t epoch = front_.epoch();
  Lookup lookup = found_.lookup(key, now, executor_);
  const SchemaRecord value = lookup.value;
  const LookupOutcome outcome = lookup.outcome;
  const Clock::time_point fresh_until = lookup.fresh_until;
  Future<CachedSchema> fetch = begin(std::move(lookup), Operation::find_schema, true, now, {},
                                     std::move(settle), std::move(start));
  if (!value) return fetch;
  return answer_hit(outcome, fresh_until, *value, nullptr, epoch);
}

void ClientCore::forget_found_misses_of(const std::string& group, const std::string& artifact) {
  const std::string prefix = artifact_prefix(group, artifact);
  found_.forget_not_found_if(
      [&](const std::string& key) { return key.compare(0, prefix.size(), prefix) == 0; });
}

void ClientCore::forget_found_of(std::string_view group, std::string_view artifact) {
  const std::string prefix = artifact_prefix(group, artifact);
  found_.erase_if(
      [&](const std::string& key) { return key.compare(0, prefix.size(), prefix) == 0; });
}

void ClientCore::send_find(const std::string& group, const std::string& artifact,
                           const std::string& text, const FindOptions& options, CallPtr call) {
  // As the Java serdes ask: newest first, and enough results to skip the DISABLED ones.
  std::string url = fmt::format(
      "{}/search/versions?canonical={}&artifactType={}&groupId={}&artifactId={}"
      "&orderby=globalId&order=desc&limit=100",
      base_.base, options.canonical, encode_segment(options.artifact_type), encode_segment(group),
      encode_segment(artifact));
  ReplyContext context = context_for("POST", url);
  context.group = group;
  context.artifact = artifact;
  context.expression = kByContent;
  HttpRequest request;
  request.method = "POST";
  request.url = url;
  request.headers = {"Content-Type: " + options.content_type, "Accept: application/json"};
  request.body = text;
  send(std::move(request), Idempotency::idempotent, call->operation,
       [this, context, call](HttpResponse&& r) {
         if (r.transport != 0 || r.status != 200) return fail(call, error_for(r, context));
         std::vector<VersionMeta> versions;
         try {
           versions = decode_version_search(r.body);
         } catch (const DecodeError& e) {
           return fail(call, malformed_reply(r, context, e.what()));
         }
         for (VersionMeta& meta : versions) {
           // The Java serdes skip DISABLED versions and take the first of the rest.
           if (parse_version_state(meta.state) == VersionState::disabled) continue;
           CachedSchema schema;
           take_version_meta(schema, std::move(meta));
           // With canonical matching the stored text may differ from the one sent; in any case
           // the content type and references are the stored content's.
           return with_stored_content(std::move(schema), call);
         }
         fail(call, std::make_exception_ptr(
                        SchemaNotFoundError(context.group, context.artifact, context.expression,
                                            "no version of the artifact has this content")));
       });
}

void ClientCore::with_stored_content(CachedSchema schema, CallPtr call) {
  const std::int64_t content_id = schema.content_id;
  lookup_id(IdKind::content_id, content_id, call->operation, false)
      .then_result(nullptr, [this, call, schema = std::move(schema)](
                                const Result<CachedSchema>& stored) mutable {
        if (!stored.ok()) return fail(call, stored.error());
        schema.content = stored.value().content;
        schema.content_type = stored.value().content_type;
        schema.references = stored.value().references;
        finish(call, Result<CachedSchema>::success(std::move(schema)));
      });
}

}  // namespace apicurio::detail
