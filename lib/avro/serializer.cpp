// The serializer: a topic's schema is found once (through the registry, shared by every
// thread), then kept by each thread, so that the records after the first take no lock,
// wait for nothing and allocate nothing but the output's growth.
#include "internal.hpp"
#include "seams.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <stdexcept>

namespace apicurio::avro {
namespace detail {

struct Resolved {
  Schema schema;
  std::int64_t id;
};
using ResolvedPtr = std::shared_ptr<const Resolved>;

// A reference to an avro-c schema, released with its holder.
struct SchemaRef {
  SchemaRef() = default;
  SchemaRef(SchemaRef&& o) noexcept : schema(o.schema) { o.schema = nullptr; }
  SchemaRef& operator=(SchemaRef&&) = delete;
  ~SchemaRef() { clear(); }
  void clear() noexcept {
    if (schema != nullptr) avro_schema_decref(schema);
    schema = nullptr;
  }
  void reset(avro_schema_t s) noexcept {
    if (schema != nullptr) avro_schema_decref(schema);
    schema = avro_schema_incref(s);
  }
  avro_schema_t schema = nullptr;
};

// What one thread keeps per topic: the shared resolution, a value to parse JSON into, and
// the last schema object other than the topic's found equal to it. Users often make values
// of their own parsed copy of the schema: avro_schema_equal on every record cost as much
// as the encoding. The reference keeps another schema from taking that address.
struct SerializerThreadEntry {
  ResolvedPtr resolved;
  Value scratch;
  SchemaRef equal;
  // SchemaChoice::latest: when to look again whether the version moved, and the lookup this
  // thread started for that (its answer is taken when ready, never waited for).
  std::chrono::steady_clock::time_point recheck_at{};
  Future<ResolvedPtr> pending;
};
using SerializerSlots = ThreadSlots<std::string, SerializerThreadEntry>;

using Clock = std::chrono::steady_clock;

// How often SchemaChoice::latest asks again: half the client's latest_ttl, within
// [100 ms, 1 s] (computed in milliseconds, so that max() saturates at 1 s). The client's
// cache decides freshness (a lookup within latest_ttl is a hit; past it the cached version
// is served at once while one refresh runs), so the version in use trails a new latest by
// about latest_ttl plus one or two rechecks; the floor keeps latest_ttl 0 from turning each
// serializer into a poller of the registry. Other choices are pinned: never asked again.
Clock::duration recheck_interval(const RegistryClient& client, SchemaChoice choice) {
  if (choice != SchemaChoice::latest) return Clock::duration::max();
  using std::chrono::milliseconds;
  return std::clamp(client.options().latest_ttl / 2, milliseconds(100), milliseconds(1000));
}

struct SerializerShared : std::enable_shared_from_this<SerializerShared> {
  SerializerShared(RegistryClient& c, SerializerOptions o)
      : client(c),
        options(std::move(o)),
        table(options.max_schemas),
        recheck(recheck_interval(c, options.choice)) {}

  // The topic's schema and id: the lookup in flight or done, or a new one. A failed lookup
  // is not kept, so the next record tries again; with SchemaChoice::latest, one started
  // `recheck` ago or more is started again (threads that have a version keep it until the
  // new answer is in: see thread_entry).
  Future<ResolvedPtr> resolve(std::string_view topic) APICURIO_EXCLUDES(mutex);
  bool follows_latest() const noexcept { return recheck != Clock::duration::max(); }
  Future<CachedSchema> lookup(const ArtifactChoice& artifact);

