// Throwaway PKI for TLS tests, made with the `openssl` command (which must be on PATH).
#pragma once

#include <string>

namespace apicurio::emulator {

/// PEM files in a fresh temporary directory. Keys are unencrypted P-256; certificates are
/// valid for two days.
struct TestCerts {
  std::string dir;
  /// The CA that signed server_cert and client_cert.
  std::string ca_file;
  /// For 127.0.0.1 and localhost (subjectAltName IP:127.0.0.1, DNS:localhost).
  std::string server_cert, server_key;
  /// A client certificate (CN "apicurio-test-client", extendedKeyUsage clientAuth).
  std::string client_cert, client_key;
  /// A second CA, unrelated to ca_file, and a client certificate it signed.
  std::string other_ca_file;
  std::string other_client_cert, other_client_key;
};

/// Creates the CA, certificates and keys. Blocks while openssl runs (well under a second);
/// any thread may call it. Throws std::runtime_error with openssl's output if a step fails.
TestCerts make_test_certs();

/// Deletes certs.dir and everything in it. Never throws.
void remove_test_certs(const TestCerts& certs);

}  // namespace apicurio::emulator
