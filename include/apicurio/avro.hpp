// Avro records to framed bytes and back, on Apache Avro C (avro-c, Debian's libavro-dev):
// the library apicurio-avro (pkg-config apicurio-avro, CMake apicurio::avro, Meson
// dependency('apicurio-avro')). The only header of this project that exposes avro-c types.
//
//   apicurio::avro::SerializerOptions so;
//   so.choice = apicurio::avro::SchemaChoice::auto_register;
//   so.schema = schema_text;
//   apicurio::avro::Serializer serializer(client, so);
//   apicurio::avro::Serialized out;
//   serializer.serialize_json("orders", R"({"id": 1})", out);   // out.bytes: 0x00, id, payload
//
//   apicurio::avro::Deserializer deserializer(client);
//   std::string json;
//   deserializer.deserialize_json(out.bytes, out.headers(), json);
//
// Values: records are avro-c generic values (avro_value_t), owned by apicurio::avro::Value.
// JSON: the Avro JSON encoding of the specification: a union is null or {"full.name":
// value} with the branch's full type name, bytes and fixed are strings whose characters
// U+0000..U+00FF are the bytes, enums are their symbol, float and double may also be
// "NaN", "Infinity" and "-Infinity" (as Java's encoder writes them).
//
// Logical types: avro-c 1.11 has none; a logical type is carried as its underlying type, in
// values and in JSON: decimal as its bytes or fixed (the unscaled two's-complement
// big-endian integer), uuid as its string, date as int days since 1970-01-01, time-millis
// as int and time-micros as long since midnight, timestamp-millis/-micros and
// local-timestamp-millis/-micros as long since 1970-01-01T00:00 (UTC for timestamp-*).
//
// Schema resolution (a reader schema given to the Deserializer) follows the Avro 1.11
// specification, as Java's decoder does: fields matched by name or the reader field's
// aliases; writer fields the reader lacks skipped; reader fields the writer lacks take the
// reader's "default" (for a union, a value of its first branch, unwrapped; in a record
// default, a field left out takes its own default, as in Java); records, enums and fixed
// matched by full or unqualified name or the reader type's aliases; int promoted to long,
// float and double, long to float and double, float to double, string to bytes and back;
// enum symbols matched by name, a symbol the reader lacks taking the reader enum's
// "default"; a union branch chosen as Java does (the writer's own type first, then a
// promotion). avro-c keeps no default or alias, so they are read from the reader schema's
// JSON and every default is built when the Deserializer is constructed (a default that does
// not match its field's type fails there). Each writer schema is resolved once: a pair
// avro-c's resolved writer handles alike (no default, alias or rename, enum symbols at the
// same index, no string<->bytes) decodes through it; other pairs decode as written, then
// are copied into the reader's value along the precomputed plan.
//
// Threads: Serializer and Deserializer members may be called from any thread, concurrently;
// the blocking ones (serialize, deserialize, schema) must not run on a thread the client's
// future needs (its event thread, or its only worker), as with Future::get. Each thread keeps
// what it has resolved per serializer or deserializer (for the 8 it used last) until it
// ends, and a reference to the 8 writer schemas it decoded last (so these can outlive their
// deserializer until the thread ends or decodes others). Schema is immutable and shared; Value and
// Serialized are plain objects: one thread at a time. Every function throws what its comment says,
// and std::bad_alloc when memory runs out. No user code runs under a lock of this library.
#pragma once

#include <apicurio/artifact_strategy.hpp>
#include <apicurio/client.hpp>
#include <apicurio/errors.hpp>
#include <apicurio/export.hpp>
#include <apicurio/future.hpp>
#include <apicurio/options.hpp>
#include <apicurio/schema.hpp>
#include <apicurio/schema_resolver.hpp>
#include <apicurio/wire_format.hpp>

#include <avro.h>

#include <array>
#include <atomic>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

/// Marks what libapicurio-avro exports (it is built with hidden symbols, as libapicurio is):
/// the API below, and the typeinfo of its exceptions so that users can catch them. Its own
/// name, though APICURIO_API's visibility attribute serves both libraries today, so that a
/// per-library export/import split (Windows DLLs) changes only this line.
#define APICURIO_AVRO_API APICURIO_API

