// Authentication: basic, bearer, token providers and OAuth2 client credentials, with
// secrets kept out of every message.
#include <apicurio/testing/emulator.hpp>
#include "client_fixture.hpp"
#include "manual_time.hpp"

#include <apicurio/registry.hpp>

#include <catch2/catch.hpp>

#include <curl/curl.h>

#include <atomic>
#include <functional>
#include <future>
#include <mutex>
#include <thread>
#include <vector>

using namespace apicurio;
using apicurio::emulator::AuthMode;
using apicurio::emulator::Emulator;
using apicurio::emulator::EmulatorOptions;
using apicurio::emulator::Fault;
using apicurio::emulator::Role;
using apicurio::testing::ManualTime;
using std::chrono::milliseconds;

namespace {

const char* kSchema = R"({"type":"record","name":"A","fields":[]})";
const char* kSecret = "s3cr3t-never-shown";

Emulator make_registry(AuthMode mode) {
  EmulatorOptions o;
  o.auth = mode;
  return Emulator(o);
}

ClientOptions options_for(const Emulator& registry) {
  ClientOptions o;
  o.url = registry.base_url();
  o.retry_backoff = milliseconds(5);
  o.retry_max_backoff = milliseconds(20);
  return o;
}

std::string message_of(const Future<CachedSchema>& f) {
  try {
    f.get();
  } catch (const std::exception& e) {
    return e.what();
  }
  return "";
}

// A token from the emulator's token endpoint, as an application's own code would get it.
std::string fetch_token(const std::string& url, const std::string& id, const std::string& secret) {
  CURL* easy = curl_easy_init();
  std::string body = "grant_type=client_credentials&client_id=" + id + "&client_secret=" + secret;
  std::string reply;
  curl_easy_setopt(easy, CURLOPT_URL, url.c_str());
  curl_easy_setopt(easy, CURLOPT_POSTFIELDS, body.c_str());
  curl_easy_setopt(
      easy, CURLOPT_WRITEFUNCTION, +[](char* d, size_t s, size_t n, void* out) {
        static_cast<std::string*>(out)->append(d, s * n);
        return s * n;
      });
  curl_easy_setopt(easy, CURLOPT_WRITEDATA, &reply);
  curl_easy_perform(easy);
  curl_easy_cleanup(easy);
  auto start = reply.find("\"access_token\":\"") + 16;
  return reply.substr(start, reply.find('"', start) - start);
}

}  // namespace

TEST_CASE("basic auth, and wrong credentials give AuthenticationError without the secret") {
  Emulator registry = make_registry(AuthMode::basic);
  registry.add_user("alice", kSecret, Role::developer);
  registry.add_version("default", "A", kSchema);
  auto o = options_for(registry);
  o.auth = BasicAuth{"alice", kSecret};
  RegistryClient client(o);
  CHECK(client.get_schema("A").get().artifact_id == "A");
  CHECK(registry.requests().front().header("Authorization").rfind("Basic ", 0) == 0);

  o.auth = BasicAuth{"alice", std::string("wrong-") + kSecret};
  RegistryClient wrong(o);
  try {
    wrong.get_schema("A").get();
    FAIL("expected AuthenticationError");
  } catch (const AuthenticationError& e) {
    CHECK(e.status() == 401);
    CHECK(std::string(e.what()).find(kSecret) == std::string::npos);
  }
}

