// Avro records into framed bytes and back with apicurio-avro, against the embedded registry
// emulator: a producer serializes JSON records (registering the schema), a consumer reads them
// back. Its `//! [name]` regions are README code blocks (scripts/check_snippets.py). Exits 0
// when every record comes back equal, 1 otherwise.
#include <apicurio/avro.hpp>
#include <apicurio/testing/emulator.hpp>

#include <cstdio>
#include <exception>
#include <string>
#include <vector>

namespace {

const std::string user_schema = R"({"type":"record","name":"User","namespace":"com.example",
  "fields":[{"name":"id","type":"long"},{"name":"email","type":["null","string"]}]})";

bool run(apicurio::RegistryClient& client) {
  const std::vector<std::string> records = {R"({"id":1,"email":{"string":"ada@example.com"}})",
                                            R"({"id":2,"email":null})"};
  std::vector<std::string> topic_bytes;

  //! [avro-producer]
  apicurio::avro::SerializerOptions how;
  how.schema = user_schema;                                  // the writer schema
  how.choice = apicurio::avro::SchemaChoice::auto_register;  // default: find_by_content
  apicurio::avro::Serializer serializer(client, how);        // artifact: "{topic}-value"

  apicurio::avro::Serialized out;  // reused: its buffer grows once
  for (const std::string& json : records) {
    out.clear();                                    // serialize appends
    serializer.serialize_json("users", json, out);  // 0x00, 4-byte contentId, Avro binary
    topic_bytes.push_back(out.bytes);               // e.g. the value of rd_kafka_producev
  }
  //! [avro-producer]

  std::vector<std::string> consumed;
  //! [avro-consumer]
  apicurio::avro::Deserializer deserializer(client);  // writer schema from the record's id
  for (const std::string& bytes : topic_bytes) {
    std::string json;
    deserializer.deserialize_json(bytes, {}, json);  // appends; {}: no Kafka headers
    consumed.push_back(json);
  }
  //! [avro-consumer]
  for (const std::string& record : consumed)
    std::printf("%s\n", record.c_str());
  return consumed == records;
}

}  // namespace

int main() {
  try {
    apicurio::emulator::Emulator registry;
    apicurio::ClientOptions options;
    options.url = registry.base_url();
    apicurio::RegistryClient client(options);
    const bool ok = run(client);
    std::printf("%s\n", ok ? "avro records passed" : "avro records FAILED");
    return ok ? 0 : 1;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "avro records failed: %s\n", e.what());
    return 1;
  }
}
