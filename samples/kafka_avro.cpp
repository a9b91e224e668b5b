// Avro records through Kafka with apicurio-avro and librdkafka: a producer serializes N
// records, a consumer deserializes them, in 4-byte framing and in header mode. By default it
// needs nothing running: librdkafka's in-process mock cluster (test.mock.num.brokers) and the
// embedded registry emulator; --brokers HOST:PORT and --url REGISTRY_URL point it at real ones.
//
// Schema evolution: half-way a new producer switches to v2 of the schema (a new optional
// field with a default), registered as the artifact's next version. The consumer reads every
// record with v2 as its reader schema: records written with v1 come back with the field's
// default. Its `//! [name]` regions are README code blocks (scripts/check_snippets.py).
//
// Exits 0 when every record comes back equal (JSON text compare against the canonical Avro
// JSON of what was sent, read as v2), 1 otherwise; prints a short summary.
#include <apicurio/kafka.hpp>
#include <apicurio/testing/emulator.hpp>

#include <librdkafka/rdkafka_mock.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <memory>
#include <optional>
#include <set>
#include <stdexcept>
#include <string>
#include <vector>

namespace {

// A nested record, an enum, a union with null, an array, a map, bytes, a logical type.
const std::string schema_v1 = R"({"type":"record","name":"Order","namespace":"com.example",
 "fields":[{"name":"id","type":"long"},
  {"name":"customer","type":{"type":"record","name":"Customer","fields":[
    {"name":"name","type":"string"},
    {"name":"tier","type":{"type":"enum","name":"Tier","symbols":["BRONZE","SILVER","GOLD"]}}]}},
  {"name":"note","type":["null","string"],"default":null},
  {"name":"items","type":{"type":"array","items":"int"}},
  {"name":"attributes","type":{"type":"map","values":"string"}},
  {"name":"blob","type":"bytes"},
  {"name":"created","type":{"type":"long","logicalType":"timestamp-millis"}})";
const std::string schema_v2_field = R"(,
  {"name":"coupon","type":["null","string"],"default":null})";
const std::string schema_end = "]}";

// Record i in the Avro JSON encoding; with `v2`, the new field too (null when `coupon_default`,
// as a v1 record reads under v2).
std::string record_json(int i, bool v2, bool coupon_default = false) {
  static const char* tiers[] = {"BRONZE", "SILVER", "GOLD"};
  std::string json =
      "{\"id\":" + std::to_string(i) + ",\"customer\":{\"name\":\"customer " + std::to_string(i) +
      "\",\"tier\":\"" + tiers[i % 3] +
      "\"},\"note\":" + (i % 2 ? "null" : "{\"string\":\"note " + std::to_string(i) + "\"}") +
      ",\"items\":[" + std::to_string(i) + "," + std::to_string(i * 2) +
      "],\"attributes\":{\"k\":\"v" + std::to_string(i) + "\"},\"blob\":\"\\u0000\\u00ff" +
      std::to_string(i) + "\",\"created\":" + std::to_string(1700000000000LL + i);
  if (v2)
    json += i % 3 && !coupon_default ? ",\"coupon\":{\"string\":\"C" + std::to_string(i) + "\"}"
                                     : ",\"coupon\":null";
  return json + "}";
}

// The canonical Avro JSON of `json` under `schema`, as the deserializer writes it.
std::string canonical(const apicurio::avro::Schema& schema, const std::string& json) {
  apicurio::avro::Value value(schema);
  apicurio::avro::from_json(json, value.get());
  std::string out;
  apicurio::avro::to_json(value.get(), out);
  return out;
}

using KafkaPtr = std::unique_ptr<rd_kafka_t, decltype(&rd_kafka_destroy)>;

void on_delivery(rd_kafka_t*, const rd_kafka_message_t* message, void* opaque);

// `delivery_failures`, for a producer, counts the records librdkafka could not deliver.
KafkaPtr make_kafka(rd_kafka_type_t type,
                    const std::vector<std::pair<std::string, std::string>>& config,
                    int* delivery_failures = nullptr) {
  rd_kafka_conf_t* conf = rd_kafka_conf_new();
  if (delivery_failures != nullptr) {
    rd_kafka_conf_set_dr_msg_cb(conf, &on_delivery);
    rd_kafka_conf_set_opaque(conf, delivery_failures);
  }
  char error[512];
  for (const auto& [name, value] : config) {
    if (rd_kafka_conf_set(conf, name.c_str(), value.c_str(), error, sizeof error) !=
        RD_KAFKA_CONF_OK) {
      rd_kafka_conf_destroy(conf);
      throw std::runtime_error(name + ": " + error);
    }
  }
  rd_kafka_t* kafka = rd_kafka_new(type, conf, error, sizeof error);  // owns conf on success
  if (kafka == nullptr) {
    rd_kafka_conf_destroy(conf);
    throw std::runtime_error(std::string("rd_kafka_new: ") + error);
  }
  return KafkaPtr(kafka, &rd_kafka_destroy);
}