TEST_CASE("credentials in the URL count as basic and never appear in messages") {
  Emulator registry = make_registry(AuthMode::basic);
  registry.add_user("bob", kSecret, Role::developer);
  registry.add_version("default", "A", kSchema);
  std::string base = registry.base_url();
  auto o = options_for(registry);
  o.url = "http://bob:" + std::string(kSecret) + "@" + base.substr(7);
  RegistryClient client(o);
  CHECK(client.get_schema("A").get().artifact_id == "A");
  std::string missing = message_of(client.get_schema("Missing"));
  CHECK(missing.find(kSecret) == std::string::npos);
  CHECK_FALSE(missing.empty());

  std::string dead_url;
  { dead_url = Emulator().base_url(); }
  o.url = "http://bob:" + std::string(kSecret) + "@" + dead_url.substr(7);
  o.max_retries = 0;
  RegistryClient unreachable(o);
  try {
    unreachable.get_schema("A").get();
    FAIL("expected RegistryConnectionError");
  } catch (const RegistryConnectionError& e) {
    CHECK(std::string(e.what()).find(kSecret) == std::string::npos);
    CHECK(e.url().find(kSecret) == std::string::npos);
  }
  o.auth = BasicAuth{"bob", kSecret};
  CHECK_THROWS_AS(RegistryClient(o), std::invalid_argument);  // credentials given twice
}

TEST_CASE("a fixed bearer token is sent, and a 401 is final") {
  Emulator registry = make_registry(AuthMode::bearer);
  registry.add_client("svc", kSecret, Role::developer);
  registry.add_version("default", "A", kSchema);
  auto o = options_for(registry);
  o.auth = BearerAuth{fetch_token(registry.token_url(), "svc", kSecret)};
  RegistryClient client(o);
  CHECK(client.get_schema("A").get().artifact_id == "A");
  CHECK(registry.requests().back().header("Authorization").rfind("Bearer ", 0) == 0);
  registry.revoke_tokens();
  registry.clear_requests();
  CHECK_THROWS_AS(client.get_schema("B").get(), AuthenticationError);
  CHECK(registry.count("version-metadata") == 1);  // nothing can renew a fixed token
}

TEST_CASE("OAuth2: 100 requests cost one token request") {
  Emulator registry = make_registry(AuthMode::bearer);
  registry.add_client("svc", kSecret, Role::developer);
  for (int i = 0; i < 100; ++i)
    registry.add_version("default", "a-" + std::to_string(i), kSchema);
  auto o = options_for(registry);
  o.auth = OAuth2ClientCredentials{registry.token_url(), "svc", kSecret, "registry"};
  RegistryClient client(o);
  std::vector<std::string> ids;
  for (int i = 0; i < 100; ++i)
    ids.push_back("a-" + std::to_string(i));
  auto all = when_all(client.get_schemas(ids)).get();
  CHECK(all.size() == 100);
  CHECK(registry.token_requests() == 1);
  CHECK(client.metrics().token_requests == 1);
  auto token_request = registry.requests();
  bool saw_scope = false;
  for (const auto& r : token_request) {
    if (r.route == "token") saw_scope = r.body.find("scope=registry") != std::string::npos;
  }
  CHECK(saw_scope);
}

TEST_CASE("OAuth2: a token near its expiry is renewed in the background") {
  Emulator registry = make_registry(AuthMode::bearer);
  registry.add_client("svc", kSecret, Role::developer);
  registry.set_token_lifetime(std::chrono::seconds(1));
  registry.add_version("default", "A", kSchema);
  registry.add_version("default", "B", kSchema);
  registry.add_version("default", "C", kSchema);
  auto o = options_for(registry);
  o.auth = OAuth2ClientCredentials{registry.token_url(), "svc", kSecret, ""};
  ManualTime time;
  RegistryClient client(o);
  client.get_schema("A").get();
  CHECK(registry.token_requests() == 1);
  time.advance(milliseconds(750));  // before 80% of the lifetime: no renewal
  client.get_schema("C").get();
  CHECK(registry.token_requests() == 1);
  time.advance(milliseconds(100));  // past 80% of the lifetime
  client.get_schema("B").get();
  // The renewal runs in the background while the old token serves B.
  for (int i = 0; i < 1000 && registry.token_requests() < 2; ++i)
    std::this_thread::sleep_for(milliseconds(10));
  CHECK(registry.token_requests() == 2);
}

