// How serializers put a schema id next to a Kafka record's payload: a framed prefix
// (Confluent 4-byte or Apicurio legacy 8-byte) or Kafka record headers.
//
// Ids: the registry hands out globalIds and contentIds from 1 upwards, as signed 64-bit
// numbers. Encoding accepts 0 .. INT64_MAX (0 only so that any 4- or 8-byte value round
// trips; the registry never assigns it) and rejects negative ids; decoding an 8-byte id with
// the top bit set fails rather than return a negative id.
//
// A 4-byte id is read and written unsigned, 0 .. 2^32-1. The Java serdes differ
// (Default4ByteIdHandler, Apicurio 3.x serde-common): they write `(int) id` and read the 4
// bytes back as a signed int. So bytes 0x80000000 .. 0xFFFFFFFF, which a Java producer
// writes for ids 2^31 .. 2^32-1, are read here as those ids (a Java reader sees them as
// negative and fails its lookup); a record this client frames with such an id is likewise
// unreadable by a Java consumer. Past 2^32-1 the Java writer silently keeps the low 32 bits,
// naming another schema; write_prefix refuses such ids instead.
//
// Threads: every function here is pure: any thread, never blocks, no shared state. A function
// that throws WireFormatError may throw std::bad_alloc instead while building the message;
// the others throw nothing but what their comments say.
#pragma once

#include <apicurio/errors.hpp>
#include <apicurio/export.hpp>

#include <array>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <iterator>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

namespace apicurio {

/// Where the schema id sits in front of the payload.
enum class Framing {
  /// 0x00, then a 4-byte big-endian id (Confluent; Apicurio 3.x serdes, with the contentId).
  confluent4,
  /// 0x00, then an 8-byte big-endian id: Apicurio 2.x serdes (the globalId), and 3.x serdes
  /// configured with Legacy8ByteIdHandler, which honours `apicurio.registry.use-id` like the
  /// 4-byte handler does: the contentId unless set to globalId. The frame cannot say which.
  legacy8,
  /// Reading only: 4 id bytes, unless they are all zero; then the id is 8 bytes. Reads
  /// topics that mix both; a 4-byte id of 0 is read as the start of an 8-byte id.
  optimistic,
};

/// Which half of a Kafka record a schema describes.
enum class RecordPart { key, value };

/// Malformed framing or id header, or an id the chosen format cannot carry.
class APICURIO_API WireFormatError : public Error {
 public:
  /// `message` becomes what(). Throws std::bad_alloc only.
  explicit WireFormatError(const std::string& message)
      : Error(ErrorCode::wire_format, false, message) {}
};

/// A read-only view of bytes (pointer and size) that never owns them. Converts implicitly
/// from std::string, std::string_view, a std::vector of `char`, `unsigned char`,
/// `std::uint8_t` or `std::byte`, any other contiguous container of 1-byte elements, and C
/// strings (without the NUL).
class APICURIO_API ByteView {
 public:
  /// An empty view.
  constexpr ByteView() noexcept = default;
  /// The `size` bytes at `data`.
  constexpr ByteView(const void* data, std::size_t size) noexcept
      : data_(static_cast<const std::uint8_t*>(data)), size_(size) {}
  template <class C, class E = std::remove_pointer_t<decltype(std::data(std::declval<const C&>()))>,
            class = std::enable_if_t<sizeof(E) == 1 && !std::is_array_v<C>>>
  /// The elements of a contiguous container of 1-byte elements.
  ByteView(const C& bytes) noexcept  // NOLINT(google-explicit-constructor): a view, like span
      : data_(reinterpret_cast<const std::uint8_t*>(std::data(bytes))), size_(std::size(bytes)) {}
  /// The characters of a C string, without the NUL; null gives an empty view.
  ByteView(const char* c_string) noexcept  // NOLINT(google-explicit-constructor)
      : ByteView(c_string ? std::string_view(c_string) : std::string_view()) {}

  /// The first byte (null for a default-constructed view).
  constexpr const std::uint8_t* data() const noexcept { return data_; }
  /// The number of bytes.
  constexpr std::size_t size() const noexcept { return size_; }
  /// True when there are no bytes.
  constexpr bool empty() const noexcept { return size_ == 0; }
  /// Byte `i`; `i` must be below size() (unchecked).
  constexpr std::uint8_t operator[](std::size_t i) const noexcept { return data_[i]; }
  /// Iteration over the bytes.
  constexpr const std::uint8_t* begin() const noexcept { return data_; }
  /// One past the last byte.
  constexpr const std::uint8_t* end() const noexcept { return data_ + size_; }
  /// The same bytes as characters.
  std::string_view chars() const noexcept { return {reinterpret_cast<const char*>(data_), size_}; }

