// apicurio-cli serialize and deserialize end to end: JSON lines to hex lines and back
// through the binary ($APICURIO_CLI) and an in-process emulator.
#include <apicurio/testing/emulator.hpp>
#include "cli_runner.hpp"

#include <catch2/catch.hpp>
#include <cctype>
#include <cstdint>
#include <cstdio>
#include <string>
#include <vector>

using apicurio::emulator::Emulator;
using apicurio::emulator::VersionInfo;
using cli_test::CliRun;
using cli_test::run_cli;
using cli_test::TempFile;

namespace {

constexpr int kBadRecord = 7;

const std::string kPerson = R"({"type":"record","name":"Person","namespace":"com.acme","fields":[
  {"name":"id","type":"int"},
  {"name":"address","type":{"type":"record","name":"Address",
    "fields":[{"name":"zip","type":"int"},{"name":"city","type":"string"}]}},
  {"name":"color","type":{"type":"enum","name":"Color","symbols":["RED","GREEN"]}},
  {"name":"nick","type":["null","string"]},
  {"name":"tags","type":{"type":"array","items":"string"}},
  {"name":"scores","type":{"type":"map","values":"long"}},
  {"name":"blob","type":"bytes"},
  {"name":"born","type":{"type":"long","logicalType":"timestamp-millis"}}]})";

// Written as the deserializer prints them, so that the round trip compares text.
const std::vector<std::string> kPeople = {
    R"({"id":1,"address":{"zip":12345,"city":"Paris"},"color":"RED","nick":null,"tags":[],)"
    R"("scores":{},"blob":"","born":0})",
    R"({"id":2,"address":{"zip":1,"city":"Zürich"},"color":"GREEN","nick":{"string":"bo"},)"
    R"("tags":["a","b"],"scores":{"x":-1},"blob":"\u00ff\u0000a","born":1700000000000})",
    R"({"id":-3,"address":{"zip":0,"city":""},"color":"RED","nick":{"string":""},)"
    R"("tags":["\"q\""],"scores":{"k":9007199254740993},"blob":"\u0080","born":-1})",
};

const std::string kSmall =
    R"({"type":"record","name":"Small","fields":[{"name":"id","type":"int"},)"
    R"({"name":"name","type":"string"}]})";

std::string lines(const std::vector<std::string>& records, const char* end = "\n") {
  std::string text;
  for (const std::string& r : records)
    text += r + end;
  return text;
}

std::vector<std::string> split_lines(const std::string& text) {
  std::vector<std::string> out;
  std::size_t start = 0;
  while (start < text.size()) {
    std::size_t end = text.find('\n', start);
    REQUIRE(end != std::string::npos);  // every line ends with '\n'
    out.push_back(text.substr(start, end - start));
    start = end + 1;
  }
  return out;
}

std::string hex8(std::int64_t id) {
  char buffer[17];
  std::snprintf(buffer, sizeof buffer, "%016llx", static_cast<unsigned long long>(id));
  return buffer;
}

// A failure: the status, and one "apicurio-cli: " line on stderr that holds `message`.
void check_failure(const CliRun& run, int status, const std::string& message) {
  INFO("stdout: " << run.out << "\nstderr: " << run.err);
  CHECK(run.status == status);
  CHECK(run.err.rfind("apicurio-cli: ", 0) == 0);
  CHECK(run.err.find('\n') == run.err.size() - 1);
  CHECK(run.err.find(message) != std::string::npos);
}

std::string ok_output(const CliRun& run) {
  INFO("stdout: " << run.out << "\nstderr: " << run.err);
  REQUIRE(run.status == 0);
  CHECK(run.err.empty());
  return run.out;
}

struct SerdeFixture {
  Emulator registry;
  std::string url = registry.base_url();
};

}  // namespace