TEST_CASE("OAuth2: a 401 renews the token once; a second 401 fails") {
  Emulator registry = make_registry(AuthMode::bearer);
  registry.add_client("svc", kSecret, Role::developer);
  registry.add_version("default", "A", kSchema);
  registry.add_version("default", "B", kSchema);
  auto o = options_for(registry);
  o.auth = OAuth2ClientCredentials{registry.token_url(), "svc", kSecret, ""};
  RegistryClient client(o);
  client.get_schema("A").get();
  registry.revoke_tokens();
  registry.clear_requests();
  CHECK(client.get_schema("B").get().artifact_id == "B");
  CHECK(registry.token_requests() == 2);
  auto log = registry.requests();
  REQUIRE(log.size() >= 3);
  CHECK(log[0].status == 401);

  registry.add_fault(Fault::reply_status("version-metadata", 401, 2));
  try {
    client.get_schema("C").get();
    FAIL("expected AuthenticationError");
  } catch (const AuthenticationError& e) {
    CHECK(e.status() == 401);
    CHECK(std::string(e.what()).find(kSecret) == std::string::npos);
  }
  CHECK(registry.token_requests() == 3);
}

TEST_CASE("OAuth2: a failing token endpoint gives its status and error, never the secret") {
  Emulator registry = make_registry(AuthMode::bearer);
  registry.add_client("svc", kSecret, Role::developer);
  auto o = options_for(registry);
  o.auth = OAuth2ClientCredentials{registry.token_url(), "svc", std::string("bad-") + kSecret, ""};
  RegistryClient client(o);
  try {
    client.get_schema("A").get();
    FAIL("expected AuthenticationError");
  } catch (const AuthenticationError& e) {
    CHECK(e.status() == 401);
    CHECK(e.problem_name() == "invalid_client");
    CHECK(std::string(e.what()).find("invalid_client") != std::string::npos);
    CHECK(std::string(e.what()).find(kSecret) == std::string::npos);
  }
  // A token endpoint that is briefly unavailable is retried like the registry.
  registry.add_version("default", "A", kSchema);
  registry.add_fault(Fault::reply_status("token", 503, 1));
  o.auth = OAuth2ClientCredentials{registry.token_url(), "svc", kSecret, ""};
  RegistryClient retried(o);
  CHECK(retried.get_schema("A").get().artifact_id == "A");
}

TEST_CASE("a token provider runs on the executor and is asked again after a 401") {
  Emulator registry = make_registry(AuthMode::bearer);
  registry.add_client("svc", kSecret, Role::developer);
  registry.add_version("default", "A", kSchema);
  registry.add_version("default", "B", kSchema);
  std::atomic<int> calls{0};
  auto o = options_for(registry);
  std::string url = registry.token_url();
  o.auth = TokenProviderAuth{[&calls, url] {
    calls++;
    return AccessToken{fetch_token(url, "svc", kSecret), std::chrono::seconds(300)};
  }};
  RegistryClient client(o);
  std::vector<Future<CachedSchema>> both = {client.get_schema("A"), client.get_schema("B")};
  when_all(both).get();
  CHECK(calls == 1);
  registry.add_version("default", "C", kSchema);
  registry.revoke_tokens();
  client.get_schema("C").get();
  CHECK(calls == 2);

  o.auth = TokenProviderAuth{[]() -> AccessToken { throw std::runtime_error("vault is sealed"); }};
  RegistryClient failing(o);
  CHECK_THROWS_WITH(failing.get_schema("A").get(), "vault is sealed");
}

TEST_CASE("a token provider the executor refuses fails the request with the reason") {
  Emulator registry = make_registry(AuthMode::bearer);
  registry.add_version("default", "A", kSchema);
  std::atomic<int> calls{0};
  auto o = options_for(registry);
  o.executor = std::make_shared<testing::RefusingExecutor>("executor queue full");
  o.auth = TokenProviderAuth{[&calls]() -> AccessToken {
    calls++;
    return AccessToken{"never", std::chrono::seconds(300)};
  }};
  RegistryClient client(o);
  for (int attempt = 0; attempt < 2; ++attempt)  // the client survives, and asks again
    CHECK_THROWS_WITH(client.get_schema("A").get(), "executor queue full");
  CHECK(calls == 0);
}

