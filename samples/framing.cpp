// A producer registers a schema and frames a payload; a consumer resolves the schema back
// from the record, against the in-process registry emulator. Two producers are shown: an
// Apicurio 3.x style one (Confluent framing, contentId) and one that puts a globalId in the
// record headers. Exits 0 when every check passes, 1 otherwise, so CI can run it.
#include <apicurio/registry.hpp>

#include <apicurio/testing/emulator.hpp>

#include <chrono>
#include <cstdio>
#include <exception>
#include <string>
#include <vector>

namespace {

const std::string kSchema = R"({"type": "record", "name": "Order", "namespace": "com.acme",
  "fields": [{"name": "id", "type": "long"}, {"name": "item", "type": "string"}]})";

// An Avro-encoded Order{id: 0, item: "tea"}: it starts with 0x00, like a magic byte would.
const std::string kAvroPayload("\x00\x06tea", 5);

bool check(bool ok, const char* what) {
  std::printf("%s: %s\n", ok ? "ok  " : "FAIL", what);
  return ok;
}

apicurio::CachedSchema await(const apicurio::Future<apicurio::CachedSchema>& schema) {
  if (schema.wait_for(std::chrono::seconds(30)) != std::future_status::ready) {
    throw std::runtime_error("the registry did not answer within 30 s");
  }
  return schema.get();
}

bool run() {
  apicurio::emulator::Emulator registry;
  apicurio::ClientOptions options;
  options.url = registry.base_url();
  apicurio::RegistryClient client(options);
  bool ok = true;

  // Producer 1: name the artifact with a strategy, register, frame with the contentId.
  const std::string topic = "orders";
  const apicurio::ArtifactRef artifact =
      apicurio::topic_id_strategy({topic, apicurio::RecordPart::value, kSchema});
  const apicurio::CachedSchema registered = await(client.register_schema(artifact, kSchema));
  std::string record;
  apicurio::append_frame(record, apicurio::Framing::confluent4, registered.content_id,
                         kAvroPayload);
  std::printf("registered %s: globalId %lld, contentId %lld; record of %zu bytes\n",
              artifact.artifact_id.c_str(), static_cast<long long>(registered.global_id),
              static_cast<long long>(registered.content_id), record.size());

  // Consumer 1: defaults read Confluent framing with a contentId.
  apicurio::SchemaResolver resolver(client);
  const apicurio::ResolvedRecord framed = resolver.resolve(record);
  ok &= check(await(framed.schema).schema() == kSchema, "framed record resolves to its schema");
  ok &= check(framed.payload.chars() == kAvroPayload, "framed payload comes back unframed");

  // Producer 2: a schema seeded straight into the registry; the globalId goes in a header.
  const auto seeded = registry.add_version("default", "com.acme.Order", kSchema);
  const auto id_bytes = apicurio::header_id_bytes(seeded.global_id);
  const std::vector<apicurio::RecordHeader> headers{
      {apicurio::id_header_name(apicurio::RecordPart::value, apicurio::IdKind::global_id),
       id_bytes}};

  // Consumer 2: the same resolver sees the header and never looks at the payload's 0x00.
  const apicurio::ResolvedRecord in_headers = resolver.resolve(kAvroPayload, headers);
  ok &= check(in_headers.location == apicurio::IdLocation::headers, "header mode detected");
  ok &= check(in_headers.id == seeded.global_id, "header globalId read");
  ok &= check(await(in_headers.schema).schema() == kSchema, "header record resolves");
  ok &= check(in_headers.payload.chars() == kAvroPayload, "header-mode payload is untouched");

  // A record no producer framed fails with a message naming what was assumed.
  try {
    resolver.resolve(std::string("\x02garbage"));
    ok &= check(false, "unframed record rejected");
  } catch (const apicurio::WireFormatError& e) {
    std::printf("expected error: %s\n", e.what());
    ok &= check(true, "unframed record rejected");
  }
  return ok;
}

}  // namespace

int main() {
  try {
    const bool ok = run();
    std::printf("%s\n", ok ? "framing sample passed" : "framing sample FAILED");
    return ok ? 0 : 1;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "framing sample failed: %s\n", e.what());
    return 1;
  }
}