namespace apicurio::avro {

namespace detail {
struct ParsedSchema;
class SchemaTable;
struct SerializerShared;
struct DeserializerShared;
}  // namespace detail

/// Root of the Avro errors.
class APICURIO_AVRO_API AvroError : public Error {
 public:
  /// `message` becomes what(). Throws std::bad_alloc only.
  explicit AvroError(const std::string& message) : Error(message) {}
};

/// avro-c cannot parse a schema, or a writer schema does not resolve to the reader schema.
class APICURIO_AVRO_API AvroSchemaError : public AvroError {
 public:
  /// `artifact` names the schema (artifact, id, or "reader schema"); `avro_message` is
  /// avro-c's avro_strerror(). Throws std::bad_alloc only.
  AvroSchemaError(std::string artifact, std::string avro_message);
  /// The schema's name as given to the constructor. Never throws.
  const std::string& artifact() const noexcept { return artifact_; }
  /// avro-c's message, or what does not resolve ("$.address.zip: the writer has no such
  /// field and the reader schema gives it no default"). Never throws.
  const std::string& avro_message() const noexcept { return avro_message_; }

 private:
  std::string artifact_, avro_message_;
};

/// A record (JSON text or avro-c value) that does not match its schema, or a record the
/// Deserializer's reader schema cannot take: what() reads "$.address.zip: expected int, got
/// string".
class APICURIO_AVRO_API RecordMismatchError : public AvroError {
 public:
  /// `path` is "$" or "$.field[2]..."; `problem` what was expected and found.
  RecordMismatchError(std::string path, const std::string& problem);
  /// Where in the record, "$" being the record itself. Never throws.
  const std::string& path() const noexcept { return path_; }

 private:
  std::string path_;
};

/// A payload that is not a valid encoding under its writer schema: truncated, with bytes
/// left over, or garbage; or one nested deeper than 3000 levels (each record, union, array,
/// map and recursive link is one: a linked list of 1000 nodes), a bound on the stack that
/// decoding uses.
class APICURIO_AVRO_API PayloadError : public AvroError {
 public:
  /// `message` becomes what(). Throws std::bad_alloc only.
  explicit PayloadError(const std::string& message) : AvroError(message) {}
};

/// A parsed schema: the avro-c schema and its generic value class, built once. Copies share
/// them. Any thread; immutable.
class APICURIO_AVRO_API Schema {
 public:
  /// No schema (valid() is false).
  Schema() noexcept = default;
  /// Parses `text`. Throws AvroSchemaError naming `name` (what the schema is, for messages).
  static Schema parse(std::string_view text, std::string_view name = "schema");

  /// True unless default-constructed. Never throws.
  bool valid() const noexcept { return parsed_ != nullptr; }
  /// The avro-c schema (owned by this object; incref it to keep it longer). Never throws.
  avro_schema_t get() const noexcept;
  /// The generic value class of the schema. Never throws.
  avro_value_iface_t* value_class() const noexcept;
  /// The registry's record of the schema (empty for a schema parsed from text). Never throws.
  const CachedSchema& registered() const noexcept;

 private:
  friend class detail::SchemaTable;
  explicit Schema(std::shared_ptr<const detail::ParsedSchema> parsed) noexcept
      : parsed_(std::move(parsed)) {}
  std::shared_ptr<const detail::ParsedSchema> parsed_;
};

/// An avro-c generic value and the reference to its class, released together.
/// Move-only; one thread at a time.
class APICURIO_AVRO_API Value {
 public:
  /// No value (valid() is false).
  Value() noexcept = default;
  /// A new value of `schema`, zeroed. Throws AvroError if avro-c cannot allocate it.
  explicit Value(const Schema& schema);
  /// A new value of `value_class` (avro-c takes its own reference to the class).
  explicit Value(avro_value_iface_t* value_class);
  ~Value();
  /// Takes `other`'s value; `other` is left without one. Never throws.
  Value(Value&& other) noexcept;
  /// Frees this value, then takes `other`'s; `other` is left without one. Never throws.
  Value& operator=(Value&& other) noexcept;
  Value(const Value&) = delete;
  Value& operator=(const Value&) = delete;

