// Avro records through Kafka with apicurio-avro and librdkafka: a producer serializes N
// records, a consumer deserializes them, in 4-byte framing and in header mode. By default it
// needs nothing running: librdkafka's in-process mock cluster (test.mock.num.brokers) and the
// embedded registry emulator; --brokers HOST:PORT and --url REGISTRY_URL point it at real ones.
//
// Schema evolution: half-way the producer switches to v2 of the schema (a new optional field
// with a default), registered as the artifact's next version. The consumer reads WITHOUT a
// reader schema, each record with its own writer schema, because avro-c 1.11 cannot fill a
// field a reader schema adds from its default (see <apicurio/avro.hpp>); a consumer that
// wants v2 for every record must add the default itself.
//
// Exits 0 when every record comes back equal (JSON text compare against the canonical Avro
// JSON of what was sent), 1 otherwise; prints a short summary.
#include <apicurio/kafka.hpp>
#include <apicurio/testing/emulator.hpp>

#include <librdkafka/rdkafka_mock.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <memory>
#include <optional>
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

std::string record_json(int i, bool v2) {
  static const char* tiers[] = {"BRONZE", "SILVER", "GOLD"};
  std::string json =
      "{\"id\":" + std::to_string(i) + ",\"customer\":{\"name\":\"customer " + std::to_string(i) +
      "\",\"tier\":\"" + tiers[i % 3] +
      "\"},\"note\":" + (i % 2 ? "null" : "{\"string\":\"note " + std::to_string(i) + "\"}") +
      ",\"items\":[" + std::to_string(i) + "," + std::to_string(i * 2) +
      "],\"attributes\":{\"k\":\"v" + std::to_string(i) + "\"},\"blob\":\"\\u0000\\u00ff" +
      std::to_string(i) + "\",\"created\":" + std::to_string(1700000000000LL + i);
  if (v2)
    json += i % 3 ? ",\"coupon\":{\"string\":\"C" + std::to_string(i) + "\"}" : ",\"coupon\":null";
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

struct Run {
  int sent = 0, received = 0, mismatches = 0;
};

// Produces `count` records to `topic` (v1, then v2 from half-way) and consumes them back.
Run round_trip(apicurio::RegistryClient& client, const std::string& brokers,
               const std::string& topic, apicurio::avro::IdPlacement placement, int count,
               int& delivery_failures, rd_kafka_t* producer) {
  const std::string v1 = schema_v1 + schema_end, v2 = schema_v1 + schema_v2_field + schema_end;
  const auto parsed_v1 = apicurio::avro::Schema::parse(v1),
             parsed_v2 = apicurio::avro::Schema::parse(v2);
  auto options = [&](const std::string& schema) {
    apicurio::avro::SerializerOptions so;
    so.schema = schema;
    so.choice = apicurio::avro::SchemaChoice::auto_register;
    so.placement = placement;
    return so;
  };
  apicurio::avro::Serializer serializer_v1(client, options(v1)), serializer_v2(client, options(v2));

  Run run;
  std::vector<std::string> expected;
  apicurio::avro::Serialized out;
  for (int i = 0; i < count; ++i) {
    const bool v2_half = i >= count / 2;
    const std::string json = record_json(i, v2_half);
    expected.push_back(canonical(v2_half ? parsed_v2 : parsed_v1, json));
    out.clear();
    (v2_half ? serializer_v2 : serializer_v1).serialize_json(topic, json, out);
    rd_kafka_headers_t* headers = apicurio::kafka::id_headers(out);  // null when framed
    // rd_kafka_produceva, not producev: the RD_KAFKA_V_* macros use GNU statement
    // expressions, an error under -Wpedantic -Werror.
    rd_kafka_vu_t fields[5] = {};
    fields[0].vtype = RD_KAFKA_VTYPE_TOPIC;
    fields[0].u.cstr = topic.c_str();
    fields[1].vtype = RD_KAFKA_VTYPE_PARTITION;
    fields[1].u.i32 = 0;
    fields[2].vtype = RD_KAFKA_VTYPE_VALUE;
    fields[2].u.mem.ptr = out.bytes.data();
    fields[2].u.mem.size = out.bytes.size();
    fields[3].vtype = RD_KAFKA_VTYPE_MSGFLAGS;
    fields[3].u.i = RD_KAFKA_MSG_F_COPY;
    fields[4].vtype = RD_KAFKA_VTYPE_HEADERS;  // librdkafka owns them once produced
    fields[4].u.headers = headers;
    if (rd_kafka_error_t* error = rd_kafka_produceva(producer, fields, headers ? 5 : 4)) {
      if (headers) rd_kafka_headers_destroy(headers);
      const std::string message = rd_kafka_error_string(error);
      rd_kafka_error_destroy(error);
      throw std::runtime_error("produce: " + message);
    }
    ++run.sent;
    rd_kafka_poll(producer, 0);
  }
  if (rd_kafka_flush(producer, 30000) != RD_KAFKA_RESP_ERR_NO_ERROR || delivery_failures)
    throw std::runtime_error("produce: not every record was delivered");

  KafkaPtr consumer = make_kafka(RD_KAFKA_CONSUMER, {{"bootstrap.servers", brokers},
                                                     {"group.id", "kafka-avro-sample"},
                                                     {"enable.auto.commit", "false"}});
  rd_kafka_topic_partition_list_t* partitions = rd_kafka_topic_partition_list_new(1);
  rd_kafka_topic_partition_list_add(partitions, topic.c_str(), 0)->offset =
      RD_KAFKA_OFFSET_BEGINNING;
  const rd_kafka_resp_err_t assigned = rd_kafka_assign(consumer.get(), partitions);
  rd_kafka_topic_partition_list_destroy(partitions);
  if (assigned) throw std::runtime_error(std::string("assign: ") + rd_kafka_err2str(assigned));

  apicurio::avro::Deserializer deserializer(client);  // no reader schema: see the top
  apicurio::kafka::Headers headers;                   // reused by every message
  std::string json;
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
  while (run.received < count && std::chrono::steady_clock::now() < deadline) {
    rd_kafka_message_t* message = rd_kafka_consumer_poll(consumer.get(), 500);
    if (message == nullptr) continue;
    std::unique_ptr<rd_kafka_message_t, decltype(&rd_kafka_message_destroy)> owned(
        message, &rd_kafka_message_destroy);
    if (message->err) {
      std::fprintf(stderr, "consume: %s\n", rd_kafka_message_errstr(message));
      continue;
    }
    const apicurio::HeaderView read = headers.read(message);
    if (read.empty() != (placement != apicurio::avro::IdPlacement::headers)) {
      ++run.mismatches;  // the id must travel in a header in header mode, and only then
      std::fprintf(stderr, "record %d: %zu headers\n", run.received, read.size());
    }
    json.clear();
    deserializer.deserialize_json(apicurio::kafka::payload_of(message), read, json);
    const int index = run.received++;
    if (json != expected[static_cast<std::size_t>(index)]) {
      ++run.mismatches;
      std::fprintf(stderr, "record %d differs:\n  sent     %s\n  received %s\n", index,
                   expected[static_cast<std::size_t>(index)].c_str(), json.c_str());
    }
  }
  rd_kafka_consumer_close(consumer.get());
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
      const bool passed = run.received == count && run.mismatches == 0;
      std::printf("%s mode: %d sent, %d received, %d mismatched (v1 then v2 from record %d): %s\n",
                  name, run.sent, run.received, run.mismatches, count / 2,
                  passed ? "ok" : "FAILED");
      ok = ok && passed;
    }
    std::printf("%s\n", ok ? "kafka avro passed" : "kafka avro FAILED");
    return ok ? 0 : 1;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "kafka avro failed: %s\n", e.what());
    return 1;
  }
}
