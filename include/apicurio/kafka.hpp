// librdkafka messages to and from apicurio-avro, so that header mode needs no glue: the
// headers of a consumed message as the Deserializer takes them, and a Serialized record
// produced with its id header. Header-only, on librdkafka (Debian's
// librdkafka-dev) and apicurio-avro: Meson dependency('apicurio-kafka'), built with -Dkafka.
//
//   // consumer
//   apicurio::kafka::Headers headers;                       // reused: grows once
//   deserializer.deserialize_json(apicurio::kafka::payload_of(msg),
//                                 headers.read(msg), json);
//   // producer: the id header travels with the message in header mode
//   serializer.serialize_json("orders", json, out);
//   if (apicurio::kafka::produce(rk, "orders", out) == RD_KAFKA_RESP_ERR__QUEUE_FULL) ...
//
// Threads: every function may be called from any thread (librdkafka's delivery and consume
// callbacks included); a Headers object by one thread at a time. None blocks.
#pragma once

#include <apicurio/avro.hpp>
#include <apicurio/wire_format.hpp>

#include <librdkafka/rdkafka.h>

#include <cstddef>
#include <cstdint>
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

/// Produces `value` (and `key` when not null) to `topic`, copying the bytes
/// (RD_KAFKA_MSG_F_COPY), with their id headers in header mode. A null `key` gives a message
/// without key; a key of empty bytes gives an empty key, which partitioners hash. `partition`
/// is RD_KAFKA_PARTITION_UA (the partitioner's choice) unless given; `opaque` is the
/// message's opaque, `rkmessage->_private` in the delivery report. Returns librdkafka's error for a
/// message it refuses at once (RD_KAFKA_RESP_ERR__QUEUE_FULL: poll and try again;
/// MSG_SIZE_TOO_LARGE, ...): nothing was queued and nothing is leaked. Any thread; never blocks
/// (librdkafka's queue is bounded by queue.buffering.max.messages). Throws std::invalid_argument
/// for a null producer or topic, std::bad_alloc, and what add_id_header throws.
inline rd_kafka_resp_err_t produce(rd_kafka_t* producer, const char* topic,
                                   const avro::Serialized& value,
                                   const avro::Serialized* key = nullptr,
                                   std::int32_t partition = RD_KAFKA_PARTITION_UA,
                                   void* opaque = nullptr) {
  if (producer == nullptr || topic == nullptr)
    throw std::invalid_argument("apicurio::kafka::produce: null producer or topic");
  rd_kafka_headers_t* headers = nullptr;
  if (value.has_header() || (key != nullptr && key->has_header())) {
    headers = rd_kafka_headers_new(2);
    if (headers == nullptr) throw std::bad_alloc();
    try {
      if (key != nullptr) add_id_header(headers, *key);
      add_id_header(headers, value);
    } catch (...) {
      rd_kafka_headers_destroy(headers);
      throw;
    }
  }
  // rd_kafka_produceva, not producev: the RD_KAFKA_V_* macros are GNU statement expressions,
  // which users' -Wpedantic -Werror builds reject in a header.
  rd_kafka_vu_t fields[7] = {};
  std::size_t count = 0;
  fields[count].vtype = RD_KAFKA_VTYPE_TOPIC;
  fields[count++].u.cstr = topic;
  fields[count].vtype = RD_KAFKA_VTYPE_PARTITION;
  fields[count++].u.i32 = partition;
  fields[count].vtype = RD_KAFKA_VTYPE_VALUE;
  fields[count].u.mem.ptr = const_cast<char*>(value.bytes.data());
  fields[count++].u.mem.size = value.bytes.size();
  if (key != nullptr) {
    fields[count].vtype = RD_KAFKA_VTYPE_KEY;
    fields[count].u.mem.ptr = const_cast<char*>(key->bytes.data());
    fields[count++].u.mem.size = key->bytes.size();
  }
  fields[count].vtype = RD_KAFKA_VTYPE_MSGFLAGS;
  fields[count++].u.i = RD_KAFKA_MSG_F_COPY;
  fields[count].vtype = RD_KAFKA_VTYPE_OPAQUE;
  fields[count++].u.ptr = opaque;
  if (headers != nullptr) {
    fields[count].vtype = RD_KAFKA_VTYPE_HEADERS;  // librdkafka's once the message is queued
    fields[count++].u.headers = headers;
  }
  rd_kafka_error_t* error = rd_kafka_produceva(producer, fields, count);
  if (error == nullptr) return RD_KAFKA_RESP_ERR_NO_ERROR;
  const rd_kafka_resp_err_t code = rd_kafka_error_code(error);
  rd_kafka_error_destroy(error);
  if (headers != nullptr) rd_kafka_headers_destroy(headers);
  return code;
}

}  // namespace apicurio::kafka