  /// True when there is a value. Never throws.
  bool valid() const noexcept { return value_.iface != nullptr; }
  /// The avro-c value, to read or set with avro_value_* functions. Never throws.
  avro_value_t& get() noexcept { return value_; }
  /// The avro-c value. Never throws.
  const avro_value_t& get() const noexcept { return value_; }
  /// The value's schema (null when !valid()). Never throws.
  avro_schema_t schema() const noexcept;

 private:
  avro_value_t value_{nullptr, nullptr};
};

/// Fills `dest` (reset first) from `json`, text in the Avro JSON encoding of dest's schema.
/// Throws RecordMismatchError naming the path when the text is not JSON or does not match
/// (dest is then left partly filled). Any thread, one per `dest`; never blocks.
APICURIO_AVRO_API void from_json(std::string_view json, avro_value_t& dest);

/// Appends `value` to `out` in the Avro JSON encoding, always valid UTF-8: a string that is
/// not (avro-c decodes strings unchecked) prints each ill-formed sequence as U+FFFD. Throws
/// AvroError for a value avro-c cannot read. Any thread; never blocks.
APICURIO_AVRO_API void to_json(const avro_value_t& value, std::string& out);

/// How the serializer finds the version whose id it writes (Java serdes' names in brackets).
enum class SchemaChoice {
  /// The artifact's version whose content equals SerializerOptions::schema (the Java
  /// default). Needs the client's lookup by content: see the notes in lib/avro/seams.cpp.
  find_by_content,
  /// Register SerializerOptions::schema, as SerializerOptions::if_exists says
  /// [apicurio.registry.auto-register].
  auto_register,
  /// The artifact's latest version [apicurio.registry.find-latest], followed as the client's
  /// cache follows it: each thread asks again every half ClientOptions::latest_ttl (within
  /// 100 ms and 1 s) and takes the answer when it is in, never waiting for it, so a new
  /// version is written about latest_ttl after it appears. While the client serves the
  /// version (the registry failing, up to max_stale) it goes on; once the client answers
  /// that it cannot (the artifact deleted, max_stale passed), the next record waits for the
  /// registry as a first one does and fails as it does (SchemaNotFoundError, ...). A
  /// strategy that throws on such a recheck leaves the version in use. The other choices
  /// are pinned: looked up once until invalidate().
  latest,
  /// SerializerOptions::version of the artifact [apicurio.registry.artifact.version].
  explicit_version,
  /// The version with SerializerOptions::id, of SerializerOptions::id_kind.
  explicit_id,
};

/// Where the serializer writes the id.
enum class IdPlacement {
  /// 0x00 and a 4-byte big-endian id before the payload (default).
  confluent4,
  /// 0x00 and an 8-byte big-endian id before the payload.
  legacy8,
  /// A Kafka header apicurio.{key|value}.{contentId|globalId} (8 bytes), bare payload.
  headers,
};

/// How a Serializer chooses and writes schemas.
struct SerializerOptions {
  /// Key or value [apicurio.registry.serde.key]: the strategy's input and the header name.
  RecordPart part = RecordPart::value;
  /// The group and artifact for a topic and schema: topic_id_strategy ("{topic}-value" in the
  /// client's default group, Java's TopicIdStrategy), the other built-ins of
  /// <apicurio/artifact_strategy.hpp> (record_id_strategy, ...) or a user function
  /// [apicurio.registry.artifact-resolver-strategy].
  ArtifactStrategy strategy = topic_id_strategy;
  /// How the version is found.
  SchemaChoice choice = SchemaChoice::find_by_content;
  /// The writer schema's text: needed by find_by_content and auto_register, and by the
  /// record strategies; the other choices take the registry's.
  std::string schema;
  /// auto_register: what the registry does when the artifact exists.
  IfExists if_exists = IfExists::find_or_create_version;
  /// explicit_version: the version ("3", or "branch=NAME").
  std::string version;
  /// explicit_id: the id.
  std::int64_t id = 0;
  /// Which id is written (and what explicit_id is) [apicurio.registry.use-id]: contentId,
  /// the Apicurio 3.x default, or globalId.
  IdKind id_kind = IdKind::content_id;
  /// Where the id is written.
  IdPlacement placement = IdPlacement::confluent4;
  /// Parsed schemas kept (least recently used first out); at least 1.
  std::size_t max_schemas = 1000;
};

/// The id header written in IdPlacement::headers mode.
struct IdHeader {
  /// apicurio.value.contentId and the like (static storage).
  std::string_view name;
  /// The id, 8 bytes big-endian.
  std::array<std::uint8_t, 8> value{};
};

/// A serialized record: the bytes (framed, or the bare payload in header mode) and the id
/// header in header mode. Reuse one object to reuse its buffer. One thread writes it at a
/// time; its const members may be called from any number of threads at once.
class Serialized {
 public:
  /// What serialize appends to.
  std::string bytes;

