// The client's typed transport errors, one per way a connection to APNs can fail
// (im-voip-flow.md §4.5): each request ends with a kind, the socket error or TLS alert
// underneath and, for GOAWAY, its fields (net_lifecycle_test.cpp checks those), so that callers
// never read the message's text.

#include "integration/test_server.hpp"
#include "net/error.hpp"
#include "support/handshake_breaker.hpp"
#include "support/openssl_fingerprint.hpp"
#include "support/test_pki.hpp"

#include <mutex>

#include <gtest/gtest.h>

namespace integration {
namespace {

using support::HandshakeBreaker;

// RFC 8446 §6.2 alert numbers.
constexpr int kCertificateRevoked = 44;
constexpr int kUnknownCa = 48;
constexpr int kCertificateRequired = 116;

net::Request push() {
  net::Request r;
  r.method = "POST";
  r.path = "/3/device/aa";
  r.body = "{}";
  return r;
}

// The outcome of one request from a TLS client to 127.0.0.1:`port`, expected to fail.
net::RequestError fail_one(const net::ClientOptions& options) {
  net::IoThreads io;
  net::Client client(io, options);
  auto future = client.submit(push());
  auto result = await(future);
  EXPECT_FALSE(result) << "status " << (result ? result->status : 0);
  return result ? net::RequestError{} : result.error();
}

// Our client presenting `certificate` (and its `key`), offering TLS up to `max_version`.
net::ClientOptions client_presenting(std::uint16_t port, net::TlsVersion max_version,
                                     const std::string& certificate, const std::string& key) {
  auto options = client_options(port, true);
  options.tls->certificate_file = certificate;
  options.tls->private_key_file = key;
  options.tls->max_version = max_version;
  return options;
}

// Our client with a certificate the server's CA did not sign, to a server that requires one.
net::ClientOptions refused_client(std::uint16_t port, net::TlsVersion max_version) {
  const auto& pki = support::TestPki::get();
  return client_presenting(port, max_version, pki.other_client_cert, pki.other_client_key);
}

net::ServerOptions requiring_client_certificates() {
  auto options = tls_server_options(net::ClientCertMode::Require);
  options.handler = echo_handler();
  return options;
}

TEST(TransportErrors, AResetMidHandshakeIsALostConnection) {
  HandshakeBreaker breaker(HandshakeBreaker::Ending::Reset);
  const auto error = fail_one(client_options(breaker.port(), true));
  EXPECT_EQ(error.code, net::Errc::ConnectionClosed) << error.message;
  EXPECT_EQ(error.cause, std::errc::connection_reset) << error.cause.message();
  EXPECT_EQ(error.tls_alert, 0);
  EXPECT_TRUE(error.retryable);
}

TEST(TransportErrors, AConnectionClosedMidHandshakeIsALostConnection) {
  HandshakeBreaker breaker(HandshakeBreaker::Ending::Close);
  const auto error = fail_one(client_options(breaker.port(), true));
  EXPECT_EQ(error.code, net::Errc::ConnectionClosed) << error.message;
  EXPECT_TRUE(error.cause) << "the TLS layer's end-of-stream error";
  EXPECT_EQ(error.tls_alert, 0);
  EXPECT_TRUE(error.retryable);
}

TEST(TransportErrors, ARefusedConnectionIsAFailedConnect) {
  HandshakeBreaker breaker(HandshakeBreaker::Ending::Reset);
  const std::uint16_t port = breaker.port();
  breaker.stop(); // nothing listens there any more
  const auto error = fail_one(client_options(port, true));
  EXPECT_EQ(error.code, net::Errc::ConnectFailed) << error.message;
  EXPECT_EQ(error.cause, std::errc::connection_refused) << error.cause.message();
  EXPECT_TRUE(error.retryable);
}

// TLS 1.2: the server's alert ends the handshake itself.
TEST(TransportErrors, ATls12AlertRefusingOurCertificateIsARefusal) {
  TestServer server(requiring_client_certificates());
  const auto error = fail_one(refused_client(server.port(), net::TlsVersion::Tls12));
  EXPECT_EQ(error.code, net::Errc::CertificateRefused) << error.message;
  EXPECT_EQ(error.tls_alert, kUnknownCa) << error.message;
}

// TLS 1.3: the client's side of the handshake is complete when the server checks its
// certificate; the alert is the first thing it reads, after it sent its request.
TEST(TransportErrors, ATls13RefusalAfterTheHandshakeIsStillARefusal) {
  TestServer server(requiring_client_certificates());
  for (int i = 0; i < 20; ++i) { // the alert races the client's first writes: it must win each
    const auto error = fail_one(refused_client(server.port(), net::TlsVersion::Tls13));
    EXPECT_EQ(error.code, net::Errc::CertificateRefused) << i << ": " << error.message;
    EXPECT_EQ(error.tls_alert, kUnknownCa) << i << ": " << error.message;
  }
}

// A listener's refusal hook (TlsServerConfig::refuse_client_certificate) gets the leaf's SHA-256
// as `openssl x509 -fingerprint -sha256` computes it; refusing it is the certificate_revoked
// alert, read by our client as a refusal in either version; a leaf it lets through is served.
TEST(TransportErrors, ACertificateTheServersHookRefusesIsRevokedInTls13AndTls12) {
  const auto& pki = support::TestPki::get();
  const std::string expected = support::openssl_sha256_fingerprint(pki.client_cert);
  std::mutex mutex;
  std::vector<std::string> asked;
  bool refuse = true;
  auto options = requiring_client_certificates();
  options.tls->refuse_client_certificate = [&](std::string_view sha256) {
    std::lock_guard lock(mutex);
    asked.emplace_back(sha256);
    return refuse;
  };
  TestServer server(options);
  auto client = [&](net::TlsVersion version) {
    return client_presenting(server.port(), version, pki.client_cert, pki.client_key);
  };
  for (const auto version : {net::TlsVersion::Tls13, net::TlsVersion::Tls12}) {
    const auto error = fail_one(client(version));
    EXPECT_EQ(error.code, net::Errc::CertificateRefused) << error.message;
    EXPECT_EQ(error.tls_alert, kCertificateRevoked) << error.message;
  }
  {
    std::lock_guard lock(mutex);
    EXPECT_EQ(asked, std::vector<std::string>(2, expected));
    refuse = false;
  }
  net::IoThreads io;
  net::Client accepted(io, client(net::TlsVersion::Tls13));
  auto future = accepted.submit(push());
  const auto result = await(future);
  ASSERT_TRUE(result) << result.error().message;
  EXPECT_EQ(result->status, 200);
}

TEST(TransportErrors, ATls13ServerGivenNoCertificateRefusesWithCertificateRequired) {
  TestServer server(requiring_client_certificates());
  const auto error = fail_one(client_options(server.port(), true));
  EXPECT_EQ(error.code, net::Errc::CertificateRefused) << error.message;
  EXPECT_EQ(error.tls_alert, kCertificateRequired) << error.message;
}

TEST(TransportErrors, AServerCertificateOurTrustStoreRejectsIsUntrusted) {
  TestServer server(requiring_client_certificates());
  auto options = client_options(server.port(), true);
  options.tls->ca_file = support::TestPki::get().other_ca_cert;
  const auto error = fail_one(options);
  EXPECT_EQ(error.code, net::Errc::PeerCertificateUntrusted) << error.message;
  EXPECT_EQ(error.tls_alert, 0);
}

} // namespace
} // namespace integration
