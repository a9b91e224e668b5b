// apicurio::kafka helpers on librdkafka's own header lists (the sample kafka_avro covers
// messages from a mock cluster).
#include <apicurio/kafka.hpp>

#include <catch2/catch.hpp>

#include <cstring>
#include <memory>
#include <string>

namespace {

using HeadersPtr = std::unique_ptr<rd_kafka_headers_t, decltype(&rd_kafka_headers_destroy)>;

apicurio::avro::Serialized with_header(std::int64_t id) {
  apicurio::avro::IdHeader header;
  header.name = "apicurio.value.contentId";
  for (int i = 0; i < 8; ++i)
    header.value[7 - i] = static_cast<std::uint8_t>(id >> (8 * i));
  apicurio::avro::Serialized out;
  out.set_header(header);
  return out;
}

}  // namespace

TEST_CASE("kafka: an id header added to librdkafka headers reads back as the same id") {
  HeadersPtr headers(rd_kafka_headers_new(2), &rd_kafka_headers_destroy);
  rd_kafka_header_add(headers.get(), "trace", -1, "abc", 3);
  apicurio::kafka::add_id_header(headers.get(), with_header(0x0102030405LL));

  apicurio::kafka::Headers view;
  const apicurio::HeaderView read = view.read(headers.get());
  REQUIRE(read.size() == 2);
  const apicurio::RecordHeader* id = read.find_last("apicurio.value.contentId");
  REQUIRE(id != nullptr);
  CHECK(apicurio::read_header_id(id->name, id->value) == 0x0102030405LL);
  CHECK(read.find_last("trace")->value.size() == 3);
}

TEST_CASE("kafka: a repeated id header: the last one wins, as Kafka's lastHeader") {
  HeadersPtr headers(rd_kafka_headers_new(2), &rd_kafka_headers_destroy);
  apicurio::kafka::add_id_header(headers.get(), with_header(1));
  apicurio::kafka::add_id_header(headers.get(), with_header(2));
  apicurio::kafka::Headers view;
  const apicurio::RecordHeader* id = view.read(headers.get()).find_last("apicurio.value.contentId");
  REQUIRE(id != nullptr);
  CHECK(apicurio::read_header_id(id->name, id->value) == 2);
}

TEST_CASE("kafka: no header in framed mode, null and empty header lists") {
  apicurio::avro::Serialized framed;
  CHECK(apicurio::kafka::id_headers(framed) == nullptr);
  HeadersPtr headers(rd_kafka_headers_new(1), &rd_kafka_headers_destroy);
  apicurio::kafka::add_id_header(headers.get(), framed);
  CHECK(rd_kafka_header_cnt(headers.get()) == 0);
  CHECK_THROWS_AS(apicurio::kafka::add_id_header(nullptr, with_header(1)), std::invalid_argument);

  apicurio::kafka::Headers view;
  CHECK(view.read(static_cast<const rd_kafka_headers_t*>(nullptr)).empty());
  CHECK(view.read(headers.get()).empty());
  CHECK(view.read(static_cast<const rd_kafka_message_t*>(nullptr)).empty());
  CHECK(apicurio::kafka::payload_of(nullptr).size() == 0);
}

TEST_CASE("kafka: id_headers owns a new list with the one id header; reading twice reuses") {
  HeadersPtr headers(apicurio::kafka::id_headers(with_header(7)), &rd_kafka_headers_destroy);
  REQUIRE(headers != nullptr);
  apicurio::kafka::Headers view;
  for (int i = 0; i < 2; ++i) {
    const apicurio::HeaderView read = view.read(headers.get());
    REQUIRE(read.size() == 1);
    CHECK(apicurio::read_header_id(read.begin()->name, read.begin()->value) == 7);
  }
}