  RegistryClient& client;
  const SerializerOptions options;
  SchemaTable table;
  const std::uint64_t owner = next_owner_id();
  const Clock::duration recheck;
  std::atomic<std::uint64_t> epoch{1};
  Mutex mutex;
  struct Topic {
    Future<ResolvedPtr> lookup;
    Clock::time_point started;
  };
  std::map<std::string, Topic, std::less<>> topics APICURIO_GUARDED_BY(mutex);
};

Future<CachedSchema> SerializerShared::lookup(const ArtifactChoice& artifact) {
  switch (options.choice) {
    case SchemaChoice::find_by_content:
      return find_by_content(client, artifact, options.schema);
    case SchemaChoice::auto_register: {
      RegisterOptions ro;
      ro.if_exists = options.if_exists;
      return client.register_schema(to_ref(artifact), options.schema, ro);
    }
    case SchemaChoice::latest:
      return client.get_schema(to_ref(artifact));
    case SchemaChoice::explicit_version:
      return client.get_schema(to_ref(artifact), options.version);
    case SchemaChoice::explicit_id:
      break;
  }
  return options.id_kind == IdKind::content_id ? client.get_schema_by_content_id(options.id)
                                               : client.get_schema_by_global_id(options.id);
}

Future<ResolvedPtr> SerializerShared::resolve(std::string_view topic) {
  const Clock::time_point now = follows_latest() ? Clock::now() : Clock::time_point{};
  {
    MutexLock lock(mutex);
    auto found = topics.find(topic);
    if (found != topics.end()) {
      const Future<ResolvedPtr>& f = found->second.lookup;
      if (!f.is_ready()) return f;
      if (f.result().ok() && (!follows_latest() || now - found->second.started < recheck)) return f;
      if (!f.result().ok()) topics.erase(found);
    }
  }
  // The strategy (user code) and the client call run outside the lock.
  const ArtifactChoice artifact = options.choice == SchemaChoice::explicit_id
                                      ? ArtifactChoice{}
                                      : choose_artifact(options, topic);
  std::weak_ptr<SerializerShared> weak = weak_from_this();
  const IdKind kind = options.id_kind;
  Future<ResolvedPtr> resolved = lookup(artifact).then([weak, kind](const CachedSchema& s) {
    auto self = weak.lock();
    if (!self) throw AvroError("The Serializer was destroyed before its schema lookup ended.");
    const std::int64_t id = kind == IdKind::content_id ? s.content_id : s.global_id;
    if (id < 0) {
      throw AvroError(fmt::format("The registry's answer for the {} has no {}.", describe(s),
                                  id_kind_name(kind)));
    }
    return std::make_shared<const Resolved>(Resolved{self->table.get(kind, id, s), id});
  });
  MutexLock lock(mutex);
  if (topics.size() >= options.max_schemas && topics.find(topic) == topics.end()) topics.clear();
  Topic& entry = topics[std::string(topic)];
  entry.lookup = std::move(resolved);
  entry.started = now;
  return entry.lookup;
}

namespace {

void check_options(const SerializerOptions& o) {
  const bool needs_schema =
      o.choice == SchemaChoice::auto_register || o.choice == SchemaChoice::find_by_content;
  if (needs_schema && o.schema.empty()) {
    throw std::invalid_argument(
        "SerializerOptions::schema is needed by auto_register and find_by_content");
  }
  if (o.choice == SchemaChoice::explicit_version && o.version.empty()) {
    throw std::invalid_argument("SerializerOptions::version is needed by explicit_version");
  }
  if (o.choice == SchemaChoice::explicit_id && o.id < 1) {
    throw std::invalid_argument("SerializerOptions::id must be 1 or more for explicit_id");
  }
  if (!o.strategy) throw std::invalid_argument("SerializerOptions::strategy is empty");
  if (o.max_schemas == 0)
    throw std::invalid_argument("SerializerOptions::max_schemas must be 1 or more");
}

// Frames `payload` into out, or sets the id header; out is unchanged if this throws.
void emit(const SerializerOptions& o, std::int64_t id, ByteView payload, Serialized& out) {
  if (o.placement == IdPlacement::headers) {
    const auto value = header_id_bytes(id);
    out.bytes.append(payload.chars());
    out.set_header(IdHeader{id_header_name(o.part, o.id_kind), value});
    return;
  }
  append_frame(out.bytes,
               o.placement == IdPlacement::legacy8 ? Framing::legacy8 : Framing::confluent4, id,
               payload);
}

void encode(const SerializerOptions& o, SerializerThreadEntry& entry, const avro_value_t& record,
            Serialized& out) {
  const Resolved& r = *entry.resolved;
  avro_schema_t given = avro_value_get_schema(&record);
  if (given != r.schema.get() && given != entry.equal.schema) {
    if (!avro_schema_equal(given, r.schema.get())) {
      throw RecordMismatchError(
          "$", fmt::format("the value is of another schema than the {} the topic is written with",
                           describe(r.schema.registered())));
    }
    entry.equal.reset(given);
  }
  emit(o, r.id, encode_to_scratch(const_cast<avro_value_t&>(record)), out);
}

SerializerThreadEntry* find_entry(const SerializerShared& shared, std::uint64_t epoch,
                                  std::string_view topic) {
  auto& slot = SerializerSlots::get(shared.owner, epoch);
  auto found = slot.entries.find(topic);
  return found == slot.entries.end() ? nullptr : &found->second;
}

void drop_entry(const SerializerShared& shared, std::uint64_t epoch, std::string_view topic) {
  auto& slot = SerializerSlots::get(shared.owner, epoch);
  auto found = slot.entries.find(topic);
  if (found != slot.entries.end()) slot.entries.erase(found);
}

// SchemaChoice::latest, once `entry`'s recheck time has come: starts a lookup, or takes the
// answer of the one it started when that is in, never waiting for it. Returns the entry to
// use, or null when the answer was a failure: the client no longer serves the version (the
// artifact is gone, or the registry failed past max_stale), so the record waits for the
// registry as a first one does and fails as it does.
SerializerThreadEntry* recheck_latest(SerializerShared& shared, std::uint64_t epoch,
                                      std::string_view topic, SerializerThreadEntry* entry,
                                      Clock::time_point now) {
  if (!entry->pending.valid()) {
    Future<ResolvedPtr> started;
    try {
      started = shared.resolve(topic);
    } catch (...) {
      // The strategy (user code) failed on a topic it named before: the version in use
      // stands until the next recheck.
    }
    // resolve ran the strategy, which may have used this thread's slots.
    entry = find_entry(shared, epoch, topic);
    if (entry == nullptr) return nullptr;
    if (!started.valid()) {
      entry->recheck_at = now + shared.recheck;
      return entry;
    }
    entry->pending = std::move(started);
  }
  if (!entry->pending.is_ready()) {
    entry->recheck_at = now + std::chrono::milliseconds(10);
    return entry;
  }
  const Future<ResolvedPtr> answer = std::move(entry->pending);
  entry->pending = Future<ResolvedPtr>();
  if (!answer.result().ok()) return nullptr;
  const ResolvedPtr& r = answer.get();
  if (r->schema.get() != entry->resolved->schema.get()) {
    entry->scratch = Value();
    entry->equal.clear();
  }
  entry->resolved = r;
  entry->recheck_at = now + shared.recheck;
  return entry;
}

SerializerThreadEntry& thread_entry(SerializerShared& shared, std::string_view topic) {
  const std::uint64_t epoch = shared.epoch.load(std::memory_order_acquire);
  if (SerializerThreadEntry* entry = find_entry(shared, epoch, topic)) {
    if (!shared.follows_latest()) return *entry;
    const Clock::time_point now = Clock::now();
    if (now < entry->recheck_at) return *entry;
    if (SerializerThreadEntry* kept = recheck_latest(shared, epoch, topic, entry, now))
      return *kept;
    drop_entry(shared, epoch, topic);
  }
  ResolvedPtr resolved = shared.resolve(topic).get();
  // Fetched again: the wait may have run code that used this thread's slots.
  auto& slot = SerializerSlots::get(shared.owner, epoch);
  if (slot.entries.size() >= shared.options.max_schemas) slot.entries.clear();
  SerializerThreadEntry& entry =
      slot.entries
          .try_emplace(std::string(topic),
                       SerializerThreadEntry{std::move(resolved), Value(), {}, {}, {}})
          .first->second;
  if (shared.follows_latest()) entry.recheck_at = Clock::now() + shared.recheck;
  return entry;
}

}  // namespace
}  // namespace detail

Serializer::Serializer(RegistryClient& client, SerializerOptions options) {
  detail::check_options(options);
  shared_ = std::make_shared<detail::SerializerShared>(client, std::move(options));
}

Serializer::~Serializer() = default;

void Serializer::serialize(std::string_view topic, const avro_value_t& record, Serialized& out) {
  detail::SerializerThreadEntry& entry = detail::thread_entry(*shared_, topic);
  detail::encode(shared_->options, entry, record, out);
}

void Serializer::serialize_json(std::string_view topic, std::string_view json, Serialized& out) {
  detail::SerializerThreadEntry& entry = detail::thread_entry(*shared_, topic);
  if (!entry.scratch.valid()) entry.scratch = Value(entry.resolved->schema);
  from_json(json, entry.scratch.get());
  detail::emit(shared_->options, entry.resolved->id, detail::encode_to_scratch(entry.scratch.get()),
               out);
}

Future<Serialized> Serializer::serialize_json_async(std::string topic, std::string json) {
  std::shared_ptr<detail::SerializerShared> shared = shared_;
  return shared->resolve(topic).then(
      [shared, json = std::move(json)](const detail::ResolvedPtr& r) {
        Serialized out;
        Value value(r->schema);
        from_json(json, value.get());
        detail::emit(shared->options, r->id, detail::encode_to_scratch(value.get()), out);
        return out;
      });
}

Future<Schema> Serializer::prepare(std::string_view topic) {
  return shared_->resolve(topic).then([](const detail::ResolvedPtr& r) { return r->schema; });
}

Schema Serializer::schema(std::string_view topic) {
  return detail::thread_entry(*shared_, topic).resolved->schema;
}

void Serializer::invalidate() noexcept {
  {
    detail::MutexLock lock(shared_->mutex);
    shared_->topics.clear();
  }
  shared_->epoch.fetch_add(1, std::memory_order_acq_rel);
}

const SerializerOptions& Serializer::options() const noexcept {
  return shared_->options;
}

}  // namespace apicurio::avro
