#include <apicurio/wire_format.hpp>

#include <catch2/catch.hpp>

#include <cstddef>
#include <cstdint>
#include <limits>
#include <string>
#include <vector>

using apicurio::ByteView;
using apicurio::Framing;
using apicurio::IdKind;
using apicurio::RecordPart;
using apicurio::WireFormatError;
using Catch::Matchers::Contains;

namespace {

constexpr std::int64_t kMax4 = 4294967295;  // 2^32 - 1
constexpr std::int64_t kInt64Max = std::numeric_limits<std::int64_t>::max();

std::string framed(Framing framing, std::int64_t id, std::string_view payload) {
  std::string out;
  apicurio::append_frame(out, framing, id, payload);
  return out;
}

}  // namespace

TEST_CASE("confluent4 writes 0x00 and a 4-byte big-endian id") {
  const std::string out = framed(Framing::confluent4, 0x01020304, "abc");
  REQUIRE(out == std::string("\x00\x01\x02\x03\x04"
                             "abc",
                             8));
}

TEST_CASE("legacy8 writes 0x00 and an 8-byte big-endian id") {
  const std::string out = framed(Framing::legacy8, 0x0102030405060708, "");
  REQUIRE(out == std::string("\x00\x01\x02\x03\x04\x05\x06\x07\x08", 9));
}

TEST_CASE("every framing round-trips ids at its limits") {
  const std::string payload("\x00\xff payload", 10);  // a payload may itself start with 0x00
  SECTION("4-byte ids") {
    for (std::int64_t id : {std::int64_t{0}, std::int64_t{1}, std::int64_t{2147483648}, kMax4}) {
      const std::string out = framed(Framing::confluent4, id, payload);
      REQUIRE(out.size() == 5 + payload.size());
      const apicurio::Frame frame = apicurio::read_frame(Framing::confluent4, out);
      CHECK(frame.id == id);
      CHECK(frame.framing == Framing::confluent4);
      CHECK(frame.payload.chars() == payload);
    }
  }
  SECTION("8-byte ids") {
    for (std::int64_t id : {std::int64_t{0}, std::int64_t{1}, kMax4, kMax4 + 1, kInt64Max}) {
      const std::string out = framed(Framing::legacy8, id, payload);
      REQUIRE(out.size() == 9 + payload.size());
      const apicurio::Frame frame = apicurio::read_frame(Framing::legacy8, out);
      CHECK(frame.id == id);
      CHECK(frame.framing == Framing::legacy8);
      CHECK(frame.payload.chars() == payload);
    }
  }
}

TEST_CASE("the payload view points into the input without copying") {
  const std::string out = framed(Framing::confluent4, 7, "xyz");
  const apicurio::Frame frame = apicurio::read_frame(Framing::confluent4, out);
  CHECK(frame.payload.data() == reinterpret_cast<const std::uint8_t*>(out.data()) + 5);
  CHECK(frame.payload.size() == 3);
}

TEST_CASE("the optimistic reader takes 4-byte ids and falls back to 8 on four zero bytes") {
  SECTION("a 4-byte frame") {
    const std::string out = framed(Framing::confluent4, 42, "payload");
    const apicurio::Frame frame = apicurio::read_frame(Framing::optimistic, out);
    CHECK(frame.id == 42);
    CHECK(frame.framing == Framing::confluent4);
    CHECK(frame.payload.chars() == "payload");
  }
  SECTION("an 8-byte frame with a small id") {
    const std::string out = framed(Framing::legacy8, 42, "payload");
    const apicurio::Frame frame = apicurio::read_frame(Framing::optimistic, out);
    CHECK(frame.id == 42);
    CHECK(frame.framing == Framing::legacy8);
    CHECK(frame.payload.chars() == "payload");
  }
  SECTION("an 8-byte frame with an id over 2^32 - 1 is read as 4 bytes (its high half)") {
    // Documented limit of the fallback: only ids below 2^32 come back intact.
    const std::string out = framed(Framing::legacy8, kMax4 + 1, "");
    CHECK(apicurio::read_frame(Framing::optimistic, out).id == 1);
  }
  SECTION("a 4-byte id of 0 is taken for the start of an 8-byte id") {
    const std::string out = framed(Framing::confluent4, 0, "abcd");
    const apicurio::Frame frame = apicurio::read_frame(Framing::optimistic, out);
    CHECK(frame.framing == Framing::legacy8);
    CHECK(frame.id == 0x61626364);
  }
  SECTION("four zero bytes without the other four fail and say why 8 were expected") {
    const std::string out("\x00\x00\x00\x00\x00\x01", 6);
    REQUIRE_THROWS_WITH(
        apicurio::read_frame(Framing::optimistic, out),
        Contains("6 bytes") && Contains("at least 9") && Contains("first 4 id bytes are zero"));
  }
}

