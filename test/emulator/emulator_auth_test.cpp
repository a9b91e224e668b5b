// Tests of the emulator's authentication (token endpoint, Basic, bearer, roles) and HTTPS.
#include <curl/curl.h>
#include <simdjson.h>
#include <strings.h>

#include <catch2/catch.hpp>
#include <chrono>
#include <string>
#include <thread>
#include <vector>

#include <apicurio/testing/emulator.hpp>
#include "test_certs.hpp"

using apicurio::emulator::AuthMode;
using apicurio::emulator::Emulator;
using apicurio::emulator::EmulatorOptions;
using apicurio::emulator::Fault;
using apicurio::emulator::Role;
using apicurio::emulator::TestCerts;
using apicurio::emulator::TlsOptions;
using namespace std::chrono_literals;

namespace {

const std::string kSchema = R"({"type":"record","name":"User","fields":[]})";
const std::string kForm = "application/x-www-form-urlencoded";
const std::string kCreate =
    R"({"artifactId":"made","artifactType":"AVRO","firstVersion":{"content":{"content":"{}","contentType":"application/json"}}})";

struct Request {
  std::string method = "GET";
  std::string url;
  std::string body;
  std::vector<std::string> headers;
  std::string user_password;  // HTTP Basic when not empty
  std::string ca_file, client_cert, client_key;
  long timeout_ms = 10000;
};

struct Reply {
  CURLcode code = CURLE_OK;
  long status = 0;
  std::string body;
  std::vector<std::string> headers;

