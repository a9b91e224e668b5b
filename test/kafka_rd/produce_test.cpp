// apicurio::kafka::produce through librdkafka's in-process mock cluster: the key's and the
// value's id headers travel with the message, framed records carry none, and a message
// librdkafka refuses loses nothing (the leak checker of the sanitizer builds watches the
// headers) and reports librdkafka's error.
#include <apicurio/kafka.hpp>

#include <librdkafka/rdkafka_mock.h>

#include <catch2/catch.hpp>

#include <chrono>
#include <functional>
#include <memory>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

namespace {

using KafkaPtr = std::unique_ptr<rd_kafka_t, decltype(&rd_kafka_destroy)>;
using MessagePtr = std::unique_ptr<rd_kafka_message_t, decltype(&rd_kafka_message_destroy)>;

KafkaPtr make_kafka(rd_kafka_type_t type,
                    const std::vector<std::pair<std::string, std::string>>& config) {
  rd_kafka_conf_t* conf = rd_kafka_conf_new();
  char error[512];
  for (const auto& [name, value] : config)
    if (rd_kafka_conf_set(conf, name.c_str(), value.c_str(), error, sizeof error) !=
        RD_KAFKA_CONF_OK)
      throw std::runtime_error(name + ": " + error);
  rd_kafka_t* kafka = rd_kafka_new(type, conf, error, sizeof error);
  if (kafka == nullptr) {
    rd_kafka_conf_destroy(conf);
    throw std::runtime_error(error);
  }
  return KafkaPtr(kafka, &rd_kafka_destroy);
}

apicurio::avro::Serialized serialized(const std::string& bytes, std::string_view header,
                                      std::uint8_t id) {
  apicurio::avro::Serialized out;
  out.bytes = bytes;
  if (!header.empty()) {
    apicurio::avro::IdHeader h;
    h.name = header;
    h.value[7] = id;
    out.set_header(h);
  }
  return out;
}

// Consumes the first message of partition 0 of `topic` and gives it to `check`, while the
// consumer lives (rd_kafka_destroy waits for every message of the consumer to be destroyed).
void consume_one(const std::string& brokers, const std::string& topic,
                 const std::function<void(const rd_kafka_message_t*)>& check) {
  KafkaPtr consumer = make_kafka(RD_KAFKA_CONSUMER, {{"bootstrap.servers", brokers},
                                                     {"group.id", "produce-test"},
                                                     {"enable.auto.commit", "false"}});
  rd_kafka_topic_partition_list_t* partitions = rd_kafka_topic_partition_list_new(1);
  rd_kafka_topic_partition_list_add(partitions, topic.c_str(), 0)->offset =
      RD_KAFKA_OFFSET_BEGINNING;
  REQUIRE(rd_kafka_assign(consumer.get(), partitions) == RD_KAFKA_RESP_ERR_NO_ERROR);
  rd_kafka_topic_partition_list_destroy(partitions);
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
  while (std::chrono::steady_clock::now() < deadline) {
    MessagePtr message(rd_kafka_consumer_poll(consumer.get(), 200), &rd_kafka_message_destroy);
    if (message && message->err == RD_KAFKA_RESP_ERR_NO_ERROR) {
      check(message.get());
      message.reset();
      rd_kafka_consumer_close(consumer.get());
      return;
    }
  }
  FAIL("no message in " << topic);
}

std::string text(apicurio::ByteView bytes) {
  return std::string(reinterpret_cast<const char*>(bytes.data()), bytes.size());
}

}  // namespace

TEST_CASE("kafka: produce sends the key's and the value's id headers with the message") {
  KafkaPtr producer = make_kafka(RD_KAFKA_PRODUCER, {{"test.mock.num.brokers", "1"}});
  const std::string brokers =
      rd_kafka_mock_cluster_bootstraps(rd_kafka_handle_mock_cluster(producer.get()));

  const auto value = serialized("value-payload", "apicurio.value.contentId", 7);
  const auto key = serialized("key-payload", "apicurio.key.contentId", 3);
  REQUIRE(apicurio::kafka::produce(producer.get(), "headers-topic", value, &key, 0) ==
          RD_KAFKA_RESP_ERR_NO_ERROR);
  REQUIRE(rd_kafka_flush(producer.get(), 30000) == RD_KAFKA_RESP_ERR_NO_ERROR);

  consume_one(brokers, "headers-topic", [](const rd_kafka_message_t* message) {
    CHECK(text(apicurio::kafka::payload_of(message)) == "value-payload");
    CHECK(text(apicurio::kafka::key_of(message)) == "key-payload");
    apicurio::kafka::Headers headers;
    const apicurio::HeaderView read = headers.read(message);
    CHECK(read.size() == 2);
    const apicurio::RecordHeader* value_id = read.find_last("apicurio.value.contentId");
    const apicurio::RecordHeader* key_id = read.find_last("apicurio.key.contentId");
    REQUIRE(value_id != nullptr);
    REQUIRE(key_id != nullptr);
    CHECK(apicurio::read_header_id(value_id->name, value_id->value) == 7);
    CHECK(apicurio::read_header_id(key_id->name, key_id->value) == 3);
  });
}

TEST_CASE("kafka: produce of framed records sends no header, and a null key none") {
  KafkaPtr producer = make_kafka(RD_KAFKA_PRODUCER, {{"test.mock.num.brokers", "1"}});
  const std::string brokers =
      rd_kafka_mock_cluster_bootstraps(rd_kafka_handle_mock_cluster(producer.get()));
  REQUIRE(apicurio::kafka::produce(producer.get(), "framed-topic",
                                   serialized(std::string("\0\0\0\0\7x", 6), "", 0), nullptr,
                                   0) == RD_KAFKA_RESP_ERR_NO_ERROR);
  REQUIRE(rd_kafka_flush(producer.get(), 30000) == RD_KAFKA_RESP_ERR_NO_ERROR);

  consume_one(brokers, "framed-topic", [](const rd_kafka_message_t* message) {
    CHECK(text(apicurio::kafka::payload_of(message)) == std::string("\0\0\0\0\7x", 6));
    CHECK(apicurio::kafka::key_of(message).size() == 0);
    apicurio::kafka::Headers headers;
    CHECK(headers.read(message).empty());
  });
}

TEST_CASE("kafka: a message librdkafka refuses returns its error and frees the headers") {
  KafkaPtr producer = make_kafka(RD_KAFKA_PRODUCER,
                                 {{"test.mock.num.brokers", "1"}, {"message.max.bytes", "1000"}});
  const auto value = serialized(std::string(5000, 'x'), "apicurio.value.contentId", 1);
  const auto key = serialized("k", "apicurio.key.contentId", 2);
  CHECK(apicurio::kafka::produce(producer.get(), "refused-topic", value, &key) ==
        RD_KAFKA_RESP_ERR_MSG_SIZE_TOO_LARGE);
  CHECK_THROWS_AS(apicurio::kafka::produce(nullptr, "t", value), std::invalid_argument);
}