TEST_CASE("a 4-byte frame refuses ids over 2^32 - 1 and points to 8-byte ids") {
  std::string out = "keep";
  REQUIRE_THROWS_AS(apicurio::append_frame(out, Framing::confluent4, kMax4 + 1, "x"),
                    WireFormatError);
  CHECK(out == "keep");
  REQUIRE_THROWS_WITH(framed(Framing::confluent4, kInt64Max, ""),
                      Contains("4294967295") && Contains("legacy8") && Contains("header"));
}

TEST_CASE("negative ids are refused when writing") {
  for (Framing framing : {Framing::confluent4, Framing::legacy8}) {
    REQUIRE_THROWS_WITH(framed(framing, -1, ""), Contains("never negative"));
  }
  REQUIRE_THROWS_AS(apicurio::header_id_bytes(-1), WireFormatError);
}

TEST_CASE("an 8-byte id with the top bit set is refused when reading") {
  const std::string out("\x00\x80\x00\x00\x00\x00\x00\x00\x01", 9);
  REQUIRE_THROWS_WITH(apicurio::read_frame(Framing::legacy8, out),
                      Contains("negative") && Contains("legacy"));
}

TEST_CASE("the optimistic framing only reads") {
  REQUIRE_THROWS_WITH(framed(Framing::optimistic, 1, ""), Contains("only reads"));
  REQUIRE_THROWS_AS(apicurio::prefix_size(Framing::optimistic), WireFormatError);
}

TEST_CASE("write_prefix fills a caller's buffer and checks its size") {
  std::uint8_t buffer[9] = {};
  CHECK(apicurio::write_prefix(Framing::confluent4, 258, buffer, sizeof buffer) == 5);
  CHECK(std::vector<std::uint8_t>(buffer, buffer + 5) ==
        std::vector<std::uint8_t>{0x00, 0x00, 0x00, 0x01, 0x02});
  CHECK(apicurio::write_prefix(Framing::legacy8, 258, buffer, sizeof buffer) == 9);
  CHECK(buffer[7] == 0x01);
  CHECK(buffer[8] == 0x02);
  REQUIRE_THROWS_WITH(apicurio::write_prefix(Framing::legacy8, 1, buffer, 8),
                      Contains("needs 9 bytes") && Contains("has 8"));
}

TEST_CASE("append_frame appends to vectors of bytes after existing content") {
  std::vector<std::uint8_t> bytes{0xaa};
  apicurio::append_frame(bytes, Framing::confluent4, 1, std::string_view("p"));
  CHECK(bytes == std::vector<std::uint8_t>{0xaa, 0x00, 0x00, 0x00, 0x00, 0x01, 'p'});
  std::vector<std::byte> raw;
  apicurio::append_frame(raw, Framing::legacy8, 1, bytes);
  CHECK(raw.size() == 9 + bytes.size());
  const apicurio::Frame frame = apicurio::read_frame(Framing::legacy8, raw);
  CHECK(std::vector<std::uint8_t>(frame.payload.begin(), frame.payload.end()) == bytes);
}

TEST_CASE("short records fail with the byte counts") {
  REQUIRE_THROWS_WITH(apicurio::read_frame(Framing::confluent4, ByteView()),
                      Contains("empty") && Contains("at least 5"));
  REQUIRE_THROWS_WITH(apicurio::read_frame(Framing::confluent4, std::string("\x00\x01\x02", 3)),
                      Contains("3 bytes") && Contains("at least 5") && Contains("Confluent"));
  REQUIRE_THROWS_WITH(
      apicurio::read_frame(Framing::legacy8, std::string("\x00\x00\x00\x00\x01", 5)),
      Contains("5 bytes") && Contains("at least 9") && Contains("legacy"));
  REQUIRE_THROWS_WITH(apicurio::read_frame(Framing::optimistic, std::string("\x00\x01", 2)),
                      Contains("2 bytes") && Contains("at least 5"));
}