void on_delivery(rd_kafka_t*, const rd_kafka_message_t* message, void* opaque) {
  if (message->err) ++*static_cast<int*>(opaque);
}

// Produces `records` to `topic` with `schema`, as one version of a producer would.
void produce_records(apicurio::RegistryClient& client, rd_kafka_t* producer,
                     const std::string& topic, const std::string& schema,
                     apicurio::avro::IdPlacement placement,
                     const std::vector<std::string>& records) {
  //! [kafka-producer]
  apicurio::avro::SerializerOptions how;
  how.schema = schema;                                       // the writer schema
  how.choice = apicurio::avro::SchemaChoice::auto_register;  // default: find_by_content
  how.placement = placement;  // confluent4 (default): 0x00 and the id before the payload
  apicurio::avro::Serializer serializer(client, how);  // artifact "{topic}-value"
  apicurio::avro::Serialized out;                      // reused: its buffer grows once
  for (const std::string& json : records) {
    out.clear();                                  // serialize appends
    serializer.serialize_json(topic, json, out);  // or serialize(topic, avro_value, out)
    if (apicurio::kafka::produce(producer, topic.c_str(), out) != RD_KAFKA_RESP_ERR_NO_ERROR)
      throw std::runtime_error("produce refused");  // or, on _QUEUE_FULL, poll and retry
    rd_kafka_poll(producer, 0);                     // serves delivery reports
  }
  //! [kafka-producer]
}

// Consumes `count` records of `topic` from the beginning, each resolved to `reader_schema`,
// as JSON text, into `received`; stops after 60 s without them all.
void consume_records(apicurio::RegistryClient& client, rd_kafka_t* consumer,
                     const std::string& reader_schema, std::size_t count,
                     std::vector<std::string>& received, bool header_mode, int& mismatches) {
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
  auto running = [&] {
    return received.size() < count && std::chrono::steady_clock::now() < deadline;
  };
  apicurio::kafka::Headers check;
  auto handle = [&](const rd_kafka_message_t* message, std::string json) {
    if (check.read(message).empty() == header_mode) {
      ++mismatches;  // the id must travel in a header in header mode, and only then
      std::fprintf(stderr, "record %zu: %zu headers\n", received.size(), check.view().size());
    }
    received.push_back(std::move(json));
  };
  //! [kafka-consumer]
  apicurio::avro::DeserializerOptions how;
  how.reader_schema = reader_schema;  // optional: each record resolved to it by Avro's rules
  apicurio::avro::Deserializer deserializer(client, how);  // writer schema by the record's id
  apicurio::kafka::Headers headers;                        // reused by every message
  while (running()) {
    using Message = std::unique_ptr<rd_kafka_message_t, decltype(&rd_kafka_message_destroy)>;
    Message message(rd_kafka_consumer_poll(consumer, 500), &rd_kafka_message_destroy);
    if (!message || message->err) continue;  // err: e.g. the end of a partition
    std::string json;                        // deserialize_json appends
    deserializer.deserialize_json(apicurio::kafka::payload_of(message.get()),
                                  headers.read(message.get()), json);  // id header, if any
    handle(message.get(), std::move(json));
  }
  //! [kafka-consumer]
}

struct Run {
  std::size_t sent = 0, received = 0;
  int mismatches = 0;
};

