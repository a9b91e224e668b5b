// apicurio-cli end to end: the binary (path in $APICURIO_CLI) run against an in-process
// emulator, its stdout parsed as JSON and its exit status checked.
#include <apicurio/testing/emulator.hpp>
#include "cli_runner.hpp"
#include "test_certs.hpp"

#include <netinet/in.h>
#include <simdjson.h>
#include <sys/socket.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

using apicurio::emulator::AuthMode;
using apicurio::emulator::Emulator;
using apicurio::emulator::EmulatorOptions;
using apicurio::emulator::Fault;
using apicurio::emulator::Role;
using apicurio::emulator::VersionSpec;
using cli_test::CliRun;
using cli_test::run_cli;
using cli_test::TempFile;
using namespace std::chrono_literals;

namespace {

const std::string kUser =
    R"({"type":"record","name":"User","fields":[{"name":"id","type":"long"}]})";
const std::string kOrder =
    R"({"type":"record","name":"Order","fields":[{"name":"id","type":"long"}]})";

// What the CLI printed, parsed.
struct Printed {
  std::string group_id, artifact_id, version, artifact_type, schema;
  std::optional<std::int64_t> global_id, content_id;  // nullopt for JSON null
};

std::optional<std::int64_t> optional_id(simdjson::dom::element value) {
  if (value.is_null()) return std::nullopt;
  return value.get_int64().value();
}

Printed parse_output(const CliRun& run) {
  INFO("stdout: " << run.out << "\nstderr: " << run.err);
  REQUIRE(run.status == 0);
  CHECK(run.err.empty());
  // One JSON object on one line.
  REQUIRE(!run.out.empty());
  CHECK(run.out.find('\n') == run.out.size() - 1);
  simdjson::dom::parser parser;
  simdjson::dom::object object;
  REQUIRE(parser.parse(run.out).get(object) == simdjson::SUCCESS);
  CHECK(object.size() == 7);
  Printed p;
  p.group_id = std::string(object["group_id"].get_string().value());
  p.artifact_id = std::string(object["artifact_id"].get_string().value());
  p.version = std::string(object["version"].get_string().value());
  p.artifact_type = std::string(object["artifact_type"].get_string().value());
  p.schema = std::string(object["schema"].get_string().value());
  p.global_id = optional_id(object["global_id"].value());
  p.content_id = optional_id(object["content_id"].value());
  return p;
}

// A failure: the status, nothing on stdout, one "apicurio-cli: " line on stderr.
void check_failure(const CliRun& run, int status) {
  INFO("stdout: " << run.out << "\nstderr: " << run.err);
  CHECK(run.status == status);
  CHECK(run.out.empty());
  CHECK(run.err.rfind("apicurio-cli: ", 0) == 0);
  CHECK(run.err.find('\n') == run.err.size() - 1);
}

struct CliFixture {
  Emulator registry;
  std::string url = registry.base_url();
};

// A bound socket that never listens: connecting to it is refused at once.
class DeadPort {
 public:
  DeadPort() : fd_(::socket(AF_INET, SOCK_STREAM, 0)) {
    REQUIRE(fd_ >= 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    REQUIRE(::bind(fd_, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0);
    socklen_t length = sizeof address;
    REQUIRE(::getsockname(fd_, reinterpret_cast<sockaddr*>(&address), &length) == 0);
    port_ = ntohs(address.sin_port);
  }
  ~DeadPort() { ::close(fd_); }
  DeadPort(const DeadPort&) = delete;
  DeadPort& operator=(const DeadPort&) = delete;

  // "http://127.0.0.1:PORT"
  std::string url() const { return "http://127.0.0.1:" + std::to_string(port_); }

 private:
  int fd_;
  int port_ = 0;
};

}  // namespace

TEST_CASE_METHOD(CliFixture, "get prints the latest version") {
  registry.add_version("default", "User", kOrder);
  auto v2 = registry.add_version("default", "User", kUser);
  Printed p = parse_output(run_cli({"--url", url, "get", "User"}));
  CHECK(p.group_id == "default");
  CHECK(p.artifact_id == "User");
  CHECK(p.version == "2");
  CHECK(p.global_id == v2.global_id);
  CHECK(p.content_id == v2.content_id);
  CHECK(p.artifact_type == "AVRO");
  CHECK(p.schema == kUser);
}

TEST_CASE_METHOD(CliFixture, "get --version, with options after the command word") {
  VersionSpec pinned;
  pinned.version = "1.0.0";
  auto v1 = registry.add_version("g1", "Order", kOrder, pinned);
  registry.add_version("g1", "Order", kUser);
  Printed p = parse_output(
      run_cli({"get", "Order", "--version", "1.0.0", "--group", "g1", "--url=" + url}));
  CHECK(p.group_id == "g1");
  CHECK(p.version == "1.0.0");
  CHECK(p.global_id == v1.global_id);
  CHECK(p.schema == kOrder);
}

TEST_CASE_METHOD(CliFixture, "by-global-id and by-content-id") {
  VersionSpec json;
  json.artifact_type = "JSON";
  auto v = registry.add_version("default", "User", kUser, json);
  registry.add_version("default", "Other", kOrder);

  Printed by_global =
      parse_output(run_cli({"--url", url, "by-global-id", std::to_string(v.global_id)}));
  CHECK(by_global.global_id == v.global_id);
  CHECK(by_global.schema == kUser);
  CHECK(by_global.artifact_type == "JSON");
  // A content id the lookup does not report prints as null, never as -1.
  CHECK((!by_global.content_id || by_global.content_id == v.content_id));

  Printed by_content =
      parse_output(run_cli({"by-content-id", std::to_string(v.content_id), "--url", url}));
  CHECK(by_content.content_id == v.content_id);
  CHECK(by_content.schema == kUser);
  CHECK((!by_content.global_id || by_content.global_id == v.global_id));
}

TEST_CASE_METHOD(CliFixture, "register from a file in each if-exists mode") {
  TempFile user(kUser), order(kOrder);
  auto reg = [&](const std::string& artifact, const TempFile& file,
                 std::vector<std::string> extra = {}) {
    std::vector<std::string> args{"--url", url, "register", artifact, file.path()};
    args.insert(args.end(), extra.begin(), extra.end());
    return run_cli(args);
  };

  Printed first = parse_output(reg("User", user));
  CHECK(first.artifact_id == "User");
  CHECK(first.version == "1");
  CHECK(first.artifact_type == "AVRO");
  CHECK(first.schema == kUser);
  REQUIRE(first.global_id);

  SECTION("FIND_OR_CREATE_VERSION finds the same content") {
    Printed again = parse_output(reg("User", user, {"--if-exists", "FIND_OR_CREATE_VERSION"}));
    CHECK(again.global_id == first.global_id);
    CHECK(again.version == "1");
    Printed changed = parse_output(reg("User", order, {"--if-exists=find_or_create_version"}));
    CHECK(changed.version == "2");
  }
  SECTION("CREATE_VERSION always adds one") {
    Printed again = parse_output(reg("User", user, {"--if-exists", "create_version"}));
    CHECK(again.version == "2");
    CHECK(again.global_id != first.global_id);
    CHECK(again.content_id == first.content_id);
  }
  SECTION("FAIL on an existing artifact is a rejection") {
    check_failure(reg("User", user, {"--if-exists", "Fail"}), 4);
    CHECK(registry.count("create-artifact") == 2);
    Printed fresh = parse_output(reg("Order", order, {"--if-exists", "FAIL"}));
    CHECK(fresh.artifact_id == "Order");
  }
  SECTION("--type, --content-type and --version") {
    Printed p = parse_output(
        reg("Typed", user,
            {"--type", "JSON", "--content-type", "application/json", "--version", "7.1"}));
    CHECK(p.artifact_type == "JSON");
    CHECK(p.version == "7.1");
  }
}

TEST_CASE_METHOD(CliFixture, "register from stdin") {
  Printed p = parse_output(run_cli({"--url", url, "register", "FromStdin", "-"}, kUser));
  CHECK(p.artifact_id == "FromStdin");
  CHECK(p.schema == kUser);
  Printed again = parse_output(run_cli(
      {"--url", url, "register", "FromStdin", "-", "--if-exists", "CREATE_VERSION"}, kUser));
  CHECK(again.version == "2");
  check_failure(run_cli({"--url", url, "register", "FromStdin", "-", "--if-exists", "FAIL"}, kUser),
                4);
  // An empty schema is a bad argument, caught before any request.
  check_failure(run_cli({"--url", url, "register", "Empty", "-"}, ""), 2);
}

TEST_CASE_METHOD(CliFixture, "find prints the version with this content, without registering") {
  auto v1 = registry.add_version("default", "User", kUser);
  registry.add_version("default", "User", kOrder);
  Printed p = parse_output(run_cli({"--url", url, "find", "User", "-"}, kUser));
  CHECK(p.global_id == v1.global_id);
  CHECK(p.version == "1");
  CHECK(p.schema == kUser);
  CHECK(registry.count("search-versions-by-content") == 1);
  CHECK(registry.count("create-artifact") == 0);
  // No match exits 3, as any schema not found.
  check_failure(run_cli({"--url", url, "find", "User", "-"}, kUser + " "), 3);
  // --canonical compares the registry's canonical form and prints the stored text.
  const std::string spaced = std::string(kUser).insert(1, " ");
  Printed canonical =
      parse_output(run_cli({"--url", url, "find", "User", "-", "--canonical"}, spaced));
  CHECK(canonical.global_id == v1.global_id);
  CHECK(canonical.schema == kUser);
  CHECK(registry.requests().front().query_param("canonical") == "false");
  check_failure(run_cli({"--url", url, "get", "User", "--canonical"}), 2);
  check_failure(run_cli({"--url", url, "find", "User"}), 2);
}

TEST_CASE_METHOD(CliFixture, "not found exits 3") {
  registry.add_version("default", "User", kUser);
  check_failure(run_cli({"--url", url, "get", "Nobody"}), 3);
  check_failure(run_cli({"--url", url, "get", "User", "--version", "9"}), 3);
  check_failure(run_cli({"--url", url, "by-global-id", "999"}), 3);
  check_failure(run_cli({"--url", url, "by-content-id", "999"}), 3);
}

TEST_CASE("an unreachable registry exits 5") {
  DeadPort dead;
  std::string url = dead.url() + "/apis/registry/v3";
  CliRun run = run_cli({"--url", url, "--max-retries", "0", "get", "User"});
  check_failure(run, 5);
  CHECK(run.err.find(url) != std::string::npos);
}

TEST_CASE_METHOD(CliFixture, "a request past --timeout-ms exits 5") {
  registry.add_version("default", "User", kUser);
  registry.add_fault(Fault::delay_reply("*", 5s, Fault::kForever));
  check_failure(run_cli({"--url", url, "--max-retries", "0", "--timeout-ms", "200", "get", "User"}),
                5);
}

TEST_CASE_METHOD(CliFixture, "registry refusals: 401 exits 6, 500 exits 4") {
  registry.add_version("default", "User", kUser);
  SECTION("401") {
    registry.add_fault(Fault::reply_status("*", 401, Fault::kForever));
    check_failure(run_cli({"--url", url, "get", "User"}), 6);
  }
  SECTION("403 on register") {
    registry.add_fault(Fault::reply_status("*", 403, Fault::kForever));
    check_failure(run_cli({"--url", url, "register", "User", "-"}, kUser), 6);
  }
  SECTION("500") {
    registry.add_fault(Fault::reply_status("*", 500, Fault::kForever));
    check_failure(run_cli({"--url", url, "--max-retries", "0", "get", "User"}), 4);
  }
}

TEST_CASE_METHOD(CliFixture, "usage errors exit 2 without contacting the registry") {
  const std::vector<std::vector<std::string>> cases = {
      {},
      {"--url", url},
      {"--url", url, "fetch", "User"},
      {"--url", url, "get"},
      {"--url", url, "get", "A", "B"},
      {"--url", url, "--colour", "get", "User"},
      {"--url", url, "get", "User", "--version"},
      {"--url", url, "by-global-id", "12abc"},
      {"--url", url, "by-content-id", "abc"},
      {"--url", url, "by-global-id", ""},
      {"--url", url, "by-global-id", "99999999999999999999999"},
      {"--url", url, "by-global-id", "1", "--version", "2"},
      {"--url", url, "get", "User", "--if-exists", "FAIL"},
      {"--url", url, "register", "User"},
      {"--url", url, "register", "User", "-", "--if-exists", "SOMETIMES"},
      {"--url", url, "register", "User", "/nonexistent/schema.avsc"},
      {"--url", url, "--max-retries", "many", "get", "User"},
      {"--url", url, "--max-retries", "-1", "get", "User"},
      {"--url", url, "--timeout-ms", "0", "get", "User"},
      {"--url", url, "--timeout-ms", "99999999999999999999", "get", "User"},
      {"--url", url, "--max-retries", "99999999999999999999", "get", "User"},
      {"--url", url, "--version", "1", "get", "User"},  // a command's option before it
      {"--url", "ftp://example.com/registry", "get", "User"},
      {"get", "User"},  // no --url and no $APICURIO_REGISTRY_URL
      {"--url", url, "preload"},
      {"--url", url, "--header", "X-No-Colon", "get", "User"},
      {"--url", url, "--header", ": no name", "get", "User"},
      {"--url", url, "--header", "Bad Name: x", "get", "User"},
      {"--url", url, "--insecure=yes", "get", "User"},
      {"--url", url, "--proxy", "no-scheme:3128", "get", "User"},
  };
  for (const auto& args : cases) {
    std::string joined;
    for (const auto& a : args)
      joined += " [" + a + "]";
    INFO("args:" << joined);
    check_failure(run_cli(args, kUser), 2);
  }
  CHECK(registry.requests().empty());
}

TEST_CASE("--help prints usage and exits 0") {
  for (auto args : {std::vector<std::string>{"--help"}, {"get", "--help"}, {"-h"}}) {
    CliRun run = run_cli(args);
    CHECK(run.status == 0);
    CHECK(run.out.rfind("usage:", 0) == 0);
    CHECK(run.out.find("register ARTIFACT FILE") != std::string::npos);
    CHECK(run.out.find("preload ARTIFACT...") != std::string::npos);
    CHECK(run.err.empty());
  }
}

TEST_CASE_METHOD(CliFixture, "$APICURIO_REGISTRY_URL stands in for --url") {
  auto v = registry.add_version("default", "User", kUser);
  Printed p = parse_output(run_cli({"get", "User"}, "", url));
  CHECK(p.global_id == v.global_id);
  // --url wins over the environment (which points nowhere here).
  Printed flag = parse_output(run_cli({"get", "User", "--url", url}, "", "http://127.0.0.1:1/x"));
  CHECK(flag.global_id == v.global_id);
}

TEST_CASE_METHOD(CliFixture, "ids with '/' and spaces") {
  const std::string group = "team a/b";
  const std::string artifact = "orders/v2 draft";
  auto v = registry.add_version(group, artifact, kOrder);
  Printed got = parse_output(run_cli({"--url", url, "--group", group, "get", artifact}));
  CHECK(got.group_id == group);
  CHECK(got.artifact_id == artifact);
  CHECK(got.global_id == v.global_id);
  auto log = registry.requests();
  REQUIRE(!log.empty());
  CHECK(log.front().target.find("/groups/team%20a%2Fb/artifacts/orders%2Fv2%20draft/") !=
        std::string::npos);

  Printed registered = parse_output(
      run_cli({"--url", url, "--group", group, "register", "new/one two", "-"}, kUser));
  CHECK(registered.group_id == group);
  CHECK(registered.artifact_id == "new/one two");
}

TEST_CASE_METHOD(CliFixture, "the schema and ids are JSON-escaped") {
  const std::string text =
      "{\"doc\": \"a \\\"quoted\\\" \\\\ word\",\n\t\"x\": \"\x01\x1f\r\b\f\",\n \"y\": "
      "\"caf\xc3\xa9\"}";
  const std::string artifact = "quote\"back\\slash\ttab";
  registry.add_version("default", artifact, text);
  CliRun run = run_cli({"--url", url, "get", artifact});
  Printed p = parse_output(run);
  CHECK(p.schema == text);
  CHECK(p.artifact_id == artifact);
  // Control characters never reach stdout raw.
  for (char c : run.out.substr(0, run.out.size() - 1)) {
    CHECK(static_cast<unsigned char>(c) >= 0x20);
  }
}

namespace {

const std::string kSecret = "s3cr3t-Pa55";

// An emulator requiring `mode`, with user "alice" and OAuth client "svc" (both kSecret) and
// artifact User.
std::unique_ptr<Emulator> secured_registry(AuthMode mode) {
  EmulatorOptions options;
  options.auth = mode;
  auto registry = std::make_unique<Emulator>(options);
  registry->add_user("alice", kSecret, Role::developer);
  registry->add_client("svc", kSecret, Role::developer);
  registry->add_version("default", "User", kUser);
  return registry;
}

// A failure with `status` whose output nowhere holds `secret`.
void check_failure_hides(const CliRun& run, int status, const std::string& secret) {
  check_failure(run, status);
  CHECK(run.err.find(secret) == std::string::npos);
  CHECK(run.out.find(secret) == std::string::npos);
}

}  // namespace

TEST_CASE("--user and --password authenticate with HTTP Basic") {
  auto registry = secured_registry(AuthMode::basic);
  std::string url = registry->base_url();
  Printed p = parse_output(
      run_cli({"--url", url, "--user", "alice", "--password", kSecret, "get", "User"}));
  CHECK(p.schema == kUser);
  check_failure_hides(run_cli({"--url", url, "--user", "alice", "--password", "wrong-" + kSecret,
                               "--max-retries", "0", "get", "User"}),
                      6, "wrong-" + kSecret);
  check_failure(run_cli({"--url", url, "--max-retries", "0", "get", "User"}), 6);
}

TEST_CASE("OAuth2 client credentials fetch a token from --oauth-token-url") {
  auto registry = secured_registry(AuthMode::bearer);
  std::string url = registry->base_url();
  std::vector<std::string> oauth = {
      "--url",       url,   "--oauth-token-url", registry->token_url(),
      "--client-id", "svc", "--max-retries",     "0"};
  auto with = [&](std::vector<std::string> extra) {
    std::vector<std::string> args = oauth;
    args.insert(args.end(), extra.begin(), extra.end());
    return run_cli(args);
  };
  CHECK(parse_output(with({"--client-secret", kSecret, "get", "User"})).schema == kUser);
  CHECK(registry->token_requests() == 1);
  CHECK(parse_output(with({"--client-secret", kSecret, "--scope", "registry", "get", "User"}))
            .schema == kUser);
  check_failure_hides(with({"--client-secret", "wrong-" + kSecret, "get", "User"}), 6,
                      "wrong-" + kSecret);
  check_failure_hides(run_cli({"--url", url, "--token", "not-a-" + kSecret, "get", "User"}), 6,
                      "not-a-" + kSecret);
}

TEST_CASE("credentials from the environment; the command line wins") {
  auto registry = secured_registry(AuthMode::basic_or_bearer);
  std::string url = registry->base_url();
  const std::vector<std::string> basic = {"APICURIO_USER=alice", "APICURIO_PASSWORD=" + kSecret};
  CHECK(parse_output(run_cli({"get", "User"}, "", url, basic)).schema == kUser);

  const std::vector<std::string> oauth = {"APICURIO_OAUTH_TOKEN_URL=" + registry->token_url(),
                                          "APICURIO_CLIENT_ID=svc",
                                          "APICURIO_CLIENT_SECRET=" + kSecret};
  CHECK(parse_output(run_cli({"get", "User"}, "", url, oauth)).schema == kUser);
  CHECK(registry->token_requests() == 1);

  const std::string bad = "APICURIO_PASSWORD=env-" + kSecret;
  check_failure_hides(
      run_cli({"--max-retries", "0", "get", "User"}, "", url, {"APICURIO_USER=alice", bad}), 6,
      "env-" + kSecret);
  // --password beats the environment's, and --user completes it.
  CHECK(parse_output(
            run_cli({"--password", kSecret, "get", "User"}, "", url, {"APICURIO_USER=alice", bad}))
            .schema == kUser);
  // A kind on the command line overrides another kind in the environment.
  CHECK(parse_output(run_cli({"--user", "alice", "--password", kSecret, "get", "User"}, "", url,
                             {"APICURIO_TOKEN=stale-" + kSecret}))
            .schema == kUser);
}

TEST_CASE_METHOD(CliFixture, "two kinds of credentials, or an incomplete kind, exit 2") {
  const std::vector<std::pair<std::vector<std::string>, std::vector<std::string>>> cases = {
      {{"--user", "u", "--password", kSecret, "--token", kSecret}, {}},
      {{"--token", kSecret, "--client-id", "svc"}, {}},
      {{"--user", "u", "--password", kSecret, "--scope", "s"}, {}},
      {{}, {"APICURIO_TOKEN=" + kSecret, "APICURIO_CLIENT_SECRET=" + kSecret}},
      {{"--user", "u"}, {}},
      {{"--password", kSecret}, {}},
      {{"--oauth-token-url", registry.token_url(), "--client-secret", kSecret}, {}},
      {{"--client-id", "svc"}, {"APICURIO_CLIENT_SECRET=" + kSecret}},
  };
  for (const auto& [options, env] : cases) {
    std::vector<std::string> args = {"--url", url, "get", "User"};
    args.insert(args.end(), options.begin(), options.end());
    INFO("options: " << options.size() << ", env: " << env.size());
    check_failure_hides(run_cli(args, "", std::nullopt, env), 2, kSecret);
  }
  CHECK(registry.requests().empty());
}

TEST_CASE("--cacert and --insecure for an HTTPS registry") {
  struct Certs {
    apicurio::emulator::TestCerts files = apicurio::emulator::make_test_certs();
    ~Certs() { apicurio::emulator::remove_test_certs(files); }
  } generated;
  const auto& certs = generated.files;
  EmulatorOptions options;
  options.tls = apicurio::emulator::TlsOptions{certs.server_cert, certs.server_key, ""};
  Emulator registry(options);
  registry.add_version("default", "User", kUser);
  std::string url = registry.base_url();
  REQUIRE(url.rfind("https://", 0) == 0);
  CHECK(parse_output(run_cli({"--url", url, "--cacert", certs.ca_file, "get", "User"})).schema ==
        kUser);
  check_failure(run_cli({"--url", url, "--max-retries", "0", "get", "User"}), 5);
  check_failure(
      run_cli({"--url", url, "--max-retries", "0", "--cacert", certs.other_ca_file, "get", "User"}),
      5);
  CHECK(parse_output(run_cli({"--url", url, "--insecure", "get", "User"})).schema == kUser);
}

TEST_CASE_METHOD(CliFixture, "--header adds headers to every request") {
  registry.add_version("default", "User", kUser);
  parse_output(run_cli({"--url", url, "--header", "X-Trace: abc", "--header=X-Colons:a: b",
                        "--header", "X-Empty:", "get", "User"}));
  auto log = registry.requests();
  REQUIRE(!log.empty());
  CHECK(log.front().header("X-Trace") == "abc");
  CHECK(log.front().header("X-Colons") == "a: b");
  CHECK(log.front().header("X-Empty") == "");
  CliRun no_colon = run_cli({"--url", url, "--header", "X-" + kSecret, "get", "User"});
  check_failure_hides(no_colon, 2, kSecret);
  CHECK(no_colon.err.find("--header") != std::string::npos);
}

TEST_CASE_METHOD(CliFixture, "--proxy that cannot be reached exits 5") {
  registry.add_version("default", "User", kUser);
  DeadPort proxy;
  check_failure(
      run_cli({"--url", url, "--proxy", proxy.url(), "--max-retries", "0", "get", "User"}), 5);
  CHECK(registry.requests().empty());
}

TEST_CASE_METHOD(CliFixture, "preload prints what it cached and what failed") {
  registry.add_version("default", "User", kUser);
  registry.add_version("default", "Order", kOrder);
  simdjson::dom::parser parser;
  simdjson::dom::object report;
  auto strings = [](simdjson::dom::array array) {
    std::vector<std::string> out;
    for (auto item : array)
      out.emplace_back(item.get_string().value());
    return out;
  };

  CliRun all = run_cli({"--url", url, "preload", "User", "Order"});
  INFO("stdout: " << all.out << "\nstderr: " << all.err);
  CHECK(all.status == 0);
  CHECK(all.err.empty());
  REQUIRE(parser.parse(all.out).get(report) == simdjson::SUCCESS);
  CHECK(strings(report["cached"].get_array()) == std::vector<std::string>{"User", "Order"});
  CHECK(report["failures"].get_array().size() == 0);

  CliRun partial = run_cli({"--url", url, "preload", "User", "Nobody", "Order"});
  INFO("stdout: " << partial.out << "\nstderr: " << partial.err);
  CHECK(partial.status == 3);
  CHECK(partial.err.rfind("apicurio-cli: ", 0) == 0);
  REQUIRE(parser.parse(partial.out).get(report) == simdjson::SUCCESS);
  CHECK(strings(report["cached"].get_array()) == std::vector<std::string>{"User", "Order"});
  simdjson::dom::array failures = report["failures"].get_array();
  REQUIRE(failures.size() == 1);
  simdjson::dom::object failure = failures.at(0).get_object();
  CHECK(failure["artifact_id"].get_string().value() == "Nobody");
  CHECK(!failure["error"].get_string().value().empty());
}

TEST_CASE_METHOD(CliFixture, "--stats prints the metrics as JSON on stderr") {
  registry.add_version("default", "User", kUser);
  CliRun run = run_cli({"--url", url, "--stats", "get", "User"});
  INFO("stdout: " << run.out << "\nstderr: " << run.err);
  REQUIRE(run.status == 0);
  REQUIRE(!run.err.empty());
  CHECK(run.err.find('\n') == run.err.size() - 1);
  simdjson::dom::parser parser;
  simdjson::dom::object stats;
  REQUIRE(parser.parse(run.err).get(stats) == simdjson::SUCCESS);
  simdjson::dom::object get_schema = stats["operations"]["get_schema"].get_object();
  CHECK(get_schema["calls"].get_uint64().value() == 1);
  CHECK(get_schema["misses"].get_uint64().value() == 1);

  simdjson::dom::parser schema_parser;
  CHECK(schema_parser.parse(run.out).error() == simdjson::SUCCESS);
}