TEST_CASE("a bad magic byte fails with its value") {
  const std::string avro_text("\x02hello", 6);
  REQUIRE_THROWS_WITH(apicurio::read_frame(Framing::confluent4, avro_text),
                      Contains("magic byte 0x00") && Contains("got 0x02"));
  REQUIRE_THROWS_WITH(apicurio::read_frame(Framing::legacy8, std::string("\xff", 1)),
                      Contains("got 0xff"));
}

TEST_CASE("id header names") {
  CHECK(apicurio::id_header_name(RecordPart::value, IdKind::global_id) ==
        "apicurio.value.globalId");
  CHECK(apicurio::id_header_name(RecordPart::value, IdKind::content_id) ==
        "apicurio.value.contentId");
  CHECK(apicurio::id_header_name(RecordPart::key, IdKind::global_id) == "apicurio.key.globalId");
  CHECK(apicurio::id_header_name(RecordPart::key, IdKind::content_id) == "apicurio.key.contentId");
}

TEST_CASE("header ids are 8-byte big-endian and round-trip") {
  for (std::int64_t id : {std::int64_t{0}, std::int64_t{1}, kMax4, kMax4 + 1, kInt64Max}) {
    const auto bytes = apicurio::header_id_bytes(id);
    CHECK(apicurio::read_header_id("apicurio.value.globalId", bytes) == id);
  }
  CHECK(apicurio::header_id_bytes(0x0102) ==
        std::array<std::uint8_t, 8>{0, 0, 0, 0, 0, 0, 0x01, 0x02});
}

TEST_CASE("header ids of the wrong size or sign fail and name the header") {
  REQUIRE_THROWS_WITH(
      apicurio::read_header_id("apicurio.key.contentId", std::string(4, '\0')),
      Contains("apicurio.key.contentId") && Contains("8-byte") && Contains("got 4 bytes"));
  REQUIRE_THROWS_WITH(apicurio::read_header_id("apicurio.key.contentId", ByteView()),
                      Contains("got 0 bytes"));
  REQUIRE_THROWS_WITH(
      apicurio::read_header_id("h", std::string("\xff\xff\xff\xff\xff\xff\xff\xff", 8)),
      Contains("negative"));
}

TEST_CASE("HeaderView finds the last header of a name") {
  const std::vector<apicurio::RecordHeader> headers{
      {"apicurio.value.globalId", std::string_view("first")},
      {"other", std::string_view("x")},
      {"apicurio.value.globalId", std::string_view("last")},
  };
  const apicurio::HeaderView view(headers);
  REQUIRE(view.find_last("apicurio.value.globalId") != nullptr);
  CHECK(view.find_last("apicurio.value.globalId")->value.chars() == "last");
  CHECK(view.find_last("apicurio.value.contentId") == nullptr);
  CHECK(apicurio::HeaderView().find_last("other") == nullptr);
}

// Java's Default4ByteIdHandler writes `(int) id` and reads the 4 bytes as a signed int: ids
// from 2^31 up are negative to it. The bytes are still the id's low 32 bits, so this client
// reads them unsigned and finds the id the registry assigned.
TEST_CASE("4-byte ids from 2^31 up are read unsigned, not as Java's negative int") {
  const apicurio::Frame half =
      apicurio::read_frame(Framing::confluent4, std::string("\x00\x80\x00\x00\x00", 5));
  CHECK(half.id == 2147483648);
  const apicurio::Frame top =
      apicurio::read_frame(Framing::confluent4, std::string("\x00\xff\xff\xff\xff", 5));
  CHECK(top.id == kMax4);
  // What a Java writer would truncate silently is refused rather than written as another id.
  REQUIRE_THROWS_AS(framed(Framing::confluent4, kMax4 + 1, ""), WireFormatError);
}