// Produces `count` records to `topic` (v1, then v2 from half-way), consumes them back as v2
// and compares them with what was sent, in any order (the topic may have several partitions).
Run round_trip(apicurio::RegistryClient& client, const std::string& brokers,
               const std::string& topic, apicurio::avro::IdPlacement placement, int count,
               int& delivery_failures, rd_kafka_t* producer) {
  const std::string v1 = schema_v1 + schema_end, v2 = schema_v1 + schema_v2_field + schema_end;
  const auto parsed_v2 = apicurio::avro::Schema::parse(v2);
  std::vector<std::string> v1_records, v2_records;
  std::multiset<std::string> expected;
  for (int i = 0; i < count; ++i) {
    const bool v2_half = i >= count / 2;
    (v2_half ? v2_records : v1_records).push_back(record_json(i, v2_half));
    // Read as v2, a v1 record has the new field's default.
    expected.insert(canonical(parsed_v2, record_json(i, true, !v2_half)));
  }
  produce_records(client, producer, topic, v1, placement, v1_records);
  produce_records(client, producer, topic, v2, placement, v2_records);
  Run run;
  run.sent = v1_records.size() + v2_records.size();
  if (rd_kafka_flush(producer, 30000) != RD_KAFKA_RESP_ERR_NO_ERROR || delivery_failures)
    throw std::runtime_error("produce: not every record was delivered");

  KafkaPtr consumer = make_kafka(RD_KAFKA_CONSUMER, {{"bootstrap.servers", brokers},
                                                     {"group.id", "kafka-avro-" + topic},
                                                     {"auto.offset.reset", "earliest"},
                                                     {"enable.auto.commit", "false"}});
  rd_kafka_topic_partition_list_t* topics = rd_kafka_topic_partition_list_new(1);
  rd_kafka_topic_partition_list_add(topics, topic.c_str(), RD_KAFKA_PARTITION_UA);
  const rd_kafka_resp_err_t subscribed = rd_kafka_subscribe(consumer.get(), topics);
  rd_kafka_topic_partition_list_destroy(topics);
  if (subscribed)
    throw std::runtime_error(std::string("subscribe: ") + rd_kafka_err2str(subscribed));

  std::vector<std::string> received;
  consume_records(client, consumer.get(), v2, run.sent, received,
                  placement == apicurio::avro::IdPlacement::headers, run.mismatches);
  rd_kafka_consumer_close(consumer.get());
  run.received = received.size();
  for (const std::string& json : received) {
    auto found = expected.find(json);
    if (found == expected.end()) {
      ++run.mismatches;
      std::fprintf(stderr, "received a record not sent (or twice): %s\n", json.c_str());
    } else {
      expected.erase(found);
    }
  }
  return run;
}

}  // namespace

int main(int argc, char** argv) {
  std::string brokers, url;
  int count = 200;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    if (arg == "--brokers" && i + 1 < argc) {
      brokers = argv[++i];
    } else if (arg == "--url" && i + 1 < argc) {
      url = argv[++i];
    } else if (arg == "--count" && i + 1 < argc) {
      count = std::atoi(argv[++i]);
    } else {
      std::fprintf(stderr,
                   "usage: kafka_avro [--brokers HOST:PORT] [--url REGISTRY_URL] [--count N]\n");
      return 2;
    }
  }
  if (count < 2) count = 2;
  try {
    std::optional<apicurio::emulator::Emulator> registry;
    if (url.empty()) url = registry.emplace().base_url();
    apicurio::ClientOptions options;
    options.url = url;
    apicurio::RegistryClient client(options);

    int delivery_failures = 0;
    std::vector<std::pair<std::string, std::string>> config;
    if (brokers.empty()) {
      config.emplace_back("test.mock.num.brokers", "1");
    } else {
      config.emplace_back("bootstrap.servers", brokers);
    }
    KafkaPtr producer = make_kafka(RD_KAFKA_PRODUCER, config, &delivery_failures);
    // The mock cluster lives in the producer: the consumers connect to its brokers.
    if (brokers.empty())
      brokers = rd_kafka_mock_cluster_bootstraps(rd_kafka_handle_mock_cluster(producer.get()));

    // A topic per run and mode, so that a real cluster's older records are not read back.
    const std::string suffix =
        std::to_string(std::chrono::system_clock::now().time_since_epoch().count());
    bool ok = true;
    for (const auto& [name, placement] :
         {std::pair{"4-byte", apicurio::avro::IdPlacement::confluent4},
          std::pair{"header", apicurio::avro::IdPlacement::headers}}) {
      const std::string topic =
          std::string("orders-") +
          (placement == apicurio::avro::IdPlacement::headers ? "headers-" : "framed-") + suffix;
      const Run run =
          round_trip(client, brokers, topic, placement, count, delivery_failures, producer.get());
      const bool passed = run.received == static_cast<std::size_t>(count) && run.mismatches == 0;
      std::printf(
          "%s mode: %zu sent, %zu received, %d mismatched (v1 then v2 from record %d, "
          "read as v2): %s\n",
          name, run.sent, run.received, run.mismatches, count / 2, passed ? "ok" : "FAILED");
      ok = ok && passed;
    }
    std::printf("%s\n", ok ? "kafka avro passed" : "kafka avro FAILED");
    return ok ? 0 : 1;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "kafka avro failed: %s\n", e.what());
    return 1;
  }
}