TEST_CASE("a read-only role gets 403 on writes") {
  Emulator registry = make_registry(AuthMode::basic);
  registry.add_user("reader", kSecret, Role::readonly);
  registry.add_version("default", "A", kSchema);
  auto o = options_for(registry);
  o.auth = BasicAuth{"reader", kSecret};
  RegistryClient client(o);
  CHECK(client.get_schema("A").get().artifact_id == "A");
  try {
    client.register_schema("B", kSchema).get();
    FAIL("expected AuthenticationError");
  } catch (const AuthenticationError& e) {
    CHECK(e.status() == 403);
  }
}

TEST_CASE("auth options are checked") {
  ClientOptions o;
  o.url = "http://127.0.0.1:1/apis/registry/v3";
  o.auth = BasicAuth{"", "x"};
  CHECK_THROWS_WITH(RegistryClient(o), Catch::Contains("BasicAuth::user"));
  o.auth = OAuth2ClientCredentials{"ftp://x/token", "id", "secret", ""};
  CHECK_THROWS_WITH(RegistryClient(o), Catch::Contains("token_url"));
  o.auth = OAuth2ClientCredentials{"http://x/token", "id", "", ""};
  CHECK_THROWS_WITH(RegistryClient(o), Catch::Contains("client_secret"));
  o.auth = TokenProviderAuth{};
  CHECK_THROWS_WITH(RegistryClient(o), Catch::Contains("provide"));
}

