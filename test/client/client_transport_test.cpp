// Transport settings: proxies, extra headers, the User-Agent, connection limits and the
// per-request hook.
#include "client_fixture.hpp"

#include <apicurio/version.hpp>

#include <catch2/catch.hpp>

#include <curl/curl.h>

#include <cstdlib>
#include <memory>
#include <optional>
#include <string>
#include <thread>
#include <vector>

using namespace apicurio;
using apicurio::emulator::Fault;
using apicurio::testing::avro_named;
using apicurio::testing::ClientFixture;
using apicurio::testing::kAvro;

namespace {

std::size_t count_headers(const emulator::LoggedRequest& request, const std::string& name) {
  std::size_t count = 0;
  for (const auto& [header, value] : request.headers) {
    if (curl_strequal(header.c_str(), name.c_str())) ++count;
  }
  return count;
}

std::size_t keep_header(char* line, std::size_t size, std::size_t count, void* out) {
  static_cast<std::string*>(out)->append(line, size * count);
  return size * count;
}

std::size_t discard(char*, std::size_t size, std::size_t count, void*) {
  return size * count;
}

}  // namespace

TEST_CASE_METHOD(ClientFixture, "requests go through the proxy") {
  registry.add_version("default", "A", kAvro);
  // The registry's name does not resolve: only the proxy (the emulator) can reach it.
  auto o = options();
  o.url = "http://registry.invalid:8080/apis/registry/v3";
  o.transport.proxy = "http://127.0.0.1:" + std::to_string(registry.port());
  RegistryClient client(o);
  CHECK(client.get_schema("A").get().artifact_id == "A");
  auto log = registry.requests();
  REQUIRE(log.size() == 2);
  CHECK(log[0].proxy_target.rfind("http://registry.invalid:8080/apis/registry/v3/", 0) == 0);
}

// Sets (or, with no value, unsets) an environment variable for the scope of a test,
// restoring what was there.
class ScopedEnvironment {
 public:
  ScopedEnvironment(const char* name, std::optional<std::string> value) : name_(name) {
    if (const char* old = std::getenv(name)) old_ = old;
    if (value) {
      setenv(name, value->c_str(), 1);
    } else {
      unsetenv(name);
    }
  }
  ~ScopedEnvironment() {
    if (old_) {
      setenv(name_, old_->c_str(), 1);
    } else {
      unsetenv(name_);
    }
  }
  ScopedEnvironment(const ScopedEnvironment&) = delete;
  ScopedEnvironment& operator=(const ScopedEnvironment&) = delete;

 private:
  const char* name_;
  std::optional<std::string> old_;
};

TEST_CASE_METHOD(ClientFixture, "the proxy environment is read when the client is built") {
  registry.add_version("default", "A", kAvro);
  auto o = options();
  o.url = "http://registry.invalid:8080/apis/registry/v3";  // only the proxy can reach it
  o.max_retries = 0;
  const std::string proxy = "http://127.0.0.1:" + std::to_string(registry.port());
  std::vector<std::unique_ptr<ScopedEnvironment>> unset;
  for (const char* name : {"http_proxy", "HTTP_PROXY", "https_proxy", "HTTPS_PROXY", "all_proxy",
                           "ALL_PROXY", "no_proxy", "NO_PROXY"}) {
    unset.push_back(std::make_unique<ScopedEnvironment>(name, std::nullopt));
  }
  {
    ScopedEnvironment http_proxy("http_proxy", proxy);
    RegistryClient through_environment(o);
    CHECK(through_environment.get_schema("A").get().artifact_id == "A");
    REQUIRE(!registry.requests().empty());
    CHECK(registry.requests().front().proxy_target.rfind("http://registry.invalid:8080/", 0) == 0);

    auto ignoring = o;
    ignoring.transport.use_environment_proxy = false;
    CHECK_THROWS_AS(RegistryClient(ignoring).get_schema("A").get(), RegistryConnectionError);
  }
  // Built without a proxy variable: setting one afterwards changes nothing.
  RegistryClient built_without(o);
  ScopedEnvironment http_proxy("http_proxy", proxy);
  CHECK_THROWS_AS(built_without.get_schema("A").get(), RegistryConnectionError);
}

TEST_CASE_METHOD(ClientFixture, "a proxy that is down fails clearly") {
  std::string dead;
  { dead = "http://127.0.0.1:" + std::to_string(emulator::Emulator().port()); }
  auto o = options();
  o.transport.proxy = dead;
  o.max_retries = 0;
  RegistryClient client(o);
  try {
    client.get_schema("A").get();
    FAIL("expected RegistryConnectionError");
  } catch (const RegistryConnectionError& e) {
    CHECK(e.failure() == ConnectionFailure::refused);
  }
  CHECK(registry.requests().empty());
}