  /// Empty, without a header. Never throws.
  Serialized() noexcept = default;
  /// Copies; the copy's headers() views the copy. Throws std::bad_alloc only.
  Serialized(const Serialized& other) : bytes(other.bytes) { copy_header(other); }
  /// Moves; the result's headers() views the result. Never throws.
  Serialized(Serialized&& other) noexcept : bytes(std::move(other.bytes)) { copy_header(other); }
  /// Copies. Throws std::bad_alloc only.
  Serialized& operator=(const Serialized& other) {
    bytes = other.bytes;
    copy_header(other);
    return *this;
  }
  /// Moves. Never throws.
  Serialized& operator=(Serialized&& other) noexcept {
    bytes = std::move(other.bytes);
    copy_header(other);
    return *this;
  }

  /// Empties bytes (keeping its capacity) and drops the header. Never throws.
  void clear() noexcept {
    bytes.clear();
    has_header_ = false;
  }
  /// True in header mode, once a record is serialized. Never throws.
  bool has_header() const noexcept { return has_header_; }
  /// The id header; meaningful only when has_header(). Never throws.
  const IdHeader& header() const noexcept { return header_; }
  /// Sets the id header (the serializer does, in header mode). Never throws.
  void set_header(const IdHeader& header) noexcept {
    header_ = header;
    has_header_ = true;
    view_ = RecordHeader{header_.name, ByteView(header_.value.data(), header_.value.size())};
  }
  /// The headers as the Deserializer takes them: a view into this object. Never throws.
  HeaderView headers() const noexcept { return has_header_ ? HeaderView(&view_, 1) : HeaderView(); }

 private:
  void copy_header(const Serialized& other) noexcept {
    if (other.has_header_) {
      set_header(other.header_);
    } else {
      has_header_ = false;
    }
  }
  bool has_header_ = false;
  IdHeader header_;
  RecordHeader view_;
};

/// Records to bytes, through one client. See the threads note at the top of this header.
/// The client must outlive the serializer.
class APICURIO_AVRO_API Serializer {
 public:
  /// Throws std::invalid_argument for options a choice needs and lacks (no schema for
  /// auto_register or find_by_content, no version, an id below 1, max_schemas 0).
  Serializer(RegistryClient& client, SerializerOptions options);
  ~Serializer();
  Serializer(const Serializer&) = delete;
  Serializer& operator=(const Serializer&) = delete;

