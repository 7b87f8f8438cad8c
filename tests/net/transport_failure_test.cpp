// net::classify_transport_failure: who ended a TLS or TCP connection and why, from OpenSSL's
// packed error code and the socket's error alone (im-voip-flow.md §4.5's rows for no answer, a
// TLS alert refusing our certificate and a server certificate we do not trust).
#include "net/asio.hpp" // first: see asio.hpp
#include "net/transport_failure.hpp"

#include <cerrno>

#include <gtest/gtest.h>
#include <openssl/err.h>
#include <openssl/ssl.h>

namespace {

using net::Errc;

// What Asio's TLS stream reports: OpenSSL's first queued error as the code's value.
boost::system::error_code ssl_error(int library, int reason) {
  return {static_cast<int>(ERR_PACK(library, 0, reason)), boost::asio::error::get_ssl_category()};
}

boost::system::error_code ssl_reason(int reason) {
  return ssl_error(ERR_LIB_SSL, reason);
}

TEST(TransportFailure, ASocketErrorIsAClosedConnection) {
  for (const auto& ec : {boost::system::error_code(boost::asio::error::connection_reset),
                         boost::system::error_code(boost::asio::error::connection_refused),
                         boost::system::error_code(boost::asio::error::eof)}) {
    const auto f = net::classify_transport_failure(ec);
    EXPECT_EQ(f.kind, Errc::ConnectionClosed) << ec.message();
    EXPECT_EQ(f.tls_alert, 0);
  }
}

TEST(TransportFailure, AnEndWithoutCloseNotifyMidHandshakeIsAClosedConnection) {
  const auto f = net::classify_transport_failure(ssl_reason(SSL_R_UNEXPECTED_EOF_WHILE_READING));
  EXPECT_EQ(f.kind, Errc::ConnectionClosed);
}

TEST(TransportFailure, OurTrustStoreRejectingTheServerIsUntrusted) {
  const auto f = net::classify_transport_failure(ssl_reason(SSL_R_CERTIFICATE_VERIFY_FAILED));
  EXPECT_EQ(f.kind, Errc::PeerCertificateUntrusted);
  EXPECT_EQ(f.tls_alert, 0);
}

TEST(TransportFailure, EachAlertRefusingOurCertificateIsARefusal) {
  for (const int alert :
       {SSL_AD_BAD_CERTIFICATE, SSL_AD_UNSUPPORTED_CERTIFICATE, SSL_AD_CERTIFICATE_REVOKED,
        SSL_AD_CERTIFICATE_EXPIRED, SSL_AD_CERTIFICATE_UNKNOWN, SSL_AD_UNKNOWN_CA}) {
    const auto f = net::classify_transport_failure(ssl_reason(SSL_AD_REASON_OFFSET + alert));
    EXPECT_EQ(f.kind, Errc::CertificateRefused) << alert;
    EXPECT_EQ(f.tls_alert, alert);
  }
}

// TLS 1.3: the server asks for a certificate and gets none it accepts, after our side of the
// handshake is done.
TEST(TransportFailure, Tls13CertificateRequiredIsARefusal) {
  const auto f =
      net::classify_transport_failure(ssl_reason(SSL_R_TLSV13_ALERT_CERTIFICATE_REQUIRED));
  EXPECT_EQ(f.kind, Errc::CertificateRefused);
  EXPECT_EQ(f.tls_alert, SSL_AD_CERTIFICATE_REQUIRED);
}

TEST(TransportFailure, AnotherAlertIsATlsFailureNamingIt) {
  const auto f = net::classify_transport_failure(ssl_reason(SSL_R_TLSV1_ALERT_PROTOCOL_VERSION));
  EXPECT_EQ(f.kind, Errc::TlsFailed);
  EXPECT_EQ(f.tls_alert, SSL_AD_PROTOCOL_VERSION);
}

TEST(TransportFailure, AnyOtherTlsErrorIsATlsFailure) {
  for (const auto& ec : {ssl_reason(SSL_R_NO_SHARED_CIPHER), ssl_reason(SSL_R_WRONG_VERSION_NUMBER),
                         ssl_error(ERR_LIB_X509, 1)}) {
    const auto f = net::classify_transport_failure(ec);
    EXPECT_EQ(f.kind, Errc::TlsFailed) << ec.value();
    EXPECT_EQ(f.tls_alert, 0);
  }
  // A system error OpenSSL queued (ERR_SYSTEM_FLAG set) under the TLS category.
  const boost::system::error_code system(
      static_cast<int>(static_cast<unsigned int>(ERR_SYSTEM_FLAG | ECONNRESET)),
      boost::asio::error::get_ssl_category());
  EXPECT_EQ(net::classify_transport_failure(system).kind, Errc::TlsFailed);
}

} // namespace
