// Error codes: every error the client reports has the code and retriability its kind
// promises, whether the caller holds the exception or only the future's exception_ptr.
#include <apicurio/testing/emulator.hpp>
#include "client_fixture.hpp"

#include <apicurio/registry.hpp>

#include <catch2/catch.hpp>

#include <chrono>
#include <future>
#include <limits>
#include <stdexcept>
#include <string>

using namespace apicurio;
using apicurio::emulator::AuthMode;
using apicurio::emulator::Emulator;
using apicurio::emulator::EmulatorOptions;
using apicurio::emulator::Fault;
using apicurio::emulator::Role;
using apicurio::testing::ClientFixture;
using apicurio::testing::kAvro;
using std::chrono::milliseconds;

namespace {

struct Expected {
  ErrorCode code;
  bool retriable;
};

// The future's failure, classified both ways: from the exception_ptr and from the Error.
void check_failure(const Future<CachedSchema>& future, Expected expected) {
  REQUIRE(future.wait_for(std::chrono::seconds(30)) == std::future_status::ready);
  REQUIRE_FALSE(future.result().ok());
  const std::exception_ptr error = future.result().error();
  CHECK(error_code(error) == expected.code);
  CHECK(is_retriable(error) == expected.retriable);
  try {
    std::rethrow_exception(error);
  } catch (const Error& e) {
    INFO(e.what());
    CHECK(e.code() == expected.code);
    CHECK(e.is_retriable() == expected.retriable);
  }
}

ClientOptions fast(ClientOptions o) {
  o.max_retries = 0;
  return o;
}

}  // namespace

TEST_CASE("each error class has its code") {
  CHECK(SchemaNotFoundError("g", "a", "1", "").code() == ErrorCode::not_found);
  CHECK(SchemaNotFoundError(IdKind::content_id, 5, "").code() == ErrorCode::not_found);
  CHECK(ResponseTooLargeError("u", 10).code() == ErrorCode::too_large);
  CHECK(ClientClosedError().code() == ErrorCode::closed);
  CHECK(WireFormatError("bad").code() == ErrorCode::wire_format);
  CHECK(ArtifactStrategyError("bad").code() == ErrorCode::invalid_argument);
  CHECK(Error("plain").code() == ErrorCode::unknown);
  CHECK_FALSE(Error("plain").is_retriable());
  const Error mock(ErrorCode::unavailable, true, "a test double");
  CHECK(mock.code() == ErrorCode::unavailable);
  CHECK(mock.is_retriable());
  // The resolver's not-found keeps its cause's code.
  CHECK(RecordSchemaNotFoundError(SchemaNotFoundError(IdKind::global_id, 1, ""), "how").code() ==
        ErrorCode::not_found);
}

TEST_CASE("a connection error is retriable unless TLS or an unknown transport failure") {
  using F = ConnectionFailure;
  const std::pair<F, Expected> cases[] = {
      {F::refused, {ErrorCode::connection, true}}, {F::reset, {ErrorCode::connection, true}},
      {F::dns, {ErrorCode::connection, true}},     {F::timeout, {ErrorCode::timed_out, true}},
      {F::tls, {ErrorCode::connection, false}},    {F::other, {ErrorCode::connection, false}},
  };
  for (const auto& [failure, expected] : cases) {
    RegistryConnectionError e("http://r", failure, "cause");
    INFO(e.what());
    CHECK(e.code() == expected.code);
    CHECK(e.is_retriable() == expected.retriable);
  }
}

