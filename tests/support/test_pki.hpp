#pragma once
// Certificates for transport tests, made with the real `openssl` tool when first asked for and
// deleted when the test process ends. Never committed. (The Apple-shaped PKI is src/pki's job;
// this is only a CA, a server certificate and client certificates.)

#include <string>

namespace support {

struct TestPki {
  std::string ca_cert;     // trust anchor for everything below
  std::string server_cert; // CN=localhost, SAN localhost, 127.0.0.1, ::1
  std::string server_key;
  std::string client_cert; // CN=voipsim test client, O=voipsim; signed by ca_cert
  std::string client_key;
  std::string other_ca_cert;     // an unrelated CA
  std::string other_client_cert; // signed by other_ca_cert
  std::string other_client_key;

  static const TestPki& get(); // fails the calling test (via exception) if openssl fails
};

} // namespace support
