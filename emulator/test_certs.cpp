#include "test_certs.hpp"

#include <fmt/format.h>
#include <stdlib.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>

namespace apicurio::emulator {
namespace {

namespace fs = std::filesystem;

constexpr const char* kNewKey = "-newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes";

std::string quoted(const std::string& path) {
  return "'" + path + "'";
}

void write_file(const std::string& path, const std::string& text) {
  std::ofstream out(path);
  out << text;
  if (!out) throw std::runtime_error("make_test_certs: cannot write " + path);
}

// Runs one openssl command in `dir`, its output going to dir/openssl.log.
void run(const std::string& dir, const std::string& arguments) {
  const std::string log = dir + "/openssl.log";
  const std::string command =
      fmt::format("cd {} && openssl {} >>{} 2>&1", quoted(dir), arguments, quoted(log));
  if (std::system(command.c_str()) != 0) {
    std::ifstream in(log);
    std::stringstream output;
    output << in.rdbuf();
    throw std::runtime_error(
        fmt::format("make_test_certs: `openssl {}` failed:\n{}", arguments, output.str()));
  }
}

void make_ca(const std::string& dir, const std::string& name, const std::string& common_name) {
  run(dir, fmt::format("req -x509 {} -keyout {}.key -out {}.pem -days 2 -subj '/CN={}'", kNewKey,
                       name, name, common_name));
}

void make_signed(const std::string& dir, const std::string& name, const std::string& ca,
                 const std::string& common_name, const std::string& extensions) {
  write_file(dir + "/" + name + ".ext", extensions);
  run(dir, fmt::format("req -new {} -keyout {}.key -out {}.csr -subj '/CN={}'", kNewKey, name, name,
                       common_name));
  run(dir, fmt::format("x509 -req -in {0}.csr -CA {1}.pem -CAkey {1}.key -CAcreateserial "
                       "-out {0}.pem -days 2 -extfile {0}.ext",
                       name, ca));
}

}  // namespace

TestCerts make_test_certs() {
  fs::path base = fs::temp_directory_path() / "apicurio-certs-XXXXXX";
  std::string pattern = base.string();
  if (mkdtemp(pattern.data()) == nullptr) {
    throw std::runtime_error("make_test_certs: cannot create a directory like " + base.string());
  }
  TestCerts certs;
  certs.dir = pattern;
  const std::string& dir = certs.dir;
  try {
    make_ca(dir, "ca", "apicurio test CA");
    make_ca(dir, "other-ca", "unrelated test CA");
    make_signed(dir, "server", "ca", "localhost",
                "basicConstraints=CA:FALSE\nkeyUsage=digitalSignature,keyEncipherment\n"
                "extendedKeyUsage=serverAuth\nsubjectAltName=IP:127.0.0.1,DNS:localhost\n");
    const std::string client_extensions =
        "basicConstraints=CA:FALSE\nkeyUsage=digitalSignature\nextendedKeyUsage=clientAuth\n";
    make_signed(dir, "client", "ca", "apicurio-test-client", client_extensions);
    make_signed(dir, "other-client", "other-ca", "unrelated-client", client_extensions);
  } catch (...) {
    remove_test_certs(certs);
    throw;
  }
  certs.ca_file = dir + "/ca.pem";
  certs.server_cert = dir + "/server.pem";
  certs.server_key = dir + "/server.key";
  certs.client_cert = dir + "/client.pem";
  certs.client_key = dir + "/client.key";
  certs.other_ca_file = dir + "/other-ca.pem";
  certs.other_client_cert = dir + "/other-client.pem";
  certs.other_client_key = dir + "/other-client.key";
  return certs;
}

void remove_test_certs(const TestCerts& certs) {
  if (certs.dir.empty()) return;
  std::error_code ignored;
  fs::remove_all(certs.dir, ignored);
}

}  // namespace apicurio::emulator