TEST_CASE_METHOD(ClientFixture, "no_proxy and a disabled environment bypass the proxy") {
  registry.add_version("default", "A", kAvro);
  auto o = options();
  o.transport.proxy = "http://127.0.0.1:1";  // nothing listens there
  o.transport.no_proxy = "127.0.0.1";
  CHECK(RegistryClient(o).get_schema("A").get().artifact_id == "A");
  CHECK(registry.requests().front().proxy_target.empty());
}

TEST_CASE_METHOD(ClientFixture, "extra headers and the User-Agent reach the registry") {
  registry.add_version("default", "A", kAvro);
  auto o = options();
  o.transport.headers = {{"X-Tenant", "blue"}, {"X-Trace", "abc 123"}};
  RegistryClient client(o);
  client.get_schema("A").get();
  for (const auto& r : registry.requests()) {
    CHECK(r.header("X-Tenant") == "blue");
    CHECK(r.header("X-Trace") == "abc 123");
    CHECK(r.header("User-Agent") == std::string("apicurio-cpp/") + APICURIO_VERSION_STRING);
  }
  o.transport.user_agent = "billing-service/2.1";
  RegistryClient named(o);
  named.get_schema("A", "1").get();
  CHECK(registry.requests().back().header("User-Agent") == "billing-service/2.1");
}

TEST_CASE_METHOD(ClientFixture,
                 "requests offer encodings only when compressed replies are asked for") {
  registry.add_version("default", "A", kAvro);
  RegistryClient plain(options());
  plain.get_schema("A").get();
  for (const auto& r : registry.requests()) {
    CHECK(count_headers(r, "Accept-Encoding") == 0);
    CHECK(count_headers(r, "User-Agent") == 1);
  }
  registry.clear_requests();
  auto o = options();
  o.transport.compressed_replies = true;
  RegistryClient compressed(o);
  compressed.get_schema("A").get();
  REQUIRE(!registry.requests().empty());
  const curl_version_info_data* curl = curl_version_info(CURLVERSION_NOW);
  for (const auto& r : registry.requests()) {
    if (curl->features & CURL_VERSION_LIBZ) {
      CHECK(r.header("Accept-Encoding").find("gzip") != std::string::npos);
    } else {
      CHECK(r.header("Accept-Encoding").empty());
    }
    CHECK(count_headers(r, "User-Agent") == 1);
    CHECK(count_headers(r, "Accept-Encoding") <= 1);
  }
}

// A client whose requests offer gzip, either way the options allow.
std::vector<ClientOptions> clients_offering_gzip(const std::string& url) {
  ClientOptions asked;
  asked.url = url;
  asked.transport.compressed_replies = true;
  ClientOptions own_header;
  own_header.url = url;
  own_header.transport.headers = {{"Accept-Encoding", "gzip"}};
  return {asked, own_header};
}

TEST_CASE("a compressed reply is decoded") {
  if (!(curl_version_info(CURLVERSION_NOW)->features & CURL_VERSION_LIBZ)) return;
  emulator::EmulatorOptions compressing;
  compressing.compress_replies = true;
  emulator::Emulator registry(compressing);
  const std::string schema = avro_named("Compressed");
  registry.add_version("default", "A", schema);
  std::int64_t content_id = -1;
  for (const ClientOptions& o : clients_offering_gzip(registry.base_url())) {
    RegistryClient client(o);
    CachedSchema fetched = client.get_schema("A").get();
    CHECK(*fetched.content == schema);
    CHECK(client.get_schema_by_content_id(fetched.content_id).get().content == fetched.content);
    CHECK(registry.requests().back().header("Accept-Encoding").find("gzip") != std::string::npos);
    content_id = fetched.content_id;
  }

  // The registry did compress: the same request, undecoded, says so.
  CURL* easy = curl_easy_init();
  REQUIRE(easy);
  std::string headers;
  const std::string url = registry.base_url() + "/ids/contentIds/" + std::to_string(content_id);
  curl_slist accept{const_cast<char*>("Accept-Encoding: gzip"), nullptr};
  curl_easy_setopt(easy, CURLOPT_URL, url.c_str());
  curl_easy_setopt(easy, CURLOPT_HTTPHEADER, &accept);
  curl_easy_setopt(easy, CURLOPT_HEADERFUNCTION, &keep_header);
  curl_easy_setopt(easy, CURLOPT_HEADERDATA, &headers);
  curl_easy_setopt(easy, CURLOPT_WRITEFUNCTION, &discard);
  CHECK(curl_easy_perform(easy) == CURLE_OK);
  curl_easy_cleanup(easy);
  CHECK(headers.find("Content-Encoding: gzip") != std::string::npos);
}

