#include <apicurio/registry.hpp>

#include <catch2/catch.hpp>

using namespace apicurio;

namespace {
ClientOptions good() {
  ClientOptions o;
  o.url = "http://127.0.0.1:1/apis/registry/v3";
  return o;
}
}  // namespace

TEST_CASE("bad options throw invalid_argument naming the option") {
  auto o = good();
  o.url = "";
  CHECK_THROWS_WITH(RegistryClient(o), Catch::Contains("ClientOptions::url"));
  o = good();
  o.group_id = "";
  CHECK_THROWS_WITH(RegistryClient(o), Catch::Contains("group_id"));
  o = good();
  o.max_cache_entries = -1;
  CHECK_THROWS_WITH(RegistryClient(o), Catch::Contains("max_cache_entries"));
  o = good();
  o.max_retries = -2;
  CHECK_THROWS_WITH(RegistryClient(o), Catch::Contains("max_retries"));
  o = good();
  o.request_timeout = std::chrono::milliseconds(-1);
  CHECK_THROWS_WITH(RegistryClient(o), Catch::Contains("request_timeout"));
  o = good();
  o.latest_ttl = std::chrono::milliseconds(-5);
  CHECK_THROWS_WITH(RegistryClient(o), Catch::Contains("latest_ttl"));
  o = good();
  o.worker_threads = 0;
  CHECK_THROWS_WITH(RegistryClient(o), Catch::Contains("worker_threads"));
  o = good();
  o.url = "file:///etc/passwd";
  CHECK_THROWS_AS(RegistryClient(o), std::invalid_argument);
  CHECK_NOTHROW(RegistryClient(good()));
}

TEST_CASE("bad arguments throw at the call") {
  RegistryClient client(good());
  CHECK_THROWS_AS(client.get_schema(""), std::invalid_argument);
  CHECK_THROWS_AS(client.register_schema("A", ""), std::invalid_argument);
}

TEST_CASE("the version is reported") {
  CHECK(std::string(version()) == APICURIO_VERSION_STRING);
}
