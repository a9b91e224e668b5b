#include <apicurio/schema_resolver.hpp>

#include <fmt/format.h>

#include <exception>
#include <limits>
#include <string_view>

namespace apicurio {
namespace {

constexpr std::int64_t kMax4ByteId = std::numeric_limits<std::uint32_t>::max();

std::string_view part_name(RecordPart part) {
  return part == RecordPart::key ? "key" : "value";
}

// The id header to read, or null: the configured kind first, then the other one (a header's
// name says which kind it carries, so taking either is safe).
const RecordHeader* find_id_header(HeaderView headers, RecordPart part, IdKind preferred,
                                   IdKind& kind) {
  const IdKind other = preferred == IdKind::global_id ? IdKind::content_id : IdKind::global_id;
  for (IdKind candidate : {preferred, other}) {
    if (const RecordHeader* header = headers.find_last(id_header_name(part, candidate))) {
      kind = candidate;
      return header;
    }
  }
  return nullptr;
}

// How the id was read, for messages: "Confluent framing (0x00 + 4-byte id) of the value,
// taken as a contentId".
std::string describe_framed(const ResolverOptions& options, Framing actual) {
  std::string framing(framing_description(actual));
  if (options.framing == Framing::optimistic && actual != options.framing) {
    framing = fmt::format("{}, chosen by the optimistic reader", framing);
  }
  return fmt::format("{} of the {}, taken as a {}", framing, part_name(options.part),
                     id_kind_name(options.id_kind));
}

void reject_zero_id(std::int64_t id, const std::string& how_read, Framing framing) {
  if (id != 0) return;
  throw WireFormatError(fmt::format(
      "Read the schema id 0 from the {}; the registry never assigns 0.{}", how_read,
      framing == Framing::confluent4
          ? " A 4-byte id of 0 is what an 8-byte (legacy) frame looks like to a 4-byte reader: "
            "set ResolverOptions::framing to legacy8 or optimistic."
          : ""));
}

Future<CachedSchema> explain_not_found(Future<CachedSchema> lookup, std::string how_read) {
  auto translate = [how_read = std::move(how_read)](const std::exception_ptr& error) {
    try {
      std::rethrow_exception(error);
    } catch (const SchemaNotFoundError& not_found) {
      return std::make_exception_ptr(RecordSchemaNotFoundError(not_found, how_read));
    } catch (...) {
      return error;
    }
  };
  // A cache hit is already complete: answer at once rather than hop to the executor.
  if (lookup.is_ready()) {
    if (lookup.result().ok()) return lookup;
    return make_failed_future<CachedSchema>(translate(lookup.result().error()), lookup.executor());
  }
  return lookup.then_result(
      [translate = std::move(translate)](const Result<CachedSchema>& result) -> CachedSchema {
        if (result.ok()) return result.value();
        std::rethrow_exception(translate(result.error()));
      });
}

}  // namespace

RecordSchemaNotFoundError::RecordSchemaNotFoundError(const SchemaNotFoundError& cause,
                                                     const std::string& how_read)
    : SchemaNotFoundError(cause) {
  message_ = fmt::format(
      "{} (the id was read from the {}; if the producers write another framing or id kind, "
      "adjust ResolverOptions).",
      cause.what(), how_read);
}

ResolvedRecord SchemaResolver::resolve(ByteView record, HeaderView headers) const {
  ResolvedRecord resolved;
  std::string how_read;
  IdKind header_kind = options_.id_kind;
  const RecordHeader* header =
      options_.location == IdLocation::framed
          ? nullptr
          : find_id_header(headers, options_.part, options_.id_kind, header_kind);
  if (header != nullptr) {
    how_read = fmt::format("header {}", header->name);
    resolved.id = read_header_id(header->name, header->value);
    reject_zero_id(resolved.id, how_read, Framing::legacy8);
    resolved.id_kind = header_kind;
    resolved.location = IdLocation::headers;
    resolved.payload = record;
  } else if (options_.location == IdLocation::headers) {
    throw WireFormatError(fmt::format(
        "The record has no {} or {} header, which header mode needs ({} header{} present).",
        id_header_name(options_.part, options_.id_kind),
        id_header_name(options_.part, options_.id_kind == IdKind::global_id ? IdKind::content_id
                                                                            : IdKind::global_id),
        headers.size(), headers.size() == 1 ? "" : "s"));
  } else {
    Frame frame;
    try {
      frame = read_frame(options_.framing, record);
    } catch (const WireFormatError& e) {
      const std::string why =
          options_.location == IdLocation::framed
              ? std::string("framed, as configured")
              : fmt::format("no apicurio.{}.* id header, so framed", part_name(options_.part));
      throw WireFormatError(fmt::format("Cannot read the {}'s schema id, taken as a {} ({}): {}",
                                        part_name(options_.part), id_kind_name(options_.id_kind),
                                        why, e.what()));
    }
    how_read = describe_framed(options_, frame.framing);
    if (frame.framing == Framing::legacy8 && frame.id > kMax4ByteId) {
      how_read += "; an id this large often means a 4-byte frame read as 8 bytes";
    }
    reject_zero_id(frame.id, how_read, frame.framing);
    resolved.id = frame.id;
    resolved.id_kind = options_.id_kind;
    resolved.location = IdLocation::framed;
    resolved.framing = frame.framing;
    resolved.payload = frame.payload;
  }
  Future<CachedSchema> lookup = resolved.id_kind == IdKind::global_id
                                    ? client_->get_schema_by_global_id(resolved.id)
                                    : client_->get_schema_by_content_id(resolved.id);
  resolved.schema = explain_not_found(std::move(lookup), std::move(how_read));
  return resolved;
}

}  // namespace apicurio
