#include <apicurio/schema_resolver.hpp>

#include <apicurio/testing/emulator.hpp>

#include <catch2/catch.hpp>

#include <chrono>
#include <cstdint>
#include <string>
#include <vector>

using apicurio::Framing;
using apicurio::IdKind;
using apicurio::IdLocation;
using apicurio::RecordHeader;
using apicurio::RecordPart;
using apicurio::ResolvedRecord;
using apicurio::ResolverOptions;
using apicurio::SchemaResolver;
using apicurio::WireFormatError;
using Catch::Matchers::Contains;

namespace {

const std::string kUser =
    R"({"type":"record","name":"User","namespace":"com.acme","fields":[{"name":"id","type":"long"}]})";
const std::string kOrder =
    R"({"type":"record","name":"Order","namespace":"com.acme","fields":[{"name":"n","type":"int"}]})";
// Avro payloads may start with 0x00 (a zero long, an empty string): header mode must never
// take that byte for a magic byte.
const std::string kPayload("\x00\x02hi", 4);

struct Fixture {
  apicurio::emulator::Emulator emulator;
  apicurio::emulator::VersionInfo user = emulator.add_version("default", "users-value", kUser);
  apicurio::emulator::VersionInfo order = emulator.add_version("default", "orders-value", kOrder);
  apicurio::RegistryClient client{options(emulator.base_url())};

  static apicurio::ClientOptions options(std::string url) {
    apicurio::ClientOptions o;
    o.url = std::move(url);
    o.max_retries = 0;
    return o;
  }
};

std::string framed(Framing framing, std::int64_t id, std::string_view payload) {
  std::string out;
  apicurio::append_frame(out, framing, id, payload);
  return out;
}

std::string schema_text(const ResolvedRecord& record) {
  REQUIRE(record.schema.wait_for(std::chrono::seconds(30)) == std::future_status::ready);
  return record.schema.get().schema();
}

std::string error_text(const ResolvedRecord& record) {
  REQUIRE(record.schema.wait_for(std::chrono::seconds(30)) == std::future_status::ready);
  try {
    record.schema.get();
  } catch (const apicurio::RecordSchemaNotFoundError& e) {
    return e.what();
  }
  FAIL("expected RecordSchemaNotFoundError");
  return "";
}

}  // namespace

TEST_CASE("by default a framed record is read as a Confluent 4-byte contentId") {
  Fixture f;
  SchemaResolver resolver(f.client);
  const std::string bytes = framed(Framing::confluent4, f.order.content_id, kPayload);
  const ResolvedRecord record = resolver.resolve(bytes);
  CHECK(record.id == f.order.content_id);
  CHECK(record.id_kind == IdKind::content_id);
  CHECK(record.location == IdLocation::framed);
  CHECK(record.framing == Framing::confluent4);
  CHECK(record.payload.chars() == kPayload);
  CHECK(record.payload.data() == reinterpret_cast<const std::uint8_t*>(bytes.data()) + 5);
  CHECK(schema_text(record) == kOrder);
}

TEST_CASE("globalIds in legacy 8-byte frames") {
  Fixture f;
  ResolverOptions options;
  options.framing = Framing::legacy8;
  options.id_kind = IdKind::global_id;
  const ResolvedRecord record =
      SchemaResolver(f.client, options).resolve(framed(Framing::legacy8, f.user.global_id, "p"));
  CHECK(record.id_kind == IdKind::global_id);
  CHECK(record.framing == Framing::legacy8);
  CHECK(schema_text(record) == kUser);
}

TEST_CASE("the optimistic reader resolves both widths") {
  Fixture f;
  ResolverOptions options;
  options.framing = Framing::optimistic;
  SchemaResolver resolver(f.client, options);
  const std::string four = framed(Framing::confluent4, f.user.content_id, kPayload);
  const std::string eight = framed(Framing::legacy8, f.order.content_id, kPayload);
  const ResolvedRecord a = resolver.resolve(four);
  const ResolvedRecord b = resolver.resolve(eight);
  CHECK(a.framing == Framing::confluent4);
  CHECK(b.framing == Framing::legacy8);
  CHECK(schema_text(a) == kUser);
  CHECK(schema_text(b) == kOrder);
  CHECK(b.payload.chars() == kPayload);
}

TEST_CASE("id headers are detected from the headers, not from the payload") {
  Fixture f;
  SchemaResolver resolver(f.client);  // framed contentId unless headers say otherwise
  const auto id = apicurio::header_id_bytes(f.user.global_id);
  const std::vector<RecordHeader> headers{{"trace", std::string_view("x")},
                                          {"apicurio.value.globalId", id}};
  const ResolvedRecord record = resolver.resolve(kPayload, headers);
  CHECK(record.location == IdLocation::headers);
  CHECK(record.id_kind == IdKind::global_id);  // the header's name says which kind
  CHECK(record.id == f.user.global_id);
  CHECK(record.payload.chars() == kPayload);  // untouched, although it starts with 0x00
  CHECK(schema_text(record) == kUser);
}

TEST_CASE("with both id headers the configured kind wins") {
  Fixture f;
  const auto global = apicurio::header_id_bytes(f.user.global_id);
  const auto content = apicurio::header_id_bytes(f.order.content_id);
  const std::vector<RecordHeader> headers{{"apicurio.value.globalId", global},
                                          {"apicurio.value.contentId", content}};
  CHECK(SchemaResolver(f.client).resolve(kPayload, headers).id_kind == IdKind::content_id);
  ResolverOptions options;
  options.id_kind = IdKind::global_id;
  const ResolvedRecord record = SchemaResolver(f.client, options).resolve(kPayload, headers);
  CHECK(record.id_kind == IdKind::global_id);
  CHECK(schema_text(record) == kUser);
}

