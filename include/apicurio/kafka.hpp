// librdkafka messages to and from apicurio-avro, so that header mode needs no glue: the
// headers of a consumed message as the Deserializer takes them, and a Serialized's id header
// added to the headers of a message to produce. Header-only, on librdkafka (Debian's
// librdkafka-dev) and apicurio-avro: Meson dependency('apicurio-kafka'), built with -Dkafka.
//
//   // consumer
//   apicurio::kafka::Headers headers;                       // reused: grows once
//   deserializer.deserialize_json(apicurio::kafka::payload_of(msg),
//                                 headers.read(msg), json);
//   // producer
//   rd_kafka_headers_t* hdrs = apicurio::kafka::id_headers(out);   // null unless header mode
//   rd_kafka_producev(rk, RD_KAFKA_V_TOPIC("users"),
//                     RD_KAFKA_V_VALUE(out.bytes.data(), out.bytes.size()),
//                     RD_KAFKA_V_MSGFLAGS(RD_KAFKA_MSG_F_COPY), RD_KAFKA_V_HEADERS(hdrs),
//                     RD_KAFKA_V_END);   // on success librdkafka owns hdrs; else destroy it
//   (the RD_KAFKA_V_* macros are GNU statement expressions: with clang -Wpedantic -Werror use
//   rd_kafka_produceva and RD_KAFKA_VTYPE_HEADERS, as samples/kafka_avro.cpp does)
//
// Threads: every function may be called from any thread (librdkafka's delivery and consume
// callbacks included); a Headers object by one thread at a time. None blocks.
#pragma once

#include <apicurio/avro.hpp>
#include <apicurio/wire_format.hpp>

#include <librdkafka/rdkafka.h>

#include <cstddef>
#include <stdexcept>
#include <string>
#include <vector>

namespace apicurio::kafka {

/// A message's value bytes (empty for a null value), a view into the message. Never throws.
inline ByteView payload_of(const rd_kafka_message_t* message) noexcept {
  if (message == nullptr || message->payload == nullptr) return {};
  return ByteView(message->payload, message->len);
}

/// A message's key bytes (empty for a null key), a view into the message. Never throws.
inline ByteView key_of(const rd_kafka_message_t* message) noexcept {
  if (message == nullptr || message->key == nullptr) return {};
  return ByteView(message->key, message->key_len);
}

/// The headers of a message as a HeaderView: views into librdkafka's headers, valid while
/// the message (or rd_kafka_headers_t) lives and until the next read. Reuse one object per
/// thread so that its storage grows once.
class Headers {
 public:
  /// Reads the headers of `headers` (null: none). Throws std::bad_alloc only.
  HeaderView read(const rd_kafka_headers_t* headers) {
    list_.clear();
    if (headers == nullptr) return list_;
    const char* name = nullptr;
    const void* value = nullptr;
    std::size_t size = 0;
    for (std::size_t i = 0;
         rd_kafka_header_get_all(headers, i, &name, &value, &size) == RD_KAFKA_RESP_ERR_NO_ERROR;
         ++i)
      list_.push_back(RecordHeader{name, value ? ByteView(value, size) : ByteView()});
    return list_;
  }
  /// Reads the headers of `message` (librdkafka parses them on first use and keeps them with
  /// the message). A message without headers gives an empty view. Throws std::bad_alloc only.
  HeaderView read(const rd_kafka_message_t* message) {
    rd_kafka_headers_t* headers = nullptr;
    if (message == nullptr ||
        rd_kafka_message_headers(message, &headers) != RD_KAFKA_RESP_ERR_NO_ERROR)
      headers = nullptr;
    return read(headers);
  }
  /// The view of the last read. Never throws.
  HeaderView view() const noexcept { return list_; }

 private:
  std::vector<RecordHeader> list_;
};

/// Adds the id header of `serialized` (header mode) to `headers`; does nothing when
/// serialized has no header (a framed record carries its id in its bytes). Throws
/// std::invalid_argument for null headers, std::runtime_error when librdkafka refuses (its
/// headers are read-only once a message owns them).
inline void add_id_header(rd_kafka_headers_t* headers, const avro::Serialized& serialized) {
  if (headers == nullptr)
    throw std::invalid_argument("apicurio::kafka::add_id_header: null headers");
  if (!serialized.has_header()) return;
  const avro::IdHeader& header = serialized.header();
  const rd_kafka_resp_err_t err =
      rd_kafka_header_add(headers, header.name.data(), static_cast<ssize_t>(header.name.size()),
                          header.value.data(), static_cast<ssize_t>(header.value.size()));
  if (err != RD_KAFKA_RESP_ERR_NO_ERROR)
    throw std::runtime_error(std::string("apicurio::kafka::add_id_header: ") +
                             rd_kafka_err2str(err));
}

/// New headers holding the id header of `serialized`, for RD_KAFKA_V_HEADERS, or null when
/// serialized has no header. The caller owns the result until rd_kafka_producev succeeds
/// (then librdkafka does). Throws std::bad_alloc, and what add_id_header throws.
inline rd_kafka_headers_t* id_headers(const avro::Serialized& serialized) {
  if (!serialized.has_header()) return nullptr;
  rd_kafka_headers_t* headers = rd_kafka_headers_new(1);
  if (headers == nullptr) throw std::bad_alloc();
  try {
    add_id_header(headers, serialized);
  } catch (...) {
    rd_kafka_headers_destroy(headers);
    throw;
  }
  return headers;
}

}  // namespace apicurio::kafka
