// The deserializer: each writer schema id is looked up, parsed and (with a reader schema)
// resolved once, shared by every thread, then kept by each thread, so that records whose
// id the thread has seen take no lock and wait for nothing.
#include "internal.hpp"
#include "resolution.hpp"

#include <fmt/format.h>

#include <stdexcept>

namespace apicurio::avro {
namespace detail {

// The writer schema of one id and, with a reader schema, its resolution: avro-c's resolved
// writer when it resolves the pair right (resolution.hpp), else our plan alone.
struct ReaderEntry {
  ReaderEntry(Schema w, std::unique_ptr<const Resolution> p, avro_value_iface_t* r)
      : writer(std::move(w)), plan(std::move(p)), resolver(r) {}
  ~ReaderEntry() {
    if (resolver != nullptr) avro_value_iface_decref(resolver);
  }
  ReaderEntry(const ReaderEntry&) = delete;
  ReaderEntry& operator=(const ReaderEntry&) = delete;

  Schema writer;
  std::unique_ptr<const Resolution> plan;  // null without a reader schema
  avro_value_iface_t* resolver;            // null unless plan->plain()
  // The writer schema does not resolve to the reader schema: kept, as it cannot change, so
  // that the plan is tried once per id rather than per record.
  std::unique_ptr<const AvroSchemaError> refused;
};
using EntryPtr = std::shared_ptr<const ReaderEntry>;

// A resolved-writer value: an instance of the writer schema that fills a reader-schema value.
struct ResolvingValue {
  ResolvingValue() = default;
  ResolvingValue(ResolvingValue&& o) noexcept : value(o.value) { o.value = {nullptr, nullptr}; }
  ResolvingValue& operator=(ResolvingValue&&) = delete;
  ~ResolvingValue() {
    if (value.iface != nullptr) avro_value_decref(&value);
  }
  avro_value_t value{nullptr, nullptr};
};

struct DeserializerThreadEntry {
  EntryPtr entry;
  ResolvingValue resolving;
  Value scratch;
  Value writer_value;  // the record as written, when the plan copies it
};
using IdKey = std::pair<int, std::int64_t>;
using DeserializerSlots = ThreadSlots<IdKey, DeserializerThreadEntry>;

struct DeserializerShared : std::enable_shared_from_this<DeserializerShared> {
  DeserializerShared(RegistryClient& c, DeserializerOptions o)
      : options(std::move(o)), resolver(c, options.resolver), table(options.max_schemas) {
    if (!options.reader_schema.empty()) {
      reader = Schema::parse(options.reader_schema, "reader schema");
      reader_meta = std::make_shared<const ReaderSchema>(reader, options.reader_schema);
    }
  }

  Future<EntryPtr> entry_for(const IdKey& key, const Future<CachedSchema>& schema)
      APICURIO_EXCLUDES(mutex);

