#pragma once
// A mock_apns::Server on ephemeral loopback ports for one test, loaded with the
// apns-provider-api.md §11.1 fixtures, on a virtual clock at NOW; plus the files real clients need
// (CA, client certificates of §11.1 as PEM files).
#include "core/clock.hpp"
#include "mock_apns/server.hpp"
#include "spec_world.hpp"
#include "support/temp_dir.hpp"

#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace integration {

// Certificates valid both at the spec's NOW (the mock's clock) and at the real time (what
// OpenSSL checks during the handshake), written once per test process.
class WirePki {
public:
  static const WirePki& get();
  std::string ca_bundle;   // root + WWDR: the mock's client CA and the clients' trust anchor
  std::string server_cert; // localhost, 127.0.0.1 and Apple's host names
  std::string server_key;
  std::string cert_file(const std::string& name) const; // "C_UNIV" → its PEM file
  std::string key_file(const std::string& name) const;

private:
  WirePki();
  support::TempDir dir_;
};

class MockFixture {
public:
  // `configure` changes the settings (or other options) before the start.
  explicit MockFixture(std::function<void(mock_apns::ServerOptions&)> configure = {});
  ~MockFixture();

  mock_apns::Server& server() { return *server_; }
  core::VirtualClock& clock() { return clock_; }
  std::uint16_t port(mock_apns::Environment env) const { return server_->port(env); }
  // https://api.sandbox.push.apple.com:PORT or https://api.push.apple.com:PORT
  std::string origin(mock_apns::Environment env) const;
  // The --resolve argument that sends `origin(env)` to 127.0.0.1.
  std::string curl_resolve(mock_apns::Environment env) const;
  // curl -sS --http2, trusting the CA, resolving `origin(env)`: the start of every curl push.
  std::vector<std::string> curl_to(mock_apns::Environment env) const;

private:
  core::VirtualClock clock_{core::from_unix_seconds(mock_apns_test::kNowSeconds)};
  std::unique_ptr<mock_apns::Server> server_;
};

} // namespace integration
