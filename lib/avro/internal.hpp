// What the Avro sources share: the parsed schema, the table that parses each schema once,
// the per-thread avro-c reader and writer, and the payload checker.
#pragma once

#include "thread_annotations.hpp"

#include <apicurio/avro.hpp>

#include <cstddef>
#include <cstdint>
#include <list>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace apicurio::avro::detail {

using apicurio::detail::Mutex;
using apicurio::detail::MutexLock;

// An avro-c schema and its generic class, released together. Immutable once built, so
// any number of threads may make values from it at once.
struct ParsedSchema {
  ParsedSchema(avro_schema_t s, avro_value_iface_t* c, CachedSchema r)
      : schema(s), value_class(c), registered(std::move(r)) {}
  ~ParsedSchema();
  ParsedSchema(const ParsedSchema&) = delete;
  ParsedSchema& operator=(const ParsedSchema&) = delete;

  avro_schema_t schema;
  avro_value_iface_t* value_class;
  CachedSchema registered;
};

// Parses `text`; throws AvroSchemaError naming `name` with avro_strerror().
std::shared_ptr<const ParsedSchema> parse_schema(std::string_view text, std::string_view name,
                                                 CachedSchema registered);

// "artifact orders-value version 2 (contentId 7)", for messages.
std::string describe(const CachedSchema& schema);

// Schemas parsed once per (id kind, id), the least recently used dropped past `capacity`.
// Any thread; parsing happens outside the lock, so two threads that miss together may both
// parse, and the first to finish wins.
class SchemaTable {
 public:
  explicit SchemaTable(std::size_t capacity) : capacity_(capacity) {}
  Schema get(IdKind kind, std::int64_t id, const CachedSchema& registered)
      APICURIO_EXCLUDES(mutex_);

 private:
  using Key = std::pair<int, std::int64_t>;
  const std::size_t capacity_;
  Mutex mutex_;
  // Most recently used at the front.
  std::list<std::pair<Key, Schema>> order_ APICURIO_GUARDED_BY(mutex_);
  std::map<Key, std::list<std::pair<Key, Schema>>::iterator> index_ APICURIO_GUARDED_BY(mutex_);
};

// The calling thread's avro-c memory writer and reader, reused across calls.
avro_writer_t thread_writer(const char* buf, std::size_t size);
avro_reader_t thread_reader(const char* buf, std::size_t size);

// Encodes `value` into the calling thread's scratch buffer and returns a view of it.
// Throws AvroError with avro_strerror() when avro-c cannot encode the value.
ByteView encode_to_scratch(avro_value_t& value);

// Walks `payload` as `schema` encodes it, without allocating, and returns the bytes one
// value takes. Throws PayloadError for a truncated or malformed encoding (negative length,
// bad union index or enum symbol, collections too large for the bytes left). avro-c
// trusts lengths and counts it reads (it allocates a string's claimed length before
// reading it), so no byte reaches it unchecked. The calling thread keeps a form of the 8
// schemas it checked last, and a reference to each (they outlive their other owners until
// pushed out or the thread ends).
std::size_t check_payload(avro_schema_t schema, ByteView payload);

// Checks `payload` (check_payload, and no bytes after the value), then decodes it with
// avro-c into `dest`: a value of `writer`, or a resolved writer from it. `registered` names
// the schema in messages (described only on failure). Throws PayloadError.
void decode_payload(avro_schema_t writer, ByteView payload, avro_value_t& dest,
                    const CachedSchema& registered);

// Per-thread state of one owner (a Serializer or Deserializer), found without a lock and
// dropped when the owner's epoch moves. `Entry` is the thread's own; the owner never sees it.
template <class Key, class Entry>
class ThreadSlots {
 public:
  struct Slot {
    std::uint64_t owner = 0;
    std::uint64_t epoch = 0;
    std::map<Key, Entry, std::less<>> entries;
  };

  // The calling thread's entries for `owner` at `epoch` (emptied if the epoch moved).
  // Keeps at most kSlots owners per thread, the oldest replaced first.
  static Slot& get(std::uint64_t owner, std::uint64_t epoch) {
    thread_local std::vector<Slot> slots;
    for (Slot& s : slots) {
      if (s.owner == owner) {
        if (s.epoch != epoch) {
          s.entries.clear();
          s.epoch = epoch;
        }
        return s;
      }
    }
    if (slots.size() >= kSlots) slots.erase(slots.begin());
    slots.push_back(Slot{owner, epoch, {}});
    return slots.back();
  }

 private:
  static constexpr std::size_t kSlots = 8;
};

// A process-wide unique number for an owner of ThreadSlots.
std::uint64_t next_owner_id() noexcept;

}  // namespace apicurio::avro::detail