  const DeserializerOptions options;
  const SchemaResolver resolver;
  Schema reader;
  std::shared_ptr<const ReaderSchema> reader_meta;
  SchemaTable table;
  const std::uint64_t owner = next_owner_id();
  Mutex mutex;
  std::map<IdKey, Future<EntryPtr>> ids APICURIO_GUARDED_BY(mutex);
};

Future<EntryPtr> DeserializerShared::entry_for(const IdKey& key,
                                               const Future<CachedSchema>& schema) {
  {
    MutexLock lock(mutex);
    auto found = ids.find(key);
    if (found != ids.end()) {
      if (!found->second.is_ready() || found->second.result().ok()) return found->second;
      ids.erase(found);
    }
  }
  std::weak_ptr<DeserializerShared> weak = weak_from_this();
  Future<EntryPtr> entry = schema.then([weak, key](const CachedSchema& s) {
    auto self = weak.lock();
    if (!self) throw AvroError("The Deserializer was destroyed before its schema lookup ended.");
    Schema writer = self->table.get(static_cast<IdKind>(key.first), key.second, s);
    std::unique_ptr<const Resolution> plan;
    avro_value_iface_t* resolver = nullptr;
    std::unique_ptr<const AvroSchemaError> refused;
    if (self->reader_meta) {
      try {
        plan = std::make_unique<const Resolution>(
            self->reader_meta, writer.get(),
            fmt::format("{}, resolved to the reader schema", describe(s)));
      } catch (const AvroSchemaError& e) {
        refused = std::make_unique<const AvroSchemaError>(e);
      }
      // Should avro-c refuse a pair the plan calls plain, the plan still resolves it.
      if (plan && plan->plain())
        resolver = avro_resolved_writer_new(writer.get(), self->reader.get());
    }
    auto entry = std::make_shared<ReaderEntry>(std::move(writer), std::move(plan), resolver);
    entry->refused = std::move(refused);
    return std::shared_ptr<const ReaderEntry>(std::move(entry));
  });
  MutexLock lock(mutex);
  if (ids.size() >= options.max_schemas) ids.clear();
  return ids.emplace(key, entry).first->second;
}

namespace {

// The id and payload when the record is well formed, without the resolver's messages (and
// their allocations); false sends the caller to the resolver, which explains the problem.
bool quick_id(const ResolverOptions& o, ByteView record, HeaderView headers, IdKey& key,
              ByteView& payload) noexcept {
  try {
    if (o.location != IdLocation::framed) {
      const IdKind other = o.id_kind == IdKind::global_id ? IdKind::content_id : IdKind::global_id;
      for (IdKind kind : {o.id_kind, other}) {
        const RecordHeader* h = headers.find_last(id_header_name(o.part, kind));
        if (h == nullptr) continue;
        const std::int64_t id = read_header_id(h->name, h->value);
        key = {static_cast<int>(kind), id};
        payload = record;
        return id > 0;
      }
      if (o.location == IdLocation::headers) return false;
    }
    const Frame frame = read_frame(o.framing, record);
    key = {static_cast<int>(o.id_kind), frame.id};
    payload = frame.payload;
    return frame.id > 0;
  } catch (...) {
    return false;
  }
}

DeserializerThreadEntry& thread_entry(DeserializerShared& shared, ByteView record,
                                      HeaderView headers, ByteView& payload) {
  IdKey key;
  if (quick_id(shared.options.resolver, record, headers, key, payload)) {
    auto& slot = DeserializerSlots::get(shared.owner, 1);
    auto found = slot.entries.find(key);
    if (found != slot.entries.end()) return found->second;
  }
  const ResolvedRecord resolved = shared.resolver.resolve(record, headers);
  key = {static_cast<int>(resolved.id_kind), resolved.id};
  payload = resolved.payload;
  EntryPtr entry = shared.entry_for(key, resolved.schema).get();
  auto& slot = DeserializerSlots::get(shared.owner, 1);
  if (slot.entries.size() >= shared.options.max_schemas) slot.entries.clear();
  return slot.entries
      .try_emplace(key, DeserializerThreadEntry{std::move(entry), {}, Value(), Value()})
      .first->second;
}

void decode(const DeserializerShared& shared, DeserializerThreadEntry& te, ByteView payload,
            Value& out) {
  const ReaderEntry& e = *te.entry;
  if (e.refused) throw *e.refused;
  avro_value_iface_t* out_class = e.plan ? shared.reader.value_class() : e.writer.value_class();
  if (out.valid() && out.get().iface == out_class) {
    avro_value_reset(&out.get());
  } else {
    out = Value(out_class);
  }
  if (!e.plan) {
    decode_payload(e.writer.get(), payload, out.get(), e.writer.registered());
    return;
  }
  if (e.resolver == nullptr) {
    Value& written = te.writer_value;
    if (written.valid()) {
      avro_value_reset(&written.get());
    } else {
      written = Value(e.writer.value_class());
    }
    decode_payload(e.writer.get(), payload, written.get(), e.writer.registered());
    e.plan->copy(written.get(), out.get());
    return;
  }
  avro_value_t& resolving = te.resolving.value;
  if (resolving.iface == nullptr && avro_resolved_writer_new_value(e.resolver, &resolving) != 0) {
    resolving = {nullptr, nullptr};
    throw AvroError(fmt::format("avro-c cannot create a resolver value: {}", avro_strerror()));
  }
  avro_resolved_writer_set_dest(&resolving, &out.get());
  try {
    decode_payload(e.writer.get(), payload, resolving, e.writer.registered());
  } catch (...) {
    avro_resolved_writer_clear_dest(&resolving);
    throw;
  }
  avro_resolved_writer_clear_dest(&resolving);
}

}  // namespace
}  // namespace detail

Deserializer::Deserializer(RegistryClient& client, DeserializerOptions options) {
  if (options.max_schemas == 0) {
    throw std::invalid_argument("DeserializerOptions::max_schemas must be 1 or more");
  }
  shared_ = std::make_shared<detail::DeserializerShared>(client, std::move(options));
}

Deserializer::~Deserializer() = default;

void Deserializer::deserialize(ByteView record, HeaderView headers, Value& out) {
  ByteView payload;
  detail::DeserializerThreadEntry& te = detail::thread_entry(*shared_, record, headers, payload);
  detail::decode(*shared_, te, payload, out);
}

void Deserializer::deserialize_json(ByteView record, HeaderView headers, std::string& out) {
  ByteView payload;
  detail::DeserializerThreadEntry& te = detail::thread_entry(*shared_, record, headers, payload);
  detail::decode(*shared_, te, payload, te.scratch);
  to_json(te.scratch.get(), out);
}

Future<Schema> Deserializer::prepare(ByteView record, HeaderView headers) {
  const ResolvedRecord resolved = shared_->resolver.resolve(record, headers);
  return shared_->entry_for({static_cast<int>(resolved.id_kind), resolved.id}, resolved.schema)
      .then([](const detail::EntryPtr& e) {
        if (e->refused) throw *e->refused;
        return e->writer;
      });
}

const DeserializerOptions& Deserializer::options() const noexcept {
  return shared_->options;
}

}  // namespace apicurio::avro