 private:
  const std::uint8_t* data_ = nullptr;
  std::size_t size_ = 0;
};

/// A decoded framed record. `payload` points into the bytes that were decoded.
struct APICURIO_API Frame {
  /// The schema id the frame carries.
  std::int64_t id = 0;
  /// The bytes after the frame prefix.
  ByteView payload;
  /// The framing actually read: confluent4 or legacy8, never optimistic.
  Framing framing = Framing::confluent4;
};

/// Bytes before the payload: 5 for confluent4, 9 for legacy8. Throws WireFormatError for
/// optimistic, which only reads.
APICURIO_API std::size_t prefix_size(Framing framing);

/// Writes the magic byte and `id` into out[0 .. prefix_size(framing)) and returns that size.
/// Throws WireFormatError if `capacity` is too small, the id is negative, the id is over
/// 2^32-1 with confluent4, or framing is optimistic; nothing is written then.
APICURIO_API std::size_t write_prefix(Framing framing, std::int64_t id, void* out,
                                      std::size_t capacity);

/// Appends prefix and payload to `out` (std::string, std::vector<std::uint8_t>, ...), with
/// one resize and no temporary; `payload` must not view `out`'s own bytes. Throws as
/// write_prefix (then `out` is unchanged), or std::bad_alloc.
template <class ByteContainer>
void append_frame(ByteContainer& out, Framing framing, std::int64_t id, ByteView payload) {
  static_assert(sizeof(*std::data(out)) == 1, "append_frame needs a container of bytes");
  std::uint8_t prefix[9];
  const std::size_t prefix_bytes = write_prefix(framing, id, prefix, sizeof prefix);
  const std::size_t old_size = out.size();
  out.resize(old_size + prefix_bytes + payload.size());
  std::memcpy(std::data(out) + old_size, prefix, prefix_bytes);
  if (!payload.empty()) {
    std::memcpy(std::data(out) + old_size + prefix_bytes, payload.data(), payload.size());
  }
}

/// Splits a framed record into its id and payload, copying nothing. Throws WireFormatError
/// when the record is shorter than the prefix, the first byte is not 0x00 or an 8-byte id
/// is negative; the message names the framing and gives the byte counts or byte value.
APICURIO_API Frame read_frame(Framing framing, ByteView record);

/// The Kafka header that carries an id in header mode: "apicurio.value.contentId",
/// "apicurio.key.globalId", ...
APICURIO_API std::string_view id_header_name(RecordPart part, IdKind kind) noexcept;

/// The 8-byte big-endian header value for `id`. Throws WireFormatError for a negative id.
APICURIO_API std::array<std::uint8_t, 8> header_id_bytes(std::int64_t id);

/// Reads an 8-byte big-endian id header value. Throws WireFormatError when the value is not
/// 8 bytes or the id is negative; the message names `header_name`.
APICURIO_API std::int64_t read_header_id(std::string_view header_name, ByteView value);

/// One Kafka record header.
struct APICURIO_API RecordHeader {
  /// The header's key.
  std::string_view name;
  /// The header's value bytes.
  ByteView value;
};

/// A read-only view of a record's headers (pointer and count) that never owns them;
/// converts from a std::vector<RecordHeader> or an array of them.
class APICURIO_API HeaderView {
 public:
  /// No headers.
  HeaderView() noexcept = default;
  /// The `size` headers at `data`.
  HeaderView(const RecordHeader* data, std::size_t size) noexcept : data_(data), size_(size) {}
  /// The headers in a vector.
  HeaderView(const std::vector<RecordHeader>& headers) noexcept  // NOLINT: a view
      : data_(headers.data()), size_(headers.size()) {}
  /// The headers in an array.
  template <std::size_t N>
  HeaderView(const RecordHeader (&headers)[N]) noexcept  // NOLINT: a view
      : data_(headers), size_(N) {}

  /// Iteration over the headers, in record order.
  const RecordHeader* begin() const noexcept { return data_; }
  /// One past the last header.
  const RecordHeader* end() const noexcept { return data_ + size_; }
  /// The number of headers.
  std::size_t size() const noexcept { return size_; }
  /// True when there are no headers.
  bool empty() const noexcept { return size_ == 0; }
  /// The last header named `name` (Kafka lets a name repeat; its lastHeader wins), or null.
  const RecordHeader* find_last(std::string_view name) const noexcept;

 private:
  const RecordHeader* data_ = nullptr;
  std::size_t size_ = 0;
};

/// "Confluent framing (0x00 + 4-byte id)" and the like, for messages.
APICURIO_API std::string_view framing_description(Framing framing) noexcept;
/// "globalId" or "contentId".
APICURIO_API std::string_view id_kind_name(IdKind kind) noexcept;

}  // namespace apicurio