TEST_CASE_METHOD(SerdeFixture, "serialize then deserialize: every framing and id kind") {
  VersionInfo v = registry.add_version("default", "people", kPerson);
  for (const char* framing : {"confluent4", "legacy8", "headers"}) {
    for (const char* id : {"content", "global"}) {
      INFO(framing << ' ' << id);
      std::string hex = ok_output(run_cli(
          {"--url", url, "serialize", "people", "--framing", framing, "--id", id}, lines(kPeople)));
      std::vector<std::string> framed = split_lines(hex);
      REQUIRE(framed.size() == kPeople.size());
      const std::int64_t want = std::string(id) == "content" ? v.content_id : v.global_id;
      const std::string kind = std::string(id) == "content" ? "contentId" : "globalId";
      for (const std::string& line : framed) {
        if (std::string(framing) == "confluent4") {
          CHECK(line.substr(0, 10) == "00" + hex8(want).substr(8));
        } else if (std::string(framing) == "legacy8") {
          CHECK(line.substr(0, 18) == "00" + hex8(want));
        } else {
          CHECK(line.rfind("apicurio.value." + kind + "=" + hex8(want) + "\t", 0) == 0);
        }
      }
      std::string json =
          ok_output(run_cli({"--url", url, "deserialize", "--framing", framing, "--id", id}, hex));
      CHECK(json == lines(kPeople));
    }
  }
}

TEST_CASE_METHOD(SerdeFixture, "serialize without --schema writes with the latest version") {
  registry.add_version("default", "people", kSmall);
  VersionInfo latest = registry.add_version("default", "people", kPerson);
  std::string hex = ok_output(run_cli({"--url", url, "serialize", "people"}, kPeople[0] + "\n"));
  CHECK(hex.rfind("00" + hex8(latest.content_id).substr(8), 0) == 0);
}

TEST_CASE_METHOD(SerdeFixture, "serialize --version writes with that version") {
  VersionInfo first = registry.add_version("default", "smalls", kSmall);
  registry.add_version("default", "smalls", kPerson);
  std::string hex = ok_output(run_cli({"--url", url, "serialize", "smalls", "--version", "1"},
                                      "{\"id\":1,\"name\":\"a\"}\n"));
  CHECK(hex.rfind("00" + hex8(first.content_id).substr(8), 0) == 0);
  check_failure(run_cli({"--url", url, "serialize", "smalls", "--version", "9"}, "{\"id\":1}\n"), 3,
                "line 1: ");
}

TEST_CASE_METHOD(SerdeFixture, "serialize --schema finds the version by content") {
  VersionInfo small = registry.add_version("default", "people", kSmall);
  registry.add_version("default", "people", kPerson);
  TempFile schema(kSmall);
  std::string hex = ok_output(run_cli(
      {"--url", url, "serialize", "people", "--schema", schema.path()}, R"({"id":1,"name":"a"})"
                                                                        "\n"));
  CHECK(hex.rfind("00" + hex8(small.content_id).substr(8), 0) == 0);
}

TEST_CASE_METHOD(SerdeFixture, "serialize --schema: not registered exits 3, --auto-register") {
  TempFile schema(kSmall);
  const std::string record = "{\"id\":1,\"name\":\"a\"}\n";
  check_failure(run_cli({"--url", url, "serialize", "smalls", "--schema", schema.path()}, record),
                3, "line 1: ");

  std::string hex = ok_output(run_cli(
      {"--url", url, "serialize", "smalls", "--schema", schema.path(), "--auto-register"}, record));
  CHECK(ok_output(run_cli({"--url", url, "deserialize"}, hex)) == record);
  // Registered now: found by content without --auto-register.
  CHECK(ok_output(run_cli({"--url", url, "serialize", "smalls", "--schema", schema.path()},
                          record)) == hex);
}

TEST_CASE_METHOD(SerdeFixture, "--group, --strategy and --key choose the artifact") {
  registry.add_version("g", "art", kSmall);
  registry.add_version("default", "orders-value", kSmall);
  registry.add_version("default", "orders-key", kSmall);
  registry.add_version("default", "orders", kSmall);
  const std::string record = "{\"id\":1,\"name\":\"a\"}\n";
  for (auto args : {std::vector<std::string>{"--group", "g", "serialize", "art"},
                    {"serialize", "orders", "--strategy", "topic"},
                    {"serialize", "orders", "--strategy", "simple-topic"},
                    {"serialize", "orders", "--strategy", "topic", "--key"}}) {
    args.insert(args.begin(), {"--url", url});
    CHECK(ok_output(run_cli(args, record)).size() > 10);
  }
  std::string hex = ok_output(run_cli(
      {"--url", url, "serialize", "orders", "--strategy", "topic", "--key", "--framing", "headers"},
      record));
  CHECK(hex.rfind("apicurio.key.contentId=", 0) == 0);
  CHECK(ok_output(run_cli({"--url", url, "deserialize", "--key", "--framing", "headers"}, hex)) ==
        record);
  // record strategies need the schema's name: --schema.
  check_failure(run_cli({"--url", url, "serialize", "orders", "--strategy", "record"}, record), 2,
                "--schema");
  TempFile schema(kSmall);
  check_failure(run_cli({"--url", url, "serialize", "orders", "--strategy", "record", "--schema",
                         schema.path()},
                        record),
                3, "Small");  // artifact "Small" in the default group: none
}

