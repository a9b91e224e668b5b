// The HTTP side of ClientCore: what each fetch sends and how its reply becomes a
// CachedSchema. Everything here runs on the event thread.
#include "client_core.hpp"

#include "decode.hpp"
#include "register_request.hpp"
#include "time_math.hpp"

#include <fmt/format.h>

namespace apicurio::detail {
namespace {

const char* id_path(IdKind kind) {
  return kind == IdKind::global_id ? "/ids/globalIds/" : "/ids/contentIds/";
}

HttpRequest get(std::string url, bool json) {
  HttpRequest request;
  request.url = std::move(url);
  request.accept_json = json;
  return request;
}

bool is_success(const HttpResponse& r) {
  return r.transport == 0 && r.status == 200;
}

// A 200 reply's body as `decode` reads it, or the MalformedReply error naming what was wrong
// in the context `context()` makes (only then: a success needs none).
template <class Decode, class MakeContext>
auto decoded(const HttpResponse& r, MakeContext context, Decode decode) {
  using Value = decltype(decode(r.body));
  try {
    return Result<Value>::success(decode(r.body));
  } catch (const DecodeError& e) {
    return Result<Value>::failure(malformed_reply(r, context(), e.what()));
  }
}

}  // namespace

ReplyContext ClientCore::context_for(const std::string& method, const std::string& url) const {
  ReplyContext context;
  context.method = method;
  context.url = url;
  context.base_url = base_.base;
  context.max_response_bytes = options_.max_response_bytes;
  return context;
}

void ClientCore::send(HttpRequest&& request, Idempotency idempotency, Operation operation,
                      Reply done, bool renewed, std::optional<Clock::time_point> deadline) {
  // milliseconds::max() (or a deadline past the end of time) is no deadline. The send after
  // a 401 keeps the first one's deadline: the renewal and the resend are part of the call.
  if (!renewed && options_.call_deadline.count() > 0) {
    const auto at = saturating_after<Clock>(time_.now(), options_.call_deadline);
    if (at != Clock::time_point::max()) deadline = at;
  }
  if (auth_->authorize_now(request)) {
    return dispatch(std::move(request), idempotency, operation, std::move(done), renewed, deadline);
  }
  // Waiting for a token: `done` goes to whichever of the two callbacks runs.
  auto shared_done = std::make_shared<Reply>(std::move(done));
  auth_->when_authorized(
      std::move(request), deadline,
      [this, idempotency, operation, shared_done, renewed, deadline](HttpRequest&& authorized) {
        dispatch(std::move(authorized), idempotency, operation, std::move(*shared_done), renewed,
                 deadline);
      },
      [shared_done](std::exception_ptr error) {
        HttpResponse failed;
        failed.error = std::move(error);
        (*shared_done)(std::move(failed));
      });
}

void ClientCore::dispatch(HttpRequest&& authorized, Idempotency idempotency, Operation operation,
                          Reply done, bool renewed, std::optional<Clock::time_point> deadline) {
  ExchangeOptions exchange;
  exchange.retry = {options_.max_retries, options_.retry_backoff, options_.retry_max_backoff};
  exchange.idempotency = idempotency;
  exchange.deadline = deadline;
  LiveOperation& m = metrics_[operation];
  send_with_retries(*loop_, std::move(authorized), exchange, {m.http_requests, m.retries},
                    [this, idempotency, operation, done = std::move(done), renewed, deadline](
                        HttpResponse&& r, const HttpRequest& sent) {
                      // A 401 may mean the token was revoked or expired early: renew it once.
                      if (r.transport == 0 && r.status == 401 && !renewed && auth_->reject(sent)) {
                        HttpRequest again = sent;
                        again.bearer.clear();
                        return send(std::move(again), idempotency, operation, done, true, deadline);
                      }
                      done(std::move(r));
                    });
}

std::string ClientCore::version_url(const ArtifactKey& key) const {
  constexpr std::string_view groups = "/groups/";
  constexpr std::string_view artifacts = "/artifacts/";
  constexpr std::string_view versions = "/versions/";
  std::string url;
  // One allocation when nothing needs percent-encoding, the usual case.
  url.reserve(base_.base.size() + groups.size() + key.group.size() + artifacts.size() +
              key.artifact.size() + versions.size() + key.expression.size());
  url += base_.base;
  url += groups;
  append_segment(url, key.group);
  url += artifacts;
  append_segment(url, key.artifact);
  url += versions;
  append_segment(url, key.expression);
  return url;
}

std::string ClientCore::id_url(IdKind kind, std::int64_t id) const {
  return fmt::format("{}{}{}", base_.base, id_path(kind), id);
}

std::string ClientCore::id_read_url(IdKind kind, std::int64_t id, bool dereference) const {
  std::string url = id_url(kind, id);
  if (dereference) return url + "?references=DEREFERENCE&returnArtifactType=true";
  // PRESERVE even though it is the default: an operator may configure another default
  // (apicurio.rest.artifact.references.default-handling), and the text must be the one the
  // content id names. /ids/contentIds/{id} takes no `references` parameter.
  if (kind == IdKind::global_id) url += "?references=PRESERVE&returnArtifactType=true";
  return url;
}

// Contexts are made when an error needs one, not for every request that might fail.
ReplyContext ClientCore::version_context(const ArtifactKey& key) const {
  ReplyContext context = context_for("GET", version_url(key));
  context.group = key.group;
  context.artifact = key.artifact;
  context.expression = key.expression;
  return context;
}

ReplyContext ClientCore::id_context(IdKind kind, std::int64_t id, bool dereference) const {
  ReplyContext context = context_for("GET", id_read_url(kind, id, dereference));
  context.subject = ReplyContext::Subject::id;
  context.id_kind = kind;
  context.id = id;
  return context;
}

void ClientCore::fetch_version(CallPtr call) {
  send(get(version_url(*call->subject.key), true), Idempotency::idempotent, call->operation,
       [this, call](HttpResponse&& r) {
         auto context = [this, &call] { return version_context(*call->subject.key); };
         if (!is_success(r)) return fail(call, error_for(r, context()));
         Result<VersionMeta> meta = decoded(r, context, decode_version_meta);
         if (!meta.ok()) return fail(call, meta.error());
         if (parse_version_state(meta.value().state) == VersionState::draft) {
           CachedSchema draft;
           take_version_meta(draft, std::move(meta.value()));
           return fetch_draft_content(std::move(draft), call);
         }
         // The registry has just named the content: a 404 remembered of it is out of date.
         by_content_id_.forget_not_found(meta.value().content_id);
         // The content step runs where the content completes: here, if it is cached, or on
         // the event thread when its fetch ends.
         lookup_id(IdKind::content_id, meta.value().content_id, call->operation, false)
             .then_result(nullptr, [this, call, meta = meta.value()](
                                       const Result<CachedSchema>& content) mutable {
               if (!content.ok()) return fail(call, content.error());
               CachedSchema schema = content.value();
               take_version_meta(schema, std::move(meta));  // it runs once
               finish(call, Result<CachedSchema>::success(std::move(schema)));
             });
       });
}

void ClientCore::fetch_draft_content(CachedSchema schema, CallPtr call) {
  // The version's name, not the expression asked (branch=drafts moves on).
  const std::string version =
      version_url({call->subject.key->group, schema.artifact_id, schema.version});
  const std::string url = version + "/content";
  HttpRequest request = get(url, false);
  request.wants_content_headers = true;
  send(std::move(request), Idempotency::idempotent, call->operation,
       [this, call, version, url, schema = std::move(schema)](HttpResponse&& r) mutable {
         auto context = [this, &call, &url] {
           ReplyContext c = version_context(*call->subject.key);
           c.url = url;
           return c;
         };
         if (!is_success(r)) return fail(call, error_for(r, context()));
         schema.content = std::make_shared<const std::string>(std::move(r.body));
         schema.content_type = std::move(r.content_type);
         if (!options_.fetch_references) {
           return finish(call, Result<CachedSchema>::success(std::move(schema)));
         }
         const std::string references_url = version + "/references";
         send(get(references_url, true), Idempotency::idempotent, call->operation,
              [this, call, references_url, schema = std::move(schema)](HttpResponse&& r) mutable {
                auto context = [this, &call, &references_url] {
                  ReplyContext c = version_context(*call->subject.key);
                  c.url = references_url;
                  return c;
                };
                if (!is_success(r)) return fail(call, error_for(r, context()));
                auto references = decoded(r, context, decode_references);
                if (!references.ok()) return fail(call, references.error());
                schema.references = references.value();
                finish(call, Result<CachedSchema>::success(std::move(schema)));
              });
       });
}

void ClientCore::fetch_by_id(CallPtr call) {
  const IdKind kind = call->subject.kind;
  const std::int64_t id = call->subject.id;
  const bool dereference = call->subject.dereference;
  HttpRequest request = get(id_read_url(kind, id, dereference), false);
  request.wants_content_headers = true;
  send(std::move(request), Idempotency::idempotent, call->operation,
       [this, kind, id, dereference, call](HttpResponse&& r) {
         if (!is_success(r)) return fail(call, error_for(r, id_context(kind, id, dereference)));
         CachedSchema schema;
         schema.content = std::make_shared<const std::string>(std::move(r.body));
         schema.content_type = std::move(r.content_type);
         if (kind == IdKind::global_id) {
           schema.global_id = id;
           schema.artifact_type = std::move(r.artifact_type);
         } else {
           schema.content_id = id;
         }
         // A dereferenced text has no references left to list.
         if (dereference) return finish(call, Result<CachedSchema>::success(std::move(schema)));
         with_references(kind, id, std::move(schema), call);
       });
}

void ClientCore::fetch_reference_list(CallPtr call) {
  const IdKind kind = call->subject.kind;
  const std::int64_t id = call->subject.id;
  send(get(id_url(kind, id) + "/references", true), Idempotency::idempotent, call->operation,
       [this, kind, id, call](HttpResponse&& r) {
         auto context = [this, kind, id] {
           ReplyContext c = id_context(kind, id);
           c.url = id_url(kind, id) + "/references";
           return c;
         };
         if (!is_success(r)) return fail(call, error_for(r, context()));
         auto references = decoded(r, context, decode_references);
         if (!references.ok()) return fail(call, references.error());
         CachedSchema list;
         (kind == IdKind::global_id ? list.global_id : list.content_id) = id;
         list.references = references.value();
         finish(call, Result<CachedSchema>::success(std::move(list)));
       });
}

void ClientCore::with_references(IdKind kind, std::int64_t id, CachedSchema schema, CallPtr call) {
  if (!options_.fetch_references) {
    return finish(call, Result<CachedSchema>::success(std::move(schema)));
  }
  send(get(id_url(kind, id) + "/references", true), Idempotency::idempotent, call->operation,
       [this, kind, id, schema = std::move(schema), call](HttpResponse&& r) mutable {
         auto context = [this, kind, id] {
           ReplyContext c = id_context(kind, id);
           c.url = id_url(kind, id) + "/references";
           return c;
         };
         if (!is_success(r)) return fail(call, error_for(r, context()));
         auto references = decoded(r, context, decode_references);
         if (!references.ok()) return fail(call, references.error());
         schema.references = references.value();
         finish(call, Result<CachedSchema>::success(std::move(schema)));
       });
}

void ClientCore::send_register(const std::string& group, const std::string& artifact_id,
                               const std::string& text, const RegisterOptions& options,
                               CallPtr call) {
  std::string url = fmt::format("{}/groups/{}/artifacts{}", base_.base, encode_segment(group),
                                register_query(options));
  ReplyContext context = context_for("POST", url);
  context.subject = ReplyContext::Subject::registration;
  context.group = group;
  context.artifact = artifact_id;
  HttpRequest request;
  request.method = "POST";
  request.url = url;
  request.headers = {"Content-Type: application/json", "Accept: application/json"};
  request.body = register_body(artifact_id, text, options);
  // FAIL is not idempotent either: a retry after a lost reply reports the artifact it
  // created itself as a conflict.
  auto idempotency = options.if_exists == IfExists::find_or_create_version
                         ? Idempotency::idempotent
                         : Idempotency::non_idempotent;
  auto content = std::make_shared<const std::string>(text);
  send(std::move(request), idempotency, call->operation,
       [this, context, call, content, options](HttpResponse&& r) {
         if (!is_success(r)) return fail(call, error_for(r, context));
         Result<VersionMeta> meta = decoded(
             r, [&context] { return context; }, decode_create_artifact);
         if (!meta.ok()) return fail(call, meta.error());
         CachedSchema schema;
         schema.content = content;
         take_version_meta(schema, meta.value());
         schema.content_type = options.content_type;
         schema.references = options.references;
         // A canonical match may be a version whose stored text (and content type) differ
         // from what was sent: cache what the registry stores.
         if (options.canonical) return with_stored_content(std::move(schema), call);
         finish(call, Result<CachedSchema>::success(std::move(schema)));
       });
}

}  // namespace apicurio::detail
