#include "url.hpp"

#include <catch2/catch.hpp>

using apicurio::detail::encode_segment;
using apicurio::detail::parse_base_url;

TEST_CASE("segments are percent-encoded so that ids stay whole") {
  CHECK(encode_segment("plain-id_1.2~x") == "plain-id_1.2~x");
  CHECK(encode_segment("a/b") == "a%2Fb");
  CHECK(encode_segment("with space") == "with%20space");
  CHECK(encode_segment("ns:Type") == "ns%3AType");
  CHECK(encode_segment("branch=latest") == "branch%3Dlatest");
  CHECK(encode_segment("50%") == "50%25");
  CHECK(encode_segment("") == "");
}

TEST_CASE("base URLs are checked and credentials taken out") {
  auto plain = parse_base_url("http://localhost:8080/apis/registry/v3/", "url");
  CHECK(plain.base == "http://localhost:8080/apis/registry/v3");
  CHECK(plain.user.empty());

  auto secret = parse_base_url("https://me:s%40cret@registry.example/apis/registry/v3", "url");
  CHECK(secret.base == "https://registry.example/apis/registry/v3");
  CHECK(secret.user == "me");
  CHECK(secret.password == "s@cret");

  CHECK_THROWS_WITH(parse_base_url("", "url"), "url is empty");
  CHECK_THROWS_WITH(parse_base_url("ftp://host/x", "url"), Catch::Contains("only http and https"));
  CHECK_THROWS_WITH(parse_base_url("not a url", "url"), Catch::Contains("not an absolute URL"));
  CHECK_THROWS_WITH(parse_base_url("http://h/x?q=1", "url"), Catch::Contains("query"));
  try {
    parse_base_url("gopher://u:topsecret@h/", "url");
  } catch (const std::invalid_argument& e) {
    CHECK(std::string(e.what()).find("topsecret") == std::string::npos);
  }
}

TEST_CASE("a base parses to itself, even when its host was percent-encoded") {
  // curl decodes "%32" to "2" but normalizes a numeric host only when it parses one.
  for (const char* url : {"http://%321///", "http://21", "http://1.2/x/", "http://%41bc:8080/a"}) {
    INFO(url);
    const std::string base = parse_base_url(url, "url").base;
    CHECK(parse_base_url(base, "url").base == base);
  }
  CHECK(parse_base_url("http://%321/", "url").base == "http://0.0.0.21");
}
