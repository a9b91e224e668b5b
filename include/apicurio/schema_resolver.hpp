// The consumer side of the wire formats: from a Kafka record (its bytes and headers) to the
// schema it was written with, through a RegistryClient.
//
//   apicurio::SchemaResolver resolver{client};  // value side, contentId, Confluent framing
//   apicurio::ResolvedRecord record = resolver.resolve(bytes, headers);
//   record.schema.then([payload = record.payload](const apicurio::CachedSchema& s) { ... });
//
// The payload view points into the caller's bytes: keep them alive while it is used.
#pragma once

#include <apicurio/client.hpp>
#include <apicurio/errors.hpp>
#include <apicurio/export.hpp>
#include <apicurio/future.hpp>
#include <apicurio/schema.hpp>
#include <apicurio/wire_format.hpp>

#include <cstdint>
#include <string>

namespace apicurio {

/// Where a reader looks for the schema id.
enum class IdLocation {
  /// In the id headers if the record has apicurio.{key|value}.globalId or .contentId for the
  /// part being read, else in a framed prefix. Decided from the headers only, never from the
  /// payload's first byte: an Avro payload may itself start with 0x00.
  detect,
  /// Always a framed prefix (ResolverOptions::framing); headers are ignored.
  framed,
  /// Always the id headers; a record without them fails.
  headers,
};

/// How a SchemaResolver finds the schema id in a record.
struct APICURIO_API ResolverOptions {
  /// The key or the value of records.
  RecordPart part = RecordPart::value;
  /// Where the id is: the framing, the headers, or whichever the record has.
  IdLocation location = IdLocation::detect;
  /// How framed records are framed. Apicurio 3.x serdes write confluent4 unless configured
  /// with Legacy8ByteIdHandler; 2.x wrote legacy8; optimistic reads both (4-byte ids of 0
  /// aside).
  Framing framing = Framing::confluent4;
  /// What a framed id is. contentId is the default of the Apicurio 3.x Java serdes, in both
  /// framings (3.x's Legacy8ByteIdHandler honours use-id, default contentId: an 8-byte frame
  /// from a 3.x producer carries a contentId); the 2.x serdes and the Python library
  /// apicurio-serdes (0.5.0) write the globalId by default, so read their topics with
  /// IdKind::global_id. The frame itself cannot tell the two apart:
  /// a wrong kind finds the wrong schema or none. In header mode the header name says
  /// which kind it is and this only picks one when a record carries both.
  IdKind id_kind = IdKind::content_id;
};

/// A record's schema lookup and its payload without any framing.
struct APICURIO_API ResolvedRecord {
  /// The schema, from the client's cache or the registry. Fails with
  /// RecordSchemaNotFoundError when the registry has no such id, or with the client's other
  /// errors (RegistryConnectionError, ClientClosedError, ...).
  Future<CachedSchema> schema;
  /// The payload: a view into the bytes given to resolve().
  ByteView payload;
  /// The id read from the record.
  std::int64_t id = 0;
  /// Whether `id` is a globalId or a contentId.
  IdKind id_kind = IdKind::content_id;
  /// framed or headers (never detect): where the id was found.
  IdLocation location = IdLocation::framed;
  /// The framing read, confluent4 or legacy8; meaningful only when location is framed.
  Framing framing = Framing::confluent4;
};

/// The registry has no schema under the id read from a record. Catchable as
/// SchemaNotFoundError; what() adds how the id was read (framing or header, and id kind),
/// because a reader set up for another framing or id kind reads a wrong id.
class APICURIO_API RecordSchemaNotFoundError : public SchemaNotFoundError {
 public:
  /// `cause` is the lookup's error; `how_read` describes the framing or header and id kind.
  /// Any thread; never blocks; throws std::bad_alloc only.
  RecordSchemaNotFoundError(const SchemaNotFoundError& cause, const std::string& how_read);
  /// The cause's message followed by how the id was read. Any thread; never blocks.
  const char* what() const noexcept override { return message_.c_str(); }

 private:
  std::string message_;
};

/// Reads schema ids from records and looks them up through one client.
///
/// Threads: every member may be called from any thread, concurrently; none blocks (the
/// lookup is a future), and the resolver takes no lock of its own (the client's lookup may
/// briefly take its cache's). The client must outlive the resolver.
class APICURIO_API SchemaResolver {
 public:
  /// Resolves through `client`, which must outlive the resolver. Never blocks or throws.
  explicit SchemaResolver(RegistryClient& client, ResolverOptions options = {})
      : client_(&client), options_(options) {}

  /// Finds the id of `record` (the key or value bytes, as ResolverOptions::part says) in
  /// `headers` or in its framing, and starts the lookup by that id. Throws WireFormatError,
  /// naming the framing or header and the id kind it assumed, when the record is truncated,
  /// has a bad magic byte, lacks the id headers in IdLocation::headers mode, has a malformed
  /// id header, or carries the id 0 (never assigned; in a 4-byte frame it is the first half
  /// of an 8-byte id); otherwise throws std::bad_alloc only. Copies no payload bytes.
  ResolvedRecord resolve(ByteView record, HeaderView headers = {}) const;

  /// The options the resolver was built with. Never throws.
  const ResolverOptions& options() const noexcept { return options_; }

 private:
  RegistryClient* client_;
  ResolverOptions options_;
};

}  // namespace apicurio