TEST_CASE_METHOD(ClientFixture, "an extra header replaces the library's header of that name") {
  registry.add_version("default", "A", kAvro);
  auto o = options();
  o.transport.headers = {{"user-agent", "gateway/7"}, {"Accept-Encoding", "identity"}};
  RegistryClient client(o);
  client.get_schema("A").get();
  // Registrations send a body and an Expect header of their own: they keep the extra ones.
  client.register_schema("B", kAvro).get();
  for (const auto& r : registry.requests()) {
    CHECK(r.header("User-Agent") == "gateway/7");
    CHECK(count_headers(r, "User-Agent") == 1);
    CHECK(r.header("Accept-Encoding") == "identity");
    CHECK(count_headers(r, "Accept-Encoding") == 1);
  }
}

TEST_CASE_METHOD(ClientFixture, "the connection limit caps concurrent requests") {
  for (int i = 0; i < 40; ++i)
    registry.add_version("default", "a-" + std::to_string(i), kAvro);
  registry.add_fault(
      Fault::delay_reply("version-metadata", std::chrono::milliseconds(20), Fault::kForever));
  registry.clear_requests();
  auto o = options();
  o.transport.max_connections_per_host = 2;
  RegistryClient client(o);
  std::vector<std::string> ids;
  for (int i = 0; i < 40; ++i)
    ids.push_back("a-" + std::to_string(i));
  CHECK(when_all(client.get_schemas(ids)).get().size() == 40);
  CHECK(registry.max_concurrent_requests() <= 2);
  CHECK(registry.max_concurrent_requests() >= 1);
}

TEST_CASE_METHOD(ClientFixture,
                 "on http:// a delayed reply holds back no other request (no wait to multiplex)") {
  for (const char* id : {"slow", "b", "c", "d", "e", "f"})
    registry.add_version("default", id, kAvro);
  // The first request is held until the client hangs up (or 60 s pass). A fresh client knows
  // no connection's protocol yet: waiting to learn whether it multiplexes would hold every
  // other request behind this reply.
  registry.add_fault(Fault::delay_reply("*", std::chrono::seconds(60)));
  registry.clear_requests();
  RegistryClient client(options());
  auto slow = client.get_schema("slow");
  const auto give_up = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (registry.requests().empty() && std::chrono::steady_clock::now() < give_up)
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  REQUIRE(registry.requests().size() == 1);
  std::vector<Future<CachedSchema>> others;
  for (const char* id : {"b", "c", "d", "e", "f"})
    others.push_back(client.get_schema(id));
  for (auto& other : others) {
    // A hang detector: before the slow reply, which comes only after 60 s.
    REQUIRE(other.wait_for(std::chrono::seconds(20)) == std::future_status::ready);
    CHECK_NOTHROW(other.get());
  }
  CHECK_FALSE(slow.is_ready());
  client.close();
  CHECK_THROWS_AS(slow.get(), ClientClosedError);
}

TEST_CASE_METHOD(ClientFixture, "the per-request hook runs for every request") {
  registry.add_version("default", "A", kAvro);
  auto o = options();
  int calls = 0;  // the hook runs on the transfer thread only, one call at a time
  o.transport.configure_handle = [&calls](CURL* easy) {
    ++calls;
    curl_easy_setopt(easy, CURLOPT_REFERER, "https://hook.example/");
  };
  RegistryClient client(o);
  client.get_schema("A").get();
  CHECK(calls == 2);
  for (const auto& r : registry.requests())
    CHECK(r.header("Referer") == "https://hook.example/");

  o.transport.configure_handle = [](CURL*) { throw std::runtime_error("hook refused"); };
  RegistryClient refusing(o);
  CHECK_THROWS_WITH(refusing.get_schema("A").get(), "hook refused");
}

TEST_CASE("transport options are checked") {
  ClientOptions o;
  o.url = "http://127.0.0.1:1/apis/registry/v3";
  o.transport.proxy = "proxy:3128";
  CHECK_THROWS_WITH(RegistryClient(o), Catch::Contains("transport.proxy"));
  o.transport.proxy.clear();
  o.transport.max_connections_per_host = -1;
  CHECK_THROWS_WITH(RegistryClient(o), Catch::Contains("max_connections_per_host"));
  o.transport.max_connections_per_host = 4;
  o.transport.headers = {{"Bad Name", "x"}};
  CHECK_THROWS_WITH(RegistryClient(o), Catch::Contains("not a valid header name"));
  o.transport.headers = {{"X-Ok", "line\r\nInjected: yes"}};
  CHECK_THROWS_WITH(RegistryClient(o), Catch::Contains("line break"));
}
