// Checks a payload against its writer schema before avro-c decodes it. avro-c trusts what
// it reads: it allocates a string's or bytes' claimed length before reading them, and
// appends as many array items as a block claims, so a few garbage bytes could ask for
// terabytes or loop for ever. This walk allocates nothing and bounds each of those by the
// bytes actually there; it also gives the value's exact length, which tells trailing bytes.
#include "internal.hpp"

#include <fmt/format.h>

namespace apicurio::avro::detail {
namespace {

// Items that take no bytes (null, empty records) cannot be bounded by the bytes left, so
// they are bounded by this, per payload.
constexpr std::size_t kMaxFreeItems = 1 << 16;
constexpr int kMaxDepth = 512;

class Walker {
 public:
  explicit Walker(ByteView payload)
      : p_(payload.data()), end_(payload.data() + payload.size()), begin_(p_) {}

  std::size_t walk(avro_schema_t schema) {
    value(schema, 0);
    return static_cast<std::size_t>(p_ - begin_);
  }

 private:
  [[noreturn]] void fail(const std::string& what) const {
    throw PayloadError(fmt::format("Malformed Avro payload at byte {} of {}: {}", p_ - begin_,
                                   end_ - begin_, what));
  }

  std::int64_t varint(int max_bytes, const char* what) {
    std::uint64_t raw = 0;
    for (int i = 0; i < max_bytes; ++i) {
      if (p_ == end_) fail(fmt::format("truncated {}", what));
      const std::uint8_t b = *p_++;
      raw |= static_cast<std::uint64_t>(b & 0x7F) << (7 * i);
      if ((b & 0x80) == 0) {
        return static_cast<std::int64_t>(raw >> 1) ^ -static_cast<std::int64_t>(raw & 1);
      }
    }
    fail(fmt::format("{} longer than {} bytes", what, max_bytes));
  }

  void skip(std::int64_t n, const char* what) {
    if (n < 0) fail(fmt::format("negative {} length {}", what, n));
    if (n > end_ - p_) {
      fail(fmt::format("{} of {} bytes, but {} bytes are left", what, n, end_ - p_));
    }
    p_ += n;
  }

  void items(avro_schema_t item, avro_schema_t key_or_null, int depth) {
    for (;;) {
      std::int64_t count = varint(10, "block count");
      if (count == 0) return;
      if (count < 0) {
        if (count == INT64_MIN) fail("block count out of range");
        count = -count;
        const std::int64_t size = varint(10, "block size");
        if (size < 0 || size > end_ - p_) fail(fmt::format("block size {} out of range", size));
      }
      for (std::int64_t i = 0; i < count; ++i) {
        const std::uint8_t* before = p_;
        if (key_or_null != nullptr) skip(varint(10, "map key length"), "map key");
        value(item, depth + 1);
        if (p_ == before && ++free_items_ > kMaxFreeItems) {
          fail(fmt::format("more than {} items that take no bytes", kMaxFreeItems));
        }
      }
    }
  }

  void value(avro_schema_t schema, int depth) {
    if (depth > kMaxDepth) fail(fmt::format("nested deeper than {}", kMaxDepth));
    switch (avro_typeof(schema)) {
      case AVRO_NULL:
        return;
      case AVRO_BOOLEAN:
        skip(1, "boolean");
        return;
      case AVRO_INT32: {
        const std::int64_t n = varint(5, "int");
        if (n < INT32_MIN || n > INT32_MAX) fail("int out of range");
        return;
      }
      case AVRO_INT64:
        varint(10, "long");
        return;
      case AVRO_FLOAT:
        skip(4, "float");
        return;
      case AVRO_DOUBLE:
        skip(8, "double");
        return;
      case AVRO_STRING:
        skip(varint(10, "string length"), "string");
        return;
      case AVRO_BYTES:
        skip(varint(10, "bytes length"), "bytes");
        return;
      case AVRO_FIXED:
        skip(avro_schema_fixed_size(schema), "fixed");
        return;
      case AVRO_ENUM: {
        const std::int64_t index = varint(5, "enum index");
        if (index < 0 || index >= avro_schema_enum_number_of_symbols(schema)) {
          fail(fmt::format("enum index {} out of range", index));
        }
        return;
      }
      case AVRO_ARRAY:
        items(avro_schema_array_items(schema), nullptr, depth);
        return;
      case AVRO_MAP:
        items(avro_schema_map_values(schema), schema, depth);
        return;
      case AVRO_UNION: {
        const std::int64_t index = varint(10, "union index");
        if (index < 0 || static_cast<std::size_t>(index) >= avro_schema_union_size(schema)) {
          fail(fmt::format("union index {} out of range", index));
        }
        value(avro_schema_union_branch(schema, static_cast<int>(index)), depth + 1);
        return;
      }
      case AVRO_RECORD: {
        const std::size_t fields = avro_schema_record_size(schema);
        for (std::size_t i = 0; i < fields; ++i) {
          value(avro_schema_record_field_get_by_index(schema, static_cast<int>(i)), depth + 1);
        }
        return;
      }
      case AVRO_LINK:
        value(avro_schema_link_target(schema), depth + 1);
        return;
      default:
        fail("a schema type avro-c does not decode");
    }
  }

  const std::uint8_t* p_;
  const std::uint8_t* end_;
  const std::uint8_t* begin_;
  std::size_t free_items_ = 0;
};

}  // namespace

std::size_t check_payload(avro_schema_t schema, ByteView payload) {
  return Walker(payload).walk(schema);
}

void decode_payload(avro_schema_t writer, ByteView payload, avro_value_t& dest,
                    const CachedSchema& registered) {
  const std::size_t used = check_payload(writer, payload);
  if (used != payload.size()) {
    throw PayloadError(fmt::format("{} bytes follow the record's {} bytes in the payload of {}",
                                   payload.size() - used, used, describe(registered)));
  }
  avro_reader_t reader = thread_reader(payload.chars().data(), payload.size());
  if (avro_value_read(reader, &dest) != 0) {
    throw PayloadError(fmt::format("avro-c cannot decode the payload of {}: {}",
                                   describe(registered), avro_strerror()));
  }
}

}  // namespace apicurio::avro::detail
