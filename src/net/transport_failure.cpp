#include "net/transport_failure.hpp"

#include <openssl/err.h>
#include <openssl/ssl.h>

namespace net {
namespace {

bool refuses_our_certificate(int alert) {
  switch (alert) {
  case SSL_AD_BAD_CERTIFICATE:
  case SSL_AD_UNSUPPORTED_CERTIFICATE:
  case SSL_AD_CERTIFICATE_REVOKED:
  case SSL_AD_CERTIFICATE_EXPIRED:
  case SSL_AD_CERTIFICATE_UNKNOWN:
  case SSL_AD_UNKNOWN_CA:
  case SSL_AD_CERTIFICATE_REQUIRED:
    return true;
  default:
    return false;
  }
}

// OpenSSL reports an alert it received as the reason SSL_AD_REASON_OFFSET + the alert's
// number (SSL_R_SSLV3_ALERT_BAD_CERTIFICATE, SSL_R_TLSV1_ALERT_UNKNOWN_CA, ...).
constexpr int kLastAlert = 255;

} // namespace

TransportFailure classify_transport_failure(const boost::system::error_code& ec) {
  // Asio's TLS operations report OpenSSL's first queued error as the code's value.
  if (ec.category() != boost::asio::error::get_ssl_category()) return {};
  const auto packed = static_cast<unsigned long>(static_cast<unsigned int>(ec.value()));
  if (ERR_SYSTEM_ERROR(packed) || ERR_GET_LIB(packed) != ERR_LIB_SSL) return {Errc::TlsFailed};
  const int reason = ERR_GET_REASON(packed);
  if (reason == SSL_R_CERTIFICATE_VERIFY_FAILED) return {Errc::PeerCertificateUntrusted};
  // A peer that ends the connection without close_notify mid-handshake: closed, not refused.
  if (reason == SSL_R_UNEXPECTED_EOF_WHILE_READING) return {};
  if (reason > SSL_AD_REASON_OFFSET && reason <= SSL_AD_REASON_OFFSET + kLastAlert) {
    const int alert = reason - SSL_AD_REASON_OFFSET;
    return {refuses_our_certificate(alert) ? Errc::CertificateRefused : Errc::TlsFailed, alert};
  }
  return {Errc::TlsFailed};
}

} // namespace net