TEST_CASE_METHOD(SerdeFixture, "a record that does not match stops serialize at its line") {
  registry.add_version("default", "people", kPerson);
  std::string bad = kPeople[1];
  bad.replace(bad.find("\"zip\":1"), 7, "\"zip\":\"1\"");
  CliRun run = run_cli({"--url", url, "serialize", "people"},
                       lines({kPeople[0], kPeople[1], bad, kPeople[2]}));
  check_failure(run, kBadRecord, "line 3: $.address.zip: expected int, got string");
  CHECK(split_lines(run.out).size() == 2);

  check_failure(run_cli({"--url", url, "serialize", "people"}, "{\"id\":\n"), kBadRecord,
                "line 1: $: not JSON");
}

TEST_CASE_METHOD(SerdeFixture, "deserialize: malformed lines name their line") {
  VersionInfo v = registry.add_version("default", "smalls", kSmall);
  std::string good =
      ok_output(run_cli({"--url", url, "serialize", "smalls"}, "{\"id\":1,\"name\":\"a\"}\n"));
  good.pop_back();
  const std::string frame = "00" + hex8(v.content_id).substr(8);
  struct Case {
    std::string line;
    int status;
    std::string message;
  };
  for (const Case& c : std::vector<Case>{
           {good + "0", kBadRecord, "line 2: odd number of hex digits"},
           {good.substr(0, 4) + "zz", kBadRecord, "line 2: not a hex digit: 'z' at column 5"},
           {good.substr(0, good.size() - 2), kBadRecord, "line 2: "},  // truncated payload
           {"01" + good.substr(2), kBadRecord, "line 2: "},            // bad magic byte
           {"0000", kBadRecord, "line 2: "},                           // shorter than a frame
           {frame + "02", kBadRecord, "line 2: "},                     // id, string missing
           {"00000003e7" + good.substr(10), 3, "line 2: "},            // unknown id
       }) {
    INFO(c.line);
    CliRun run = run_cli({"--url", url, "deserialize"}, good + "\n" + c.line + "\n" + good + "\n");
    check_failure(run, c.status, c.message);
    CHECK(run.out == "{\"id\":1,\"name\":\"a\"}\n");
  }
  // headers framing without the header
  check_failure(run_cli({"--url", url, "deserialize", "--framing", "headers"}, good.substr(10)),
                kBadRecord, "line 1: ");
  check_failure(run_cli({"--url", url, "deserialize", "--framing", "headers"},
                        "apicurio.value.contentId\t00"),
                kBadRecord, "line 1: ");
}

TEST_CASE_METHOD(SerdeFixture, "deserialize --reader-schema drops fields and promotes") {
  registry.add_version("default", "smalls", kSmall);
  std::string hex = ok_output(run_cli({"--url", url, "serialize", "smalls"},
                                      "{\"id\":7,\"name\":\"a\"}\n{\"id\":-1,\"name\":\"\"}\n"));
  TempFile reader(R"({"type":"record","name":"Small","fields":[{"name":"id","type":"long"}]})");
  CHECK(ok_output(run_cli({"--url", url, "deserialize", "--reader-schema", reader.path()}, hex)) ==
        "{\"id\":7}\n{\"id\":-1}\n");
  TempFile garbage("{not a schema");
  check_failure(run_cli({"--url", url, "deserialize", "--reader-schema", garbage.path()}, hex), 2,
                "reader schema");
  // A reader the writer cannot resolve to: the record's fault, at its line.
  TempFile other(R"({"type":"record","name":"Small","fields":[{"name":"id","type":"string"}]})");
  check_failure(run_cli({"--url", url, "deserialize", "--reader-schema", other.path()}, hex),
                kBadRecord, "line 1: ");
}