TEST_CASE("a key resolver reads key headers and ignores value headers") {
  Fixture f;
  ResolverOptions options;
  options.part = RecordPart::key;
  const auto value_id = apicurio::header_id_bytes(f.user.content_id);
  const auto key_id = apicurio::header_id_bytes(f.order.content_id);
  const RecordHeader headers[] = {{"apicurio.value.contentId", value_id},
                                  {"apicurio.key.contentId", key_id}};
  const ResolvedRecord record = SchemaResolver(f.client, options).resolve("k", headers);
  CHECK(schema_text(record) == kOrder);
  // Only value headers: a key resolver falls back to framing, which "k" is not.
  const RecordHeader value_only[] = {{"apicurio.value.contentId", value_id}};
  REQUIRE_THROWS_WITH(SchemaResolver(f.client, options).resolve("k", value_only),
                      Contains("magic byte") && Contains("key") && Contains("contentId"));
}

TEST_CASE("configured modes are obeyed") {
  Fixture f;
  const auto id = apicurio::header_id_bytes(f.user.content_id);
  const std::vector<RecordHeader> headers{{"apicurio.value.contentId", id}};
  SECTION("framed ignores id headers") {
    ResolverOptions options;
    options.location = IdLocation::framed;
    const std::string bytes = framed(Framing::confluent4, f.order.content_id, "");
    CHECK(schema_text(SchemaResolver(f.client, options).resolve(bytes, headers)) == kOrder);
  }
  SECTION("headers mode fails without the headers and names them") {
    ResolverOptions options;
    options.location = IdLocation::headers;
    const std::string bytes = framed(Framing::confluent4, f.order.content_id, "");
    REQUIRE_THROWS_WITH(SchemaResolver(f.client, options).resolve(bytes),
                        Contains("apicurio.value.contentId") &&
                            Contains("apicurio.value.globalId") && Contains("0 headers"));
  }
}

TEST_CASE("malformed records fail at once, naming framing and id kind") {
  Fixture f;
  SchemaResolver resolver(f.client);
  REQUIRE_THROWS_WITH(resolver.resolve(std::string("\x00\x00\x01", 3)),
                      Contains("3 bytes") && Contains("at least 5") && Contains("Confluent") &&
                          Contains("contentId"));
  REQUIRE_THROWS_WITH(resolver.resolve(std::string("\x07\x00\x00\x00\x01", 5)),
                      Contains("got 0x07"));
  const std::vector<RecordHeader> short_header{{"apicurio.value.globalId", std::string_view("ab")}};
  REQUIRE_THROWS_WITH(resolver.resolve(kPayload, short_header),
                      Contains("apicurio.value.globalId") && Contains("got 2 bytes"));
}

TEST_CASE("a 4-byte reader meeting an 8-byte frame points to the framing setting") {
  Fixture f;
  const std::string legacy = framed(Framing::legacy8, f.user.content_id, kPayload);
  REQUIRE_THROWS_WITH(SchemaResolver(f.client).resolve(legacy),
                      Contains("id 0") && Contains("legacy8") && Contains("optimistic"));
}

TEST_CASE("an unknown id fails the future with how it was read") {
  Fixture f;
  SECTION("a contentId in a 4-byte frame") {
    const ResolvedRecord record =
        SchemaResolver(f.client).resolve(framed(Framing::confluent4, 999, ""));
    const std::string message = error_text(record);
    CHECK_THAT(message, Contains("999") && Contains("Confluent") && Contains("contentId"));
    try {
      record.schema.get();
    } catch (const apicurio::SchemaNotFoundError& e) {
      CHECK(e.by_id());
      CHECK(e.id_kind() == IdKind::content_id);
      CHECK(e.id() == 999);
    }
  }
  SECTION("a 4-byte frame read as 8 bytes gets a hint") {
    ResolverOptions options;
    options.framing = Framing::legacy8;
    options.id_kind = IdKind::global_id;
    const std::string bytes = framed(Framing::confluent4, f.user.global_id, "abcd");
    const std::string message = error_text(SchemaResolver(f.client, options).resolve(bytes));
    CHECK_THAT(message, Contains("globalId") && Contains("legacy") &&
                            Contains("4-byte frame read as 8 bytes"));
  }
  SECTION("a header id") {
    const auto id = apicurio::header_id_bytes(12345);
    const RecordHeader headers[] = {{"apicurio.value.globalId", id}};
    CHECK_THAT(error_text(SchemaResolver(f.client).resolve(kPayload, headers)),
               Contains("header apicurio.value.globalId"));
  }
}

TEST_CASE("a second record with the same id resolves from the client's cache") {
  Fixture f;
  SchemaResolver resolver(f.client);
  const std::string bytes = framed(Framing::confluent4, f.user.content_id, "");
  CHECK(schema_text(resolver.resolve(bytes)) == kUser);
  const std::size_t requests = f.emulator.requests().size();
  CHECK(schema_text(resolver.resolve(bytes)) == kUser);
  CHECK(f.emulator.requests().size() == requests);
}