TEST_CASE("a token whose expires_in does not fit in milliseconds is fetched once") {
  Emulator registry = make_registry(AuthMode::bearer);
  registry.add_client("svc", kSecret, Role::developer);
  for (const char* id : {"A", "B", "C"})
    registry.add_version("default", id, kSchema);
  std::atomic<int> calls{0};
  auto o = options_for(registry);
  std::string url = registry.token_url();
  o.auth = TokenProviderAuth{[&calls, url] {
    calls++;
    return AccessToken{fetch_token(url, "svc", kSecret), std::chrono::seconds::max()};
  }};
  RegistryClient client(o);
  for (const char* id : {"A", "B", "C"})
    CHECK(client.get_schema(id).get().artifact_id == id);
  CHECK(calls == 1);

  // The same from the token endpoint: expires_in = 4e15 s, past what milliseconds hold * 4.
  registry.set_token_lifetime(std::chrono::seconds(4'000'000'000'000'000));
  o.auth = OAuth2ClientCredentials{registry.token_url(), "svc", kSecret, ""};
  const std::size_t before = registry.token_requests();
  RegistryClient oauth(o);
  for (const char* id : {"A", "B", "C"})
    CHECK(oauth.get_schema(id).get().artifact_id == id);
  CHECK(registry.token_requests() == before + 1);
}

namespace {

// A token provider whose first call returns a token the emulator accepts, announced with a
// lifetime of `lifetime`; later calls do what `renew` does.
TokenProviderAuth first_then(const Emulator& registry, std::chrono::seconds lifetime,
                             std::function<AccessToken()> renew, std::atomic<int>& calls) {
  std::string url = registry.token_url();
  return TokenProviderAuth{[url, lifetime, renew, &calls]() -> AccessToken {
    if (calls++ == 0) return AccessToken{fetch_token(url, "svc", kSecret), lifetime};
    return renew();
  }};
}

// Whether `done` holds within 10 s: for what happens in the background.
template <class Done>
bool within_10s(Done done) {
  for (int i = 0; i < 1000 && !done(); ++i)
    std::this_thread::sleep_for(milliseconds(10));
  return done();
}

// Past the renewal point (80% of 4 s) but before the token expires.
void advance_into_renewal(ManualTime& time) {
  time.advance(milliseconds(3400));
}

}  // namespace

TEST_CASE("a failed token renewal does not fail requests while the old token is valid") {
  Emulator registry = make_registry(AuthMode::bearer);
  registry.add_client("svc", kSecret, Role::developer);
  for (const char* id : {"A", "B", "C"})
    registry.add_version("default", id, kSchema);
  std::atomic<int> calls{0};
  auto o = options_for(registry);
  o.auth = first_then(
      registry, std::chrono::seconds(4),
      []() -> AccessToken { throw std::runtime_error("vault is sealed"); }, calls);
  ManualTime time;
  RegistryClient client(o);
  CHECK(client.get_schema("A").get().artifact_id == "A");
  advance_into_renewal(time);
  CHECK(client.get_schema("B").get().artifact_id == "B");
  CHECK(client.get_schema("C").get().artifact_id == "C");
  CHECK(within_10s([&] { return calls >= 2; }));  // renewal was tried, in the background
}

TEST_CASE("OAuth2: a token endpoint down at renewal does not fail requests") {
  Emulator registry = make_registry(AuthMode::bearer);
  registry.add_client("svc", kSecret, Role::developer);
  registry.set_token_lifetime(std::chrono::seconds(4));
  for (const char* id : {"A", "B"})
    registry.add_version("default", id, kSchema);
  auto o = options_for(registry);
  o.auth = OAuth2ClientCredentials{registry.token_url(), "svc", kSecret, ""};
  ManualTime time;
  RegistryClient client(o);
  CHECK(client.get_schema("A").get().artifact_id == "A");
  registry.add_fault(Fault::reply_status("token", 503, Fault::kForever));
  advance_into_renewal(time);
  CHECK(client.get_schema("B").get().artifact_id == "B");
  CHECK(within_10s([&] { return registry.token_requests() >= 2; }));  // renewal was tried
}

TEST_CASE("a token renewal in flight does not hold requests while the old token is valid") {
  Emulator registry = make_registry(AuthMode::bearer);
  registry.add_client("svc", kSecret, Role::developer);
  registry.add_version("default", "A", kSchema);
  registry.add_version("default", "B", kSchema);
  std::promise<void> release;
  std::shared_future<void> released = release.get_future().share();
  std::atomic<int> calls{0};
  auto o = options_for(registry);
  o.auth = first_then(
      registry, std::chrono::seconds(4),
      [released]() -> AccessToken {
        released.wait();
        throw std::runtime_error("too late");
      },
      calls);
  ManualTime time;
  RegistryClient client(o);
  CHECK(client.get_schema("A").get().artifact_id == "A");
  advance_into_renewal(time);
  auto b = client.get_schema("B");
  bool ready = b.wait_for(std::chrono::seconds(10)) == std::future_status::ready;
  release.set_value();
  REQUIRE(ready);
  CHECK(b.get().artifact_id == "B");
}

TEST_CASE("call_deadline bounds the wait for a token provider that never returns") {
  Emulator registry = make_registry(AuthMode::bearer);
  registry.add_version("default", "A", kSchema);
  std::promise<void> release;
  std::shared_future<void> released = release.get_future().share();
  auto o = options_for(registry);
  o.call_deadline = milliseconds(200);
  o.auth = TokenProviderAuth{[released]() -> AccessToken {
    released.wait();
    throw std::runtime_error("too late");
  }};
  ManualTime time;
  RegistryClient client(o);
  auto a = client.get_schema("A");
  CHECK(time.advance_after_timers(1, milliseconds(199)));  // the call's deadline is set
  CHECK(a.wait_for(milliseconds(50)) == std::future_status::timeout);
  time.advance(milliseconds(1));
  bool ready = a.wait_for(std::chrono::seconds(10)) == std::future_status::ready;
  release.set_value();
  REQUIRE(ready);
  try {
    a.get();
    FAIL("expected RegistryConnectionError");
  } catch (const RegistryConnectionError& e) {
    CHECK(e.failure() == ConnectionFailure::timeout);
  }
}

TEST_CASE("close() fails a call waiting for a token provider that never returns") {
  Emulator registry = make_registry(AuthMode::bearer);
  registry.add_version("default", "A", kSchema);
  std::promise<void> release;
  std::shared_future<void> released = release.get_future().share();
  auto o = options_for(registry);
  std::promise<void> enter;
  std::future<void> entered = enter.get_future();
  o.auth = TokenProviderAuth{[released, &enter]() -> AccessToken {
    enter.set_value();
    released.wait();
    throw std::runtime_error("too late");
  }};
  RegistryClient client(o);
  auto a = client.get_schema("A");
  // close() must find the provider running, not merely about to be asked.
  REQUIRE(entered.wait_for(std::chrono::seconds(10)) == std::future_status::ready);
  auto closing = std::async(std::launch::async, [&client] { client.close(); });
  // The call fails at once, while close() waits for the provider, user code running on the
  // client's own pool, to return: a pool is joined only once its running tasks end.
  bool ready = a.wait_for(std::chrono::seconds(10)) == std::future_status::ready;
  bool closed_early = closing.wait_for(std::chrono::milliseconds(100)) == std::future_status::ready;
  release.set_value();
  bool closed = closing.wait_for(std::chrono::seconds(10)) == std::future_status::ready;
  REQUIRE(ready);
  CHECK_FALSE(closed_early);
  REQUIRE(closed);
  CHECK_THROWS_AS(a.get(), ClientClosedError);
}

TEST_CASE("call_deadline bounds a call across the token renewal a 401 starts") {
  Emulator registry = make_registry(AuthMode::bearer);
  registry.add_client("svc", kSecret, Role::developer);
  registry.add_version("default", "A", kSchema);
  registry.add_fault(Fault::reply_status("version-metadata", 401, 1));
  auto o = options_for(registry);
  o.call_deadline = milliseconds(1000);
  std::string url = registry.token_url();
  ManualTime time;
  // Each token takes 700 ms: the 401 comes after the first, and the renewed token after
  // 1400 ms, past the call's deadline.
  o.auth = TokenProviderAuth{[url, clock = time.clock] {
    clock->advance(milliseconds(700));
    return AccessToken{fetch_token(url, "svc", kSecret), std::chrono::seconds(300)};
  }};
  RegistryClient client(o);
  auto a = client.get_schema("A");
  REQUIRE(a.wait_for(std::chrono::seconds(10)) == std::future_status::ready);
  try {
    a.get();
    FAIL("expected RegistryConnectionError");
  } catch (const RegistryConnectionError& e) {
    CHECK(e.failure() == ConnectionFailure::timeout);
  }
}

TEST_CASE("a token that arrives after its call's deadline is kept for later calls") {
  Emulator registry = make_registry(AuthMode::bearer);
  registry.add_client("svc", kSecret, Role::developer);
  registry.add_version("default", "A", kSchema);
  std::promise<void> release;
  std::shared_future<void> released = release.get_future().share();
  std::atomic<int> calls{0};
  auto o = options_for(registry);
  o.call_deadline = milliseconds(200);
  std::string url = registry.token_url();
  o.auth = TokenProviderAuth{[released, url, &calls] {
    calls++;
    released.wait();
    return AccessToken{fetch_token(url, "svc", kSecret), std::chrono::seconds(300)};
  }};
  ManualTime time;
  RegistryClient client(o);
  auto a = client.get_schema("A");
  CHECK(time.advance_after_timers(1, milliseconds(200)));
  bool ready = a.wait_for(std::chrono::seconds(10)) == std::future_status::ready;
  release.set_value();
  REQUIRE(ready);
  CHECK_THROWS_AS(a.get(), RegistryConnectionError);
  CHECK(within_10s([&] { return client.get_schema("A").get().artifact_id == "A"; }));
  CHECK(calls == 1);
}

TEST_CASE("a 401 during a background renewal waits for that renewal instead of a second one") {
  Emulator registry = make_registry(AuthMode::bearer);
  registry.add_client("svc", kSecret, Role::developer);
  registry.add_version("default", "A", kSchema);
  registry.add_version("default", "B", kSchema);
  std::promise<void> release, enter;
  std::shared_future<void> released = release.get_future().share();
  std::future<void> entered = enter.get_future();
  std::atomic<int> calls{0};
  std::string url = registry.token_url();
  auto o = options_for(registry);
  o.auth = first_then(
      registry, std::chrono::seconds(4),
      [released, url, &enter]() -> AccessToken {
        enter.set_value();
        released.wait();
        return AccessToken{fetch_token(url, "svc", kSecret), std::chrono::seconds(300)};
      },
      calls);
  ManualTime time;
  RegistryClient client(o);
  CHECK(client.get_schema("A").get().artifact_id == "A");
  advance_into_renewal(time);
  registry.revoke_tokens();
  auto b = client.get_schema("B");  // starts the renewal, is sent with the old token: 401
  REQUIRE(entered.wait_for(std::chrono::seconds(10)) == std::future_status::ready);
  bool early = b.wait_for(milliseconds(300)) == std::future_status::ready;
  release.set_value();
  CHECK_FALSE(early);
  REQUIRE(b.wait_for(std::chrono::seconds(10)) == std::future_status::ready);
  CHECK(b.get().artifact_id == "B");
  CHECK(calls == 2);
}

namespace {

// An executor that only queues: the test runs the tasks when it chooses, here after the
// client is gone.
class LaterExecutor : public Executor {
 public:
  void post(std::function<void()> task) override {
    std::lock_guard<std::mutex> lock(mutex_);
    tasks_.push_back(std::move(task));
  }
  void run_all() {
    for (;;) {
      std::function<void()> task;
      {
        std::lock_guard<std::mutex> lock(mutex_);
        if (tasks_.empty()) return;
        task = std::move(tasks_.front());
        tasks_.erase(tasks_.begin());
      }
      task();
    }
  }

 private:
  std::mutex mutex_;
  std::vector<std::function<void()>> tasks_;
};

}  // namespace

TEST_CASE("a token provider that runs after the client is destroyed touches nothing of it") {
  Emulator registry = make_registry(AuthMode::bearer);
  registry.add_client("svc", kSecret, Role::developer);
  registry.add_version("default", "A", kSchema);
  auto executor = std::make_shared<LaterExecutor>();
  std::atomic<int> calls{0};
  std::string url = registry.token_url();
  auto o = options_for(registry);
  o.executor = executor;
  o.auth = TokenProviderAuth{[url, &calls] {
    calls++;
    return AccessToken{fetch_token(url, "svc", kSecret), std::chrono::seconds(1)};
  }};
  Future<CachedSchema> a;
  {
    RegistryClient client(o);
    a = client.get_schema("A");
    // Time for the event thread to queue the provider on the executor before the client goes.
    std::this_thread::sleep_for(milliseconds(100));
  }
  executor->run_all();  // the provider, then the failed call's continuations
  CHECK(calls == 1);
  CHECK_THROWS_AS(a.get(), ClientClosedError);
}

TEST_CASE("a token provider that throws once is asked again by the next call") {
  Emulator registry = make_registry(AuthMode::bearer);
  registry.add_client("svc", kSecret, Role::developer);
  registry.add_version("default", "A", kSchema);
  std::atomic<int> calls{0};
  std::string url = registry.token_url();
  auto o = options_for(registry);
  o.auth = TokenProviderAuth{[url, &calls] {
    if (calls++ == 0) throw std::runtime_error("vault is sealed");
    return AccessToken{fetch_token(url, "svc", kSecret), std::chrono::seconds(300)};
  }};
  RegistryClient client(o);
  CHECK_THROWS_WITH(client.get_schema("A").get(), "vault is sealed");
  CHECK(client.get_schema("A").get().artifact_id == "A");
  CHECK(calls == 2);
}