TEST_CASE("a registry error's code follows its status") {
  const std::pair<int, Expected> cases[] = {
      {400, {ErrorCode::rejected, false}},
      {404, {ErrorCode::rejected, false}},
      {409, {ErrorCode::conflict, false}},
      {422, {ErrorCode::rejected, false}},
      {429, {ErrorCode::unavailable, true}},
      {500, {ErrorCode::server, false}},
      {501, {ErrorCode::server, false}},
      {502, {ErrorCode::unavailable, true}},
      {503, {ErrorCode::unavailable, true}},
      {504, {ErrorCode::unavailable, true}},
      {200, {ErrorCode::server, false}},
      {302, {ErrorCode::server, false}},
      {0, {ErrorCode::server, false}},
      {-1, {ErrorCode::server, false}},
      {600, {ErrorCode::server, false}},
      {std::numeric_limits<int>::max(), {ErrorCode::server, false}},
  };
  for (const auto& [status, expected] : cases) {
    INFO(status);
    RegistryError e("m", status, "", "");
    CHECK(e.code() == expected.code);
    CHECK(e.is_retriable() == expected.retriable);
    SchemaRegistrationError r("m", status, "", "");
    CHECK(r.code() == expected.code);
  }
  // A malformed body is malformed whatever the status.
  CHECK(RegistryError("m", 200, "", "", {}, true).code() == ErrorCode::malformed_reply);
  CHECK(RegistryError("m", 503, "", "", {}, true).code() == ErrorCode::malformed_reply);
  CHECK_FALSE(RegistryError("m", 503, "", "", {}, true).is_retriable());
}

TEST_CASE("an authentication error is auth, retriable only when its endpoint was unavailable") {
  for (int status : {0, 200, 400, 401, 403, 500}) {
    INFO(status);
    CHECK(AuthenticationError("m", status, "", "").code() == ErrorCode::auth);
    CHECK_FALSE(AuthenticationError("m", status, "", "").is_retriable());
  }
  for (int status : {429, 502, 503, 504}) {
    INFO(status);
    CHECK(AuthenticationError("m", status, "", "").code() == ErrorCode::auth);
    CHECK(AuthenticationError("m", status, "", "").is_retriable());
  }
  CHECK(AuthenticationError("m", 200, "", "", {}, true).code() == ErrorCode::auth);
}

TEST_CASE("error_code and is_retriable read any exception_ptr") {
  CHECK(error_code(nullptr) == ErrorCode::unknown);
  CHECK_FALSE(is_retriable(nullptr));
  CHECK(error_code(std::make_exception_ptr(std::invalid_argument("x"))) ==
        ErrorCode::invalid_argument);
  CHECK(error_code(std::make_exception_ptr(std::runtime_error("x"))) == ErrorCode::unknown);
  CHECK(error_code(std::make_exception_ptr(42)) == ErrorCode::unknown);
  CHECK_FALSE(is_retriable(std::make_exception_ptr(42)));
  CHECK(error_code(std::make_exception_ptr(ClientClosedError())) == ErrorCode::closed);
  CHECK(is_retriable(std::make_exception_ptr(RegistryError("m", 503, "", ""))));
}

TEST_CASE("to_string names every code as it is spelled") {
  CHECK(std::string(to_string(ErrorCode::unknown)) == "unknown");
  CHECK(std::string(to_string(ErrorCode::not_found)) == "not_found");
  CHECK(std::string(to_string(ErrorCode::connection)) == "connection");
  CHECK(std::string(to_string(ErrorCode::timed_out)) == "timed_out");
  CHECK(std::string(to_string(ErrorCode::auth)) == "auth");
  CHECK(std::string(to_string(ErrorCode::rejected)) == "rejected");
  CHECK(std::string(to_string(ErrorCode::conflict)) == "conflict");
  CHECK(std::string(to_string(ErrorCode::unavailable)) == "unavailable");
  CHECK(std::string(to_string(ErrorCode::server)) == "server");
  CHECK(std::string(to_string(ErrorCode::malformed_reply)) == "malformed_reply");
  CHECK(std::string(to_string(ErrorCode::too_large)) == "too_large");
  CHECK(std::string(to_string(ErrorCode::closed)) == "closed");
  CHECK(std::string(to_string(ErrorCode::wire_format)) == "wire_format");
  CHECK(std::string(to_string(ErrorCode::invalid_argument)) == "invalid_argument");
  CHECK(std::string(to_string(static_cast<ErrorCode>(-1))) == "unknown");
}

