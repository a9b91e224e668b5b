#include <apicurio/wire_format.hpp>

#include <fmt/format.h>

#include <limits>

namespace apicurio {
namespace {

constexpr std::uint8_t kMagicByte = 0x00;
constexpr std::int64_t kMax4ByteId = std::numeric_limits<std::uint32_t>::max();

std::size_t id_width(Framing framing) {
  return framing == Framing::confluent4 ? 4 : 8;
}

void write_big_endian(std::uint64_t value, std::size_t width, std::uint8_t* out) {
  for (std::size_t i = 0; i < width; ++i) {
    out[width - 1 - i] = static_cast<std::uint8_t>(value >> (8 * i));
  }
}

std::uint64_t read_big_endian(const std::uint8_t* in, std::size_t width) {
  std::uint64_t value = 0;
  for (std::size_t i = 0; i < width; ++i)
    value = (value << 8) | in[i];
  return value;
}

void check_encodable(Framing framing, std::int64_t id) {
  if (framing == Framing::optimistic) {
    throw WireFormatError(
        "Framing::optimistic only reads; write with Framing::confluent4 or Framing::legacy8.");
  }
  if (id < 0) {
    throw WireFormatError(
        fmt::format("Cannot frame schema id {}: registry ids are never negative ({}).", id,
                    framing_description(framing)));
  }
  if (framing == Framing::confluent4 && id > kMax4ByteId) {
    throw WireFormatError(fmt::format(
        "Schema id {} does not fit the 4 bytes of Confluent framing (at most 4294967295); "
        "use Framing::legacy8 (8-byte ids) or header mode (8-byte id headers).",
        id));
  }
}

// A negative 8-byte id means the bytes were not written as an id: most often a reader set up
// for 8-byte framing meets a 4-byte frame (the id then takes in payload bytes). `where` builds
// the message's subject only on failure, keeping the hot path free of allocations.
template <class Where>
std::int64_t checked_8_byte_id(std::uint64_t raw, Where where) {
  if (raw > static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max())) {
    throw WireFormatError(
        fmt::format("{}: the 8-byte id 0x{:016x} is negative, which no registry id is; "
                    "were these bytes written with another framing?",
                    where(), raw));
  }
  return static_cast<std::int64_t>(raw);
}

}  // namespace

std::string_view framing_description(Framing framing) noexcept {
  switch (framing) {
    case Framing::confluent4:
      return "Confluent framing (0x00 + 4-byte id)";
    case Framing::legacy8:
      return "Apicurio legacy framing (0x00 + 8-byte id)";
    case Framing::optimistic:
      return "optimistic framing (0x00 + 4-byte id, or 8-byte if the first 4 are zero)";
  }
  return "unknown framing";
}

std::string_view id_kind_name(IdKind kind) noexcept {
  return kind == IdKind::global_id ? "globalId" : "contentId";
}

std::size_t prefix_size(Framing framing) {
  if (framing == Framing::optimistic) check_encodable(framing, 0);
  return 1 + id_width(framing);
}

std::size_t write_prefix(Framing framing, std::int64_t id, void* out, std::size_t capacity) {
  check_encodable(framing, id);
  const std::size_t size = prefix_size(framing);
  if (capacity < size) {
    throw WireFormatError(fmt::format("{} needs {} bytes for its prefix; the buffer has {}.",
                                      framing_description(framing), size, capacity));
  }
  auto* bytes = static_cast<std::uint8_t*>(out);
  bytes[0] = kMagicByte;
  write_big_endian(static_cast<std::uint64_t>(id), id_width(framing), bytes + 1);
  return size;
}

Frame read_frame(Framing framing, ByteView record) {
  if (record.empty()) {
    throw WireFormatError(
        fmt::format("Reading {}: the record is empty; expected at least {} bytes.",
                    framing_description(framing), framing == Framing::legacy8 ? 9 : 5));
  }
  if (record[0] != kMagicByte) {
    throw WireFormatError(
        fmt::format("Reading {}: expected the magic byte 0x00 first, got 0x{:02x}; the record is "
                    "not framed this way (header mode? another serializer?).",
                    framing_description(framing), record[0]));
  }
  Framing actual = framing;
  if (framing == Framing::optimistic) {
    const bool zero_high = record.size() >= 5 && read_big_endian(record.data() + 1, 4) == 0;
    actual = zero_high ? Framing::legacy8 : Framing::confluent4;
  }
  const std::size_t needed = 1 + id_width(actual);
  if (record.size() < needed) {
    throw WireFormatError(fmt::format(
        "Reading {}: the record is {} bytes; expected at least {} (magic byte and {}-byte id){}.",
        framing_description(framing), record.size(), needed, id_width(actual),
        framing == Framing::optimistic && actual == Framing::legacy8
            ? ", because the first 4 id bytes are zero"
            : ""));
  }
  const std::uint64_t raw = read_big_endian(record.data() + 1, id_width(actual));
  Frame frame;
  const auto subject = [framing] {
    return fmt::format("Reading {}", framing_description(framing));
  };
  frame.id =
      actual == Framing::legacy8 ? checked_8_byte_id(raw, subject) : static_cast<std::int64_t>(raw);
  frame.payload = ByteView(record.data() + needed, record.size() - needed);
  frame.framing = actual;
  return frame;
}

std::string_view id_header_name(RecordPart part, IdKind kind) noexcept {
  if (part == RecordPart::key) {
    return kind == IdKind::global_id ? "apicurio.key.globalId" : "apicurio.key.contentId";
  }
  return kind == IdKind::global_id ? "apicurio.value.globalId" : "apicurio.value.contentId";
}

std::array<std::uint8_t, 8> header_id_bytes(std::int64_t id) {
  if (id < 0) {
    throw WireFormatError(
        fmt::format("Cannot put schema id {} in a header: registry ids are never negative.", id));
  }
  std::array<std::uint8_t, 8> bytes{};
  write_big_endian(static_cast<std::uint64_t>(id), 8, bytes.data());
  return bytes;
}

std::int64_t read_header_id(std::string_view header_name, ByteView value) {
  if (value.size() != 8) {
    throw WireFormatError(fmt::format("Header {}: expected an 8-byte big-endian id, got {} byte{}.",
                                      header_name, value.size(), value.size() == 1 ? "" : "s"));
  }
  return checked_8_byte_id(read_big_endian(value.data(), 8),
                           [header_name] { return fmt::format("Header {}", header_name); });
}

const RecordHeader* HeaderView::find_last(std::string_view name) const noexcept {
  for (std::size_t i = size_; i > 0; --i) {
    if (data_[i - 1].name == name) return &data_[i - 1];
  }
  return nullptr;
}

}  // namespace apicurio