  std::vector<std::string> header_values(const std::string& name) const {
    std::vector<std::string> values;
    for (const auto& line : headers) {
      if (line.size() > name.size() && strncasecmp(line.c_str(), name.c_str(), name.size()) == 0 &&
          line[name.size()] == ':') {
        std::string value = line.substr(name.size() + 1);
        value.erase(0, value.find_first_not_of(' '));
        value.erase(value.find_last_not_of("\r\n ") + 1);
        values.push_back(value);
      }
    }
    return values;
  }
};

size_t collect(char* data, size_t size, size_t count, void* out) {
  static_cast<std::string*>(out)->append(data, size * count);
  return size * count;
}

size_t collect_header(char* data, size_t size, size_t count, void* out) {
  static_cast<std::vector<std::string>*>(out)->emplace_back(data, size * count);
  return size * count;
}

Reply perform(const Request& request) {
  Reply reply;
  CURL* easy = curl_easy_init();
  REQUIRE(easy != nullptr);
  curl_slist* headers = nullptr;
  for (const auto& header : request.headers)
    headers = curl_slist_append(headers, header.c_str());
  curl_easy_setopt(easy, CURLOPT_URL, request.url.c_str());
  curl_easy_setopt(easy, CURLOPT_CUSTOMREQUEST, request.method.c_str());
  if (request.method != "GET" && request.method != "DELETE") {
    curl_easy_setopt(easy, CURLOPT_POSTFIELDS, request.body.c_str());
  }
  curl_easy_setopt(easy, CURLOPT_HTTPHEADER, headers);
  if (!request.user_password.empty()) {
    curl_easy_setopt(easy, CURLOPT_HTTPAUTH, CURLAUTH_BASIC);
    curl_easy_setopt(easy, CURLOPT_USERPWD, request.user_password.c_str());
  }
  if (!request.ca_file.empty()) curl_easy_setopt(easy, CURLOPT_CAINFO, request.ca_file.c_str());
  if (!request.client_cert.empty()) {
    curl_easy_setopt(easy, CURLOPT_SSLCERT, request.client_cert.c_str());
    curl_easy_setopt(easy, CURLOPT_SSLKEY, request.client_key.c_str());
  }
  curl_easy_setopt(easy, CURLOPT_WRITEFUNCTION, collect);
  curl_easy_setopt(easy, CURLOPT_WRITEDATA, &reply.body);
  curl_easy_setopt(easy, CURLOPT_HEADERFUNCTION, collect_header);
  curl_easy_setopt(easy, CURLOPT_HEADERDATA, &reply.headers);
  curl_easy_setopt(easy, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(easy, CURLOPT_TIMEOUT_MS, request.timeout_ms);
  reply.code = curl_easy_perform(easy);
  curl_easy_getinfo(easy, CURLINFO_RESPONSE_CODE, &reply.status);
  curl_slist_free_all(headers);
  curl_easy_cleanup(easy);
  return reply;
}

Reply get(const std::string& url, std::vector<std::string> headers = {}) {
  Request request;
  request.url = url;
  request.headers = std::move(headers);
  return perform(request);
}

Reply ask_token(const Emulator& emulator, const std::string& form,
                std::vector<std::string> headers = {"Content-Type: " + kForm}) {
  Request request;
  request.method = "POST";
  request.url = emulator.token_url();
  request.body = form;
  request.headers = std::move(headers);
  return perform(request);
}

std::string field(const std::string& json, const char* name) {
  simdjson::dom::parser parser;
  simdjson::dom::element root = parser.parse(json).value();
  auto value = root[name];
  if (value.is_string()) return std::string(std::string_view(value.value()));
  if (value.is_int64()) return std::to_string(int64_t(value.value()));
  return "<absent>";
}

std::string token_for(const Emulator& emulator, const std::string& id, const std::string& secret) {
  Reply reply = ask_token(
      emulator, "grant_type=client_credentials&client_id=" + id + "&client_secret=" + secret);
  REQUIRE(reply.status == 200);
  return field(reply.body, "access_token");
}

EmulatorOptions with_auth(AuthMode mode) {
  EmulatorOptions options;
  options.auth = mode;
  return options;
}

}  // namespace

TEST_CASE("the token endpoint issues tokens for the client credentials grant") {
  EmulatorOptions options;
  options.token_lifetime = 120s;
  Emulator emulator(options);
  emulator.add_client("app", "s3cret", Role::developer);
  CHECK(emulator.token_url() == "http://127.0.0.1:" + std::to_string(emulator.port()) +
                                    "/realms/registry/protocol/openid-connect/token");

  Reply ok = ask_token(emulator,
                       "grant_type=client_credentials&client_id=app&client_secret=s3cret"
                       "&scope=registry%20extra");
  CHECK(ok.status == 200);
  CHECK(ok.header_values("Content-Type") == std::vector<std::string>{"application/json"});
  CHECK(field(ok.body, "token_type") == "Bearer");
  CHECK(field(ok.body, "expires_in") == "120");
  CHECK(field(ok.body, "scope") == "registry extra");
  CHECK(field(ok.body, "access_token").size() > 20);
  CHECK(
      field(ask_token(emulator, "grant_type=client_credentials&client_id=app&client_secret=s3cret")
                .body,
            "scope") == "<absent>");

  SECTION("client credentials may come as HTTP Basic") {
    Request request;
    request.method = "POST";
    request.url = emulator.token_url();
    request.body = "grant_type=client_credentials";
    request.headers = {"Content-Type: " + kForm};
    request.user_password = "app:s3cret";
    CHECK(perform(request).status == 200);
    request.user_password = "app:wrong";
    CHECK(perform(request).status == 401);
  }
  SECTION("failures") {
    Reply wrong =
        ask_token(emulator, "grant_type=client_credentials&client_id=app&client_secret=no");
    CHECK(wrong.status == 401);
    CHECK(field(wrong.body, "error") == "invalid_client");
    CHECK(field(wrong.body, "error_description") == "Invalid client or Invalid client credentials");
    CHECK(ask_token(emulator, "grant_type=client_credentials&client_id=nobody&client_secret=x")
              .status == 401);
    Reply grant = ask_token(emulator, "grant_type=password&client_id=app&client_secret=s3cret");
    CHECK(grant.status == 400);
    CHECK(field(grant.body, "error") == "unsupported_grant_type");
    Reply no_grant = ask_token(emulator, "client_id=app&client_secret=s3cret");
    CHECK(no_grant.status == 400);
    CHECK(field(no_grant.body, "error") == "invalid_request");
    CHECK(field(ask_token(emulator, "grant_type=client_credentials&client_id=app").body, "error") ==
          "invalid_request");
  }
  SECTION("requests are logged and counted, and faults apply") {
    const std::size_t before = emulator.token_requests();
    emulator.add_fault(Fault::reply_status("token", 503, 1, "1"));
    Reply faulted =
        ask_token(emulator, "grant_type=client_credentials&client_id=app&client_secret=s3cret");
    CHECK(faulted.status == 503);
    CHECK(faulted.header_values("Retry-After") == std::vector<std::string>{"1"});
    CHECK(emulator.token_requests() == before + 1);
    auto log = emulator.requests();
    REQUIRE_FALSE(log.empty());
    CHECK(log.back().route == "token");
    CHECK(log.back().fault == "status");
    CHECK(log.back().query.empty());  // the form is the body, not the query
    CHECK(log.back().body.find("client_secret=s3cret") != std::string::npos);
    CHECK(emulator.count("token") == emulator.token_requests());
  }
}

TEST_CASE("basic auth guards the registry API except /system/info") {
  Emulator emulator(with_auth(AuthMode::basic));
  emulator.add_user("alice", "pw:with:colons", Role::developer);
  emulator.add_client("app", "s3cret", Role::readonly);
  emulator.add_version("default", "User", kSchema);
  const std::string url = emulator.base_url() + "/groups/default/artifacts/User/versions/1";

  CHECK(get(emulator.base_url() + "/system/info").status == 200);
  Reply none = get(url);
  CHECK(none.status == 401);
  CHECK(field(none.body, "name") == "UnauthorizedException");
  CHECK(field(none.body, "title") == "User is not authenticated.");
  CHECK(none.header_values("WWW-Authenticate") ==
        std::vector<std::string>{R"(Basic realm="apicurio")"});

  Request request;
  request.url = url;
  request.user_password = "alice:wrong";
  Reply wrong = perform(request);
  CHECK(wrong.status == 401);
  CHECK(wrong.body.empty());
  CHECK(wrong.header_values("WWW-Authenticate").size() == 1);

  request.user_password = "alice:pw:with:colons";
  CHECK(perform(request).status == 200);
  CHECK(emulator.requests().back().header("Authorization") == "Basic YWxpY2U6cHc6d2l0aDpjb2xvbnM=");
  request.user_password = "app:s3cret";  // a client's id and secret work as Basic too
  CHECK(perform(request).status == 200);
  // A token is not a credential in basic mode: the caller is anonymous.
  CHECK(field(get(url, {"Authorization: Bearer abc"}).body, "name") == "UnauthorizedException");
}

TEST_CASE("bearer tokens: valid, revoked, expired") {
  Emulator emulator(with_auth(AuthMode::bearer));
  emulator.add_client("app", "s3cret", Role::developer);
  emulator.add_version("default", "User", kSchema);
  const std::string url = emulator.base_url() + "/groups/default/artifacts/User/versions/1";

  const std::string token = token_for(emulator, "app", "s3cret");
  CHECK(get(url, {"Authorization: Bearer " + token}).status == 200);
  CHECK(emulator.requests().back().header("Authorization") == "Bearer " + token);

  Reply garbage = get(url, {"Authorization: Bearer not-a-token"});
  CHECK(garbage.status == 401);
  CHECK(garbage.header_values("WWW-Authenticate") == std::vector<std::string>{"Bearer"});
  Request basic;
  basic.url = url;
  basic.user_password = "app:s3cret";
  CHECK(perform(basic).status == 401);

  emulator.revoke_tokens();
  CHECK(get(url, {"Authorization: Bearer " + token}).status == 401);
  const std::string fresh = token_for(emulator, "app", "s3cret");
  CHECK(get(url, {"Authorization: Bearer " + fresh}).status == 200);

  emulator.set_token_lifetime(0s);
  Reply zero =
      ask_token(emulator, "grant_type=client_credentials&client_id=app&client_secret=s3cret");
  CHECK(field(zero.body, "expires_in") == "0");
  CHECK(get(url, {"Authorization: Bearer " + field(zero.body, "access_token")}).status == 401);
  CHECK(get(url, {"Authorization: Bearer " + fresh}).status == 200);
}

TEST_CASE("a readonly role may read but not write") {
  EmulatorOptions options = with_auth(AuthMode::basic_or_bearer);
  options.artifact_deletion_enabled = true;  // the server's default refuses every DELETE
  Emulator emulator(options);
  emulator.add_user("reader", "pw", Role::readonly);
  emulator.add_user("dev", "pw", Role::developer);
  emulator.add_user("root", "pw", Role::admin);
  emulator.add_client("viewer", "s3cret", Role::readonly);
  emulator.add_version("g", "User", kSchema);
  const std::string artifacts = emulator.base_url() + "/groups/g/artifacts";

  Request request;
  request.user_password = "reader:pw";
  request.url = artifacts + "/User";
  CHECK(perform(request).status == 200);
  request.method = "POST";
  request.url = artifacts;
  request.body = kCreate;
  request.headers = {"Content-Type: application/json"};
  Reply refused = perform(request);
  CHECK(refused.status == 403);
  CHECK(field(refused.body, "name") == "ForbiddenException");
  CHECK(field(refused.body, "title") ==
        "User reader is not authorized to perform the requested operation.");
  CHECK(emulator.count("create-artifact") == 1);

  request.user_password.clear();
  request.headers.push_back("Authorization: Bearer " + token_for(emulator, "viewer", "s3cret"));
  CHECK(field(perform(request).body, "title") ==
        "User service-account-viewer is not authorized to perform the requested operation.");

  request.headers = {"Content-Type: application/json"};
  request.user_password = "dev:pw";
  CHECK(perform(request).status == 200);
  request.method = "DELETE";
  request.url = artifacts + "/made";
  request.user_password = "reader:pw";
  CHECK(perform(request).status == 403);
  request.user_password = "root:pw";
  CHECK(perform(request).status == 204);
  Reply none = get(artifacts + "/User");
  CHECK(none.header_values("WWW-Authenticate").size() == 2);
}

TEST_CASE("HTTPS with a server certificate, and mutual TLS") {
  const TestCerts certs = apicurio::emulator::make_test_certs();
  struct Cleanup {
    const TestCerts& certs;
    ~Cleanup() { apicurio::emulator::remove_test_certs(certs); }
  } cleanup{certs};

  EmulatorOptions options;
  options.tls = TlsOptions{certs.server_cert, certs.server_key, ""};
  SECTION("server certificate only") {
    Emulator emulator(options);
    const std::string port = std::to_string(emulator.port());
    CHECK(emulator.base_url() == "https://127.0.0.1:" + port + "/apis/registry/v3");
    CHECK(emulator.token_url().rfind("https://127.0.0.1:" + port + "/realms/", 0) == 0);
    Request request;
    request.url = emulator.base_url() + "/system/info";
    request.ca_file = certs.ca_file;
    CHECK(perform(request).status == 200);
    request.url = "https://localhost:" + port + "/apis/registry/v3/system/info";
    CHECK(perform(request).status == 200);
    request.ca_file = certs.other_ca_file;
    CHECK(perform(request).code == CURLE_PEER_FAILED_VERIFICATION);

    // Faults work over TLS too.
    request.ca_file = certs.ca_file;
    emulator.add_version("default", "User", kSchema);
    request.url = emulator.base_url() + "/groups/default/artifacts/User/versions/1/content";
    emulator.add_fault(Fault::reply_status("version-content", 503));
    CHECK(perform(request).status == 503);
    emulator.add_fault(Fault::close_mid_body("version-content"));
    Reply cut = perform(request);
    CHECK(cut.code != CURLE_OK);
    CHECK(cut.body.size() < kSchema.size());
    emulator.add_fault(Fault::stall("version-content", 1, 200ms));
    CHECK(perform(request).code != CURLE_OK);
    // A stall without a limit ends when the client hangs up.
    emulator.add_fault(Fault::stall("version-content"));
    request.timeout_ms = 300;
    CHECK(perform(request).code == CURLE_OPERATION_TIMEDOUT);
    const auto deadline = std::chrono::steady_clock::now() + 10s;
    while (emulator.requests().back().fault != "stall" &&
           std::chrono::steady_clock::now() < deadline)
      std::this_thread::sleep_for(10ms);
    CHECK(emulator.requests().back().fault == "stall");
    request.timeout_ms = 10000;
    CHECK(perform(request).status == 200);
  }
  SECTION("mutual TLS requires a client certificate from the CA") {
    options.tls->client_ca_file = certs.ca_file;
    Emulator emulator(options);
    Request request;
    request.url = emulator.base_url() + "/system/info";
    request.ca_file = certs.ca_file;
    CHECK(perform(request).code != CURLE_OK);
    request.client_cert = certs.other_client_cert;
    request.client_key = certs.other_client_key;
    CHECK(perform(request).code != CURLE_OK);
    request.client_cert = certs.client_cert;
    request.client_key = certs.client_key;
    Reply ok = perform(request);
    CHECK(ok.code == CURLE_OK);
    CHECK(ok.status == 200);
  }
  SECTION("unreadable TLS files are reported") {
    options.tls->key_file = certs.dir + "/missing.key";
    CHECK_THROWS_AS(Emulator(options), std::runtime_error);
  }
}
