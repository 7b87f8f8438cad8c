#include "support/test_pki.hpp"

#include "support/child_process.hpp"
#include "support/temp_dir.hpp"

#include <memory>
#include <stdexcept>

namespace support {
namespace {

using namespace std::chrono_literals;

void openssl(const std::vector<std::string>& args) {
  std::vector<std::string> argv{"openssl"};
  argv.insert(argv.end(), args.begin(), args.end());
  const auto r = run_process(argv, 30s);
  if (r.exit_code != 0) throw std::runtime_error("test PKI: openssl failed\n" + r.describe());
}

void make_ca(const TempDir& dir, const std::string& name, const std::string& cn) {
  openssl({"req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
           "-keyout", dir.file(name + ".key"), "-out", dir.file(name + ".pem"), "-days", "2",
           "-subj", "/CN=" + cn, "-addext", "basicConstraints=critical,CA:TRUE", "-addext",
           "keyUsage=critical,keyCertSign,cRLSign"});
}

void make_leaf(const TempDir& dir, const std::string& name, const std::string& ca,
               const std::string& subject, const std::string& extensions) {
  openssl({"req", "-new", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
           "-keyout", dir.file(name + ".key"), "-out", dir.file(name + ".csr"), "-subj", subject});
  const std::string ext = dir.write(name + ".ext", extensions);
  openssl({"x509", "-req", "-in", dir.file(name + ".csr"), "-CA", dir.file(ca + ".pem"), "-CAkey",
           dir.file(ca + ".key"), "-CAcreateserial", "-out", dir.file(name + ".pem"), "-days", "2",
           "-extfile", ext});
}

} // namespace

const TestPki& TestPki::get() {
  static const std::unique_ptr<TempDir> dir = std::make_unique<TempDir>();
  static const TestPki pki = [] {
    make_ca(*dir, "ca", "voipsim test CA");
    make_leaf(*dir, "server", "ca", "/CN=localhost",
              "basicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\n"
              "subjectAltName=DNS:localhost,IP:127.0.0.1,IP:::1\n");
    make_leaf(*dir, "client", "ca", "/O=voipsim/CN=voipsim test client",
              "basicConstraints=CA:FALSE\nextendedKeyUsage=clientAuth\n");
    make_ca(*dir, "other-ca", "unrelated CA");
    make_leaf(*dir, "other-client", "other-ca", "/CN=stranger",
              "basicConstraints=CA:FALSE\nextendedKeyUsage=clientAuth\n");
    TestPki p;
    p.ca_cert = dir->file("ca.pem");
    p.server_cert = dir->file("server.pem");
    p.server_key = dir->file("server.key");
    p.client_cert = dir->file("client.pem");
    p.client_key = dir->file("client.key");
    p.other_ca_cert = dir->file("other-ca.pem");
    p.other_client_cert = dir->file("other-client.pem");
    p.other_client_key = dir->file("other-client.key");
    return p;
  }();
  return pki;
}

} // namespace support
