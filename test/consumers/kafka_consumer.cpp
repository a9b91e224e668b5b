// A user's program that takes apicurio-kafka (header-only, on apicurio-avro and librdkafka)
// from an install or a subproject, without a registry: it encodes a record with avro-c,
// produces it in header mode with apicurio::kafka::produce to librdkafka's in-process mock
// cluster, consumes it back, finds its id through apicurio::kafka::Headers and decodes it.
// That the program links and runs proves the flags of each packaging reach all three
// libraries.
#include <apicurio/kafka.hpp>

#include <librdkafka/rdkafka_mock.h>

#include <chrono>
#include <cstdint>
#include <iostream>
#include <memory>
#include <stdexcept>
#include <string>

namespace {

using KafkaPtr = std::unique_ptr<rd_kafka_t, decltype(&rd_kafka_destroy)>;
using MessagePtr = std::unique_ptr<rd_kafka_message_t, decltype(&rd_kafka_message_destroy)>;

KafkaPtr make_kafka(rd_kafka_type_t type, const char* name, const char* value, const char* name2,
                    const char* value2) {
  rd_kafka_conf_t* conf = rd_kafka_conf_new();
  char error[512];
  if (rd_kafka_conf_set(conf, name, value, error, sizeof error) != RD_KAFKA_CONF_OK ||
      (name2 != nullptr &&
       rd_kafka_conf_set(conf, name2, value2, error, sizeof error) != RD_KAFKA_CONF_OK)) {
    rd_kafka_conf_destroy(conf);
    throw std::runtime_error(error);
  }
  rd_kafka_t* kafka = rd_kafka_new(type, conf, error, sizeof error);
  if (kafka == nullptr) {
    rd_kafka_conf_destroy(conf);
    throw std::runtime_error(error);
  }
  return KafkaPtr(kafka, &rd_kafka_destroy);
}

// The record's Avro binary encoding (what a Serializer writes after the frame).
std::string encode(const apicurio::avro::Value& value) {
  std::size_t size = 0;
  if (avro_value_sizeof(const_cast<avro_value_t*>(&value.get()), &size) != 0)
    throw std::runtime_error(avro_strerror());
  std::string bytes(size, '\0');
  avro_writer_t writer = avro_writer_memory(&bytes[0], static_cast<int64_t>(size));
  const int rc = avro_value_write(writer, const_cast<avro_value_t*>(&value.get()));
  avro_writer_free(writer);
  if (rc != 0) throw std::runtime_error(avro_strerror());
  return bytes;
}

int run() {
  const auto schema = apicurio::avro::Schema::parse(
      R"({"type":"record","name":"R","fields":[{"name":"id","type":"long"}]})");
  apicurio::avro::Value record(schema);
  apicurio::avro::from_json(R"({"id":7})", record.get());

  // As a Serializer in IdPlacement::headers mode leaves it, with content id 42.
  apicurio::avro::Serialized out;
  out.bytes = encode(record);
  apicurio::avro::IdHeader header;
  header.name = apicurio::id_header_name(apicurio::RecordPart::value, apicurio::IdKind::content_id);
  header.value = apicurio::header_id_bytes(42);
  out.set_header(header);

  KafkaPtr producer = make_kafka(RD_KAFKA_PRODUCER, "test.mock.num.brokers", "1", nullptr, nullptr);
  const std::string brokers =
      rd_kafka_mock_cluster_bootstraps(rd_kafka_handle_mock_cluster(producer.get()));
  if (apicurio::kafka::produce(producer.get(), "consumer-check", out, nullptr, 0) !=
          RD_KAFKA_RESP_ERR_NO_ERROR ||
      rd_kafka_flush(producer.get(), 30000) != RD_KAFKA_RESP_ERR_NO_ERROR) {
    std::cerr << "produce failed\n";
    return 1;
  }

  KafkaPtr consumer =
      make_kafka(RD_KAFKA_CONSUMER, "bootstrap.servers", brokers.c_str(), "group.id", "consumer");
  rd_kafka_topic_partition_list_t* partitions = rd_kafka_topic_partition_list_new(1);
  rd_kafka_topic_partition_list_add(partitions, "consumer-check", 0)->offset =
      RD_KAFKA_OFFSET_BEGINNING;
  const rd_kafka_resp_err_t assigned = rd_kafka_assign(consumer.get(), partitions);
  rd_kafka_topic_partition_list_destroy(partitions);
  if (assigned != RD_KAFKA_RESP_ERR_NO_ERROR) throw std::runtime_error(rd_kafka_err2str(assigned));

  int status = 1;
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
  while (status != 0 && std::chrono::steady_clock::now() < deadline) {
    MessagePtr message(rd_kafka_consumer_poll(consumer.get(), 200), &rd_kafka_message_destroy);
    if (!message || message->err != RD_KAFKA_RESP_ERR_NO_ERROR) continue;
    apicurio::kafka::Headers headers;
    const apicurio::RecordHeader* id = headers.read(message.get()).find_last(header.name);
    if (id == nullptr || apicurio::read_header_id(id->name, id->value) != 42) {
      std::cerr << "the id header did not travel with the message\n";
      return 1;
    }
    const apicurio::ByteView payload = apicurio::kafka::payload_of(message.get());
    apicurio::avro::Value back(schema);
    avro_reader_t reader = avro_reader_memory(reinterpret_cast<const char*>(payload.data()),
                                              static_cast<int64_t>(payload.size()));
    const int rc = avro_value_read(reader, &back.get());
    avro_reader_free(reader);
    std::string json;
    if (rc == 0) apicurio::avro::to_json(back.get(), json);
    std::cout << "consumed " << json << " with content id 42\n";
    status = json == R"({"id":7})" ? 0 : 1;
  }
  rd_kafka_consumer_close(consumer.get());
  if (status != 0) std::cerr << "no matching message consumed\n";
  return status;
}

}  // namespace

int main() {
  try {
    return run();
  } catch (const std::exception& e) {
    std::cerr << "unexpected error: " << e.what() << "\n";
    return 1;
  }
}