TEST_CASE_METHOD(ClientFixture, "the client's reads fail with the code of what went wrong") {
  registry.add_version("default", "A", kAvro);
  RegistryClient client(fast(options()));

  SECTION("not found, by artifact and by id") {
    check_failure(client.get_schema("Nope"), {ErrorCode::not_found, false});
    check_failure(client.get_schema_by_global_id(4242), {ErrorCode::not_found, false});
    check_failure(client.get_schema_by_content_id(4242), {ErrorCode::not_found, false});
  }
  SECTION("500 is a server error, 503 and 429 are unavailable") {
    registry.add_fault(Fault::reply_status("version-metadata", 500));
    check_failure(client.get_schema("A"), {ErrorCode::server, false});
    registry.add_fault(Fault::reply_status("version-metadata", 503));
    check_failure(client.get_schema("A"), {ErrorCode::unavailable, true});
    registry.add_fault(Fault::reply_status("version-metadata", 429));
    check_failure(client.get_schema("A"), {ErrorCode::unavailable, true});
  }
  SECTION("a 400 is rejected") {
    registry.add_fault(Fault::reply_status("version-metadata", 400));
    check_failure(client.get_schema("A"), {ErrorCode::rejected, false});
  }
  SECTION("a malformed reply") {
    registry.add_fault(Fault::replace_body("version-metadata", "{not json"));
    check_failure(client.get_schema("A"), {ErrorCode::malformed_reply, false});
  }
  SECTION("no answer in time is timed_out and retriable") {
    auto o = fast(options());
    o.request_timeout = milliseconds(100);
    RegistryClient impatient(o);
    registry.add_fault(Fault::delay_reply("version-metadata", milliseconds(2000)));
    check_failure(impatient.get_schema("A"), {ErrorCode::timed_out, true});
  }
  SECTION("a connection dropped mid-body is a retriable connection error") {
    registry.add_fault(Fault::close_mid_body("version-metadata"));
    check_failure(client.get_schema("A"), {ErrorCode::connection, true});
  }
  SECTION("too large") {
    auto o = fast(options());
    o.max_response_bytes = 16;
    RegistryClient small(o);
    check_failure(small.get_schema("A"), {ErrorCode::too_large, false});
  }
  SECTION("after close") {
    client.close();
    check_failure(client.get_schema("A"), {ErrorCode::closed, false});
  }
}

TEST_CASE("an unreachable registry is a retriable connection error") {
  std::string url;
  {
    Emulator gone;
    url = gone.base_url();
  }
  ClientOptions o;
  o.url = url;
  o.max_retries = 0;
  RegistryClient client(o);
  check_failure(client.get_schema("A"), {ErrorCode::connection, true});
}

TEST_CASE_METHOD(ClientFixture, "registrations fail with conflict and rejected") {
  registry.add_version("default", "A", kAvro);
  RegistryClient client(fast(options()));
  RegisterOptions fail_if_exists;
  fail_if_exists.if_exists = IfExists::fail;
  check_failure(client.register_schema("A", kAvro, fail_if_exists), {ErrorCode::conflict, false});
  registry.add_fault(Fault::reply_status("create-artifact", 422));
  check_failure(client.register_schema("A", apicurio::testing::avro_named("B")),
                {ErrorCode::rejected, false});
}

TEST_CASE("credentials refused, and a token endpoint unavailable, are auth errors") {
  EmulatorOptions eo;
  eo.auth = AuthMode::basic_or_bearer;
  Emulator registry(eo);
  registry.add_user("alice", "right", Role::readonly);
  registry.add_client("svc", "right", Role::developer);
  registry.add_version("default", "A", kAvro);
  ClientOptions o;
  o.url = registry.base_url();
  o.max_retries = 0;

  o.auth = BasicAuth{"alice", "wrong"};
  check_failure(RegistryClient(o).get_schema("A"), {ErrorCode::auth, false});

  o.auth = BasicAuth{"alice", "right"};  // read-only: 403 on writes
  check_failure(RegistryClient(o).register_schema("B", kAvro), {ErrorCode::auth, false});

  o.auth = OAuth2ClientCredentials{registry.token_url(), "svc", "right", ""};
  registry.add_fault(Fault::reply_status("token", 503));
  check_failure(RegistryClient(o).get_schema("A"), {ErrorCode::auth, true});
}