TEST_CASE_METHOD(SerdeFixture, "deserialize: other headers, and the framing it is told") {
  registry.add_version("default", "smalls", kSmall);
  const std::string record = "{\"id\":1,\"name\":\"a\"}\n";
  std::string hex =
      ok_output(run_cli({"--url", url, "serialize", "smalls", "--framing", "headers"}, record));
  // Headers that are not the id's are skipped, and without --framing the header is found.
  CHECK(ok_output(run_cli({"--url", url, "deserialize"}, "trace=0A0b,empty=," + hex)) == record);
  // --framing confluent4 reads only the frame: the bare payload is not one.
  check_failure(run_cli({"--url", url, "deserialize", "--framing", "confluent4"}, hex), kBadRecord,
                "line 1: ");
  // legacy8 reads a confluent4 frame's id and payload start as an 8-byte id.
  std::string framed = ok_output(run_cli({"--url", url, "serialize", "smalls"}, record));
  CliRun legacy = run_cli({"--url", url, "deserialize", "--framing", "legacy8"}, framed);
  CHECK(legacy.status != 0);
  CHECK(legacy.err.find("line 1: ") != std::string::npos);
  CHECK(ok_output(run_cli({"--url", url, "deserialize", "--framing", "optimistic"}, framed)) ==
        record);
}

TEST_CASE_METHOD(SerdeFixture, "empty input, blank lines, CRLF and upper-case hex") {
  registry.add_version("default", "smalls", kSmall);
  CliRun empty = run_cli({"--url", url, "serialize", "smalls"}, "");
  CHECK(ok_output(empty).empty());
  CHECK(registry.requests().empty());  // nothing to write: the registry is not asked
  CHECK(ok_output(run_cli({"--url", url, "deserialize"}, "")).empty());

  const std::vector<std::string> records = {"{\"id\":1,\"name\":\"a\"}",
                                            "{\"id\":2,\"name\":\"b\"}"};
  std::string hex = ok_output(
      run_cli({"--url", url, "serialize", "smalls"}, "\r\n" + lines(records, "\r\n") + "  \n"));
  CHECK(split_lines(hex).size() == 2);
  std::string upper;
  for (char c : hex)
    upper += c == '\n' ? std::string("\r\n\r\n") : std::string(1, std::toupper(c));
  CHECK(ok_output(run_cli({"--url", url, "deserialize"}, upper)) == lines(records));
  // No '\n' after the last line.
  hex.pop_back();
  CHECK(ok_output(run_cli({"--url", url, "deserialize"}, hex)) == lines(records));
}

TEST_CASE_METHOD(SerdeFixture, "serialize and deserialize usage errors exit 2") {
  TempFile schema(kSmall);
  TempFile garbage("{not a schema");
  for (auto args : {std::vector<std::string>{"serialize"},
                    {"serialize", "a", "--auto-register"},
                    {"serialize", "a", "--framing", "optimistic"},
                    {"serialize", "a", "--framing", "bogus"},
                    {"serialize", "a", "--id", "bogus"},
                    {"serialize", "a", "--strategy", "bogus"},
                    {"serialize", "a", "--schema", "/nonexistent/schema.avsc"},
                    {"serialize", "a", "--schema", garbage.path()},
                    {"serialize", "a", "--schema", "-"},
                    {"serialize", "a", "--schema", schema.path(), "--version", "1"},
                    {"deserialize", "--reader-schema", "-"},
                    {"deserialize", "extra"},
                    {"deserialize", "--reader-schema", "/nonexistent/schema.avsc"}}) {
    INFO(args.back());
    args.insert(args.begin(), {"--url", url});
    CliRun run = run_cli(args, "{\"id\":1,\"name\":\"a\"}\n");
    check_failure(run, 2, "");
    CHECK(run.out.empty());
  }
  CHECK(registry.requests().empty());
}

TEST_CASE("--help lists serialize and deserialize") {
  CliRun run = run_cli({"--help"});
  CHECK(run.status == 0);
  CHECK(run.out.find("serialize ARTIFACT") != std::string::npos);
  CHECK(run.out.find("deserialize") != std::string::npos);
  CHECK(run.out.find("7 record") != std::string::npos);
}