  /// Appends `record` encoded to out.bytes (after the frame, or setting out.header).
  /// `record` must be of the schema chosen for `topic` (compared by avro_schema_equal
  /// unless it is the very schema object of schema(topic); each thread remembers, and holds
  /// a reference to, the last other object found equal per topic, which must then not
  /// change). Once the topic's schema is known to the calling thread, takes no lock,
  /// allocates nothing but out's growth, and never blocks; before that it blocks for the
  /// registry. (With SchemaChoice::latest, a record in each recheck interval takes the
  /// serializer's lock briefly and starts a lookup, which allocates; see latest.)
  /// Throws RecordMismatchError for a
  /// value of another schema, AvroError for a value avro-c cannot encode, AvroSchemaError,
  /// ArtifactStrategyError, WireFormatError (an id a 4-byte frame cannot carry), and the
  /// client's errors (SchemaNotFoundError, RegistryConnectionError, ...). On any error out
  /// is unchanged.
  void serialize(std::string_view topic, const avro_value_t& record, Serialized& out);
  /// The same from JSON text in the Avro JSON encoding; throws RecordMismatchError naming
  /// the field for text that does not match.
  void serialize_json(std::string_view topic, std::string_view json, Serialized& out);
  /// serialize_json without blocking: the future completes on the client's executor once
  /// the schema is known (at once when it already is). Throws what the strategy throws.
  Future<Serialized> serialize_json_async(std::string topic, std::string json);

  /// The schema records of `topic` are written with, found as the options say, so that a
  /// batch job can warm up with when_all. Never blocks; throws what the strategy throws.
  Future<Schema> prepare(std::string_view topic);
  /// prepare(topic).get(): blocks until the schema is known; throws as serialize.
  Schema schema(std::string_view topic);

  /// Forgets every topic's schema (the latest version is looked up again). Any thread;
  /// never blocks on I/O; never throws.
  void invalidate() noexcept;
  /// The options. Never throws.
  const SerializerOptions& options() const noexcept;

 private:
  std::shared_ptr<detail::SerializerShared> shared_;
};

/// How a Deserializer reads records.
struct DeserializerOptions {
  /// Where the id is, which kind, which framing: see ResolverOptions.
  ResolverOptions resolver;
  /// Optional reader schema: records are resolved to it by the specification's rules, its
  /// defaults and aliases included (see the note at the top).
  std::string reader_schema;
  /// Parsed writer schemas kept; at least 1.
  std::size_t max_schemas = 1000;
};

/// Bytes to records, through one client. See the threads note at the top of this header.
/// The client must outlive the deserializer.
class APICURIO_AVRO_API Deserializer {
 public:
  /// Throws AvroSchemaError for a reader schema avro-c cannot parse, or with a default that
  /// does not match its field's type or an enum default that is not a symbol (its message
  /// names the field, "$.address.zip"), std::invalid_argument for max_schemas 0. Any
  /// thread; never blocks.
  explicit Deserializer(RegistryClient& client, DeserializerOptions options = {});
  ~Deserializer();
  Deserializer(const Deserializer&) = delete;
  Deserializer& operator=(const Deserializer&) = delete;

  /// Decodes `record` (framed, or a bare payload with the id in `headers`) into `out`,
  /// reusing out's value when it already has the output schema. Once the id's schema is
  /// known to the calling thread, takes no lock and never blocks; before that it blocks for
  /// the registry. Throws WireFormatError (framing, headers), PayloadError (truncated,
  /// trailing or garbage payload), AvroSchemaError (writer schema unparsable or not
  /// resolvable to the reader schema, e.g. a field the reader adds without a default: found
  /// once per writer schema, then thrown for each of its records, the message naming the
  /// field), RecordMismatchError naming the path for one record the reader schema cannot
  /// take (an enum symbol the reader lacks, its enum without a default; a union branch the
  /// reader has no match for, e.g. null for a non-null field), and the client's errors
  /// (RecordSchemaNotFoundError, ...). Records of other ids are unaffected by these errors;
  /// after RecordMismatchError, `out` is left partly filled.
  void deserialize(ByteView record, HeaderView headers, Value& out);
  /// The same, appending the record to `out` in the Avro JSON encoding.
  void deserialize_json(ByteView record, HeaderView headers, std::string& out);
  /// The writer schema of `record`, so that a batch can warm up with when_all. Never
  /// blocks; throws WireFormatError as deserialize. The future fails with deserialize's
  /// AvroSchemaError for a writer schema that does not resolve to the reader schema.
  Future<Schema> prepare(ByteView record, HeaderView headers = {});

  /// The options. Never throws.
  const DeserializerOptions& options() const noexcept;

 private:
  std::shared_ptr<detail::DeserializerShared> shared_;
};

}  // namespace apicurio::avro
