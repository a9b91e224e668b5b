// HTTPS against the emulator with a CA made at test time: verification, pinning and
// mutual TLS.
#include <apicurio/testing/emulator.hpp>
#include "test_certs.hpp"

#include <apicurio/registry.hpp>

#include <catch2/catch.hpp>

#include <cstdlib>
#include <memory>

using namespace apicurio;
using namespace apicurio::emulator;

namespace {

const char* kSchema = R"({"type":"record","name":"A","fields":[]})";

struct TlsFixture {
  TestCerts certs = make_test_certs();
  ~TlsFixture() { remove_test_certs(certs); }

  std::unique_ptr<Emulator> start(bool mutual) {
    EmulatorOptions o;
    o.tls = emulator::TlsOptions{certs.server_cert, certs.server_key,
                                 mutual ? certs.ca_file : std::string()};
    auto registry = std::make_unique<Emulator>(o);
    registry->add_version("default", "A", kSchema);
    return registry;
  }

  ClientOptions client_options(const Emulator& registry) const {
    ClientOptions o;
    o.url = registry.base_url();
    o.max_retries = 0;
    o.tls.ca_file = certs.ca_file;
    return o;
  }
};

void expect_tls_failure(const ClientOptions& o) {
  RegistryClient client(o);
  try {
    client.get_schema("A").get();
    FAIL("expected RegistryConnectionError");
  } catch (const RegistryConnectionError& e) {
    CHECK((e.failure() == ConnectionFailure::tls || e.failure() == ConnectionFailure::reset));
  }
}

}  // namespace

TEST_CASE_METHOD(TlsFixture, "HTTPS with the test CA, and verification failures") {
  auto registry_ptr = start(false);
  Emulator& registry = *registry_ptr;
  REQUIRE(registry.base_url().rfind("https://", 0) == 0);
  auto o = client_options(registry);
  CHECK(RegistryClient(o).get_schema("A").get().artifact_id == "A");

  auto wrong_ca = o;
  wrong_ca.tls.ca_file = certs.other_ca_file;
  expect_tls_failure(wrong_ca);

  auto system_store = o;
  system_store.tls.ca_file.clear();
  expect_tls_failure(system_store);

  auto insecure = system_store;
  insecure.tls.insecure_skip_verification = true;
  CHECK(RegistryClient(insecure).get_schema("A").get().artifact_id == "A");
}

TEST_CASE_METHOD(TlsFixture, "a pinned public key must match") {
  auto registry_ptr = start(false);
  Emulator& registry = *registry_ptr;
  std::string pinned = certs.dir + "/server-pub.pem";
  std::string other = certs.dir + "/other-pub.pem";
  REQUIRE(std::system(
              ("openssl x509 -pubkey -noout -in " + certs.server_cert + " > " + pinned).c_str()) ==
          0);
  REQUIRE(std::system(
              ("openssl x509 -pubkey -noout -in " + certs.other_ca_file + " > " + other).c_str()) ==
          0);
  auto o = client_options(registry);
  o.tls.pinned_public_key = pinned;
  CHECK(RegistryClient(o).get_schema("A").get().artifact_id == "A");
  o.tls.pinned_public_key = other;
  expect_tls_failure(o);
}

TEST_CASE_METHOD(TlsFixture, "mutual TLS needs the client certificate") {
  auto registry_ptr = start(true);
  Emulator& registry = *registry_ptr;
  auto o = client_options(registry);
  expect_tls_failure(o);
  o.tls.client_cert_file = certs.client_cert;
  o.tls.client_key_file = certs.client_key;
  CHECK(RegistryClient(o).get_schema("A").get().artifact_id == "A");
  o.tls.client_cert_file = certs.other_client_cert;
  o.tls.client_key_file = certs.other_client_key;
  expect_tls_failure(o);
}
