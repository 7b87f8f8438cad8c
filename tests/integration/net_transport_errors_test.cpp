// The client's typed transport errors, one per way a connection to APNs can fail
// (im-voip-flow.md §4.5): each request ends with a kind, the socket error or TLS alert
// underneath and, for GOAWAY, its fields (net_lifecycle_test.cpp checks those), so that callers
// never read the message's text.

#include "integration/test_server.hpp"
#include "net/error.hpp"
#include "support/handshake_breaker.hpp"
#include "support/test_pki.hpp"

#include <gtest/gtest.h>

namespace integration {
namespace {

using support::HandshakeBreaker;

// RFC 8446 §6.2 alert numbers.
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

// Our client with a certificate the server's CA did not sign, to a server that requires one.
net::ClientOptions refused_client(std::uint16_t port, net::TlsVersion max_version) {
  const auto& pki = support::TestPki::get();
  auto options = client_options(port, true);
  options.tls->certificate_file = pki.other_client_cert;
  options.tls->private_key_file = pki.other_client_key;
  options.tls->max_version = max_version;
  return options;
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
