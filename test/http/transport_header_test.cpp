// <apicurio/transport.hpp> next to curl's own header in its strictest form: CURL_NO_OLDIES
// makes CURL a distinct struct type, which the hook must accept as it is.
#define CURL_NO_OLDIES
#include <curl/curl.h>

#include <apicurio/transport.hpp>

#include <catch2/catch.hpp>

#include <type_traits>

static_assert(!std::is_same_v<CURL, void>, "this test needs curl's strict CURL type");

TEST_CASE("the per-request hook takes curl's strict CURL* as it is") {
  apicurio::TransportOptions options;
  long seen = 0;
  options.configure_handle = [&seen](CURL* easy) {
    seen = curl_easy_setopt(easy, CURLOPT_REFERER, "https://hook.example/") == CURLE_OK;
  };
  CURL* easy = curl_easy_init();
  REQUIRE(easy);
  options.configure_handle(easy);
  curl_easy_cleanup(easy);
  CHECK(seen == 1);
}
