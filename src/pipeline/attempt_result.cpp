#include "pipeline/attempt_result.hpp"

#include "core/apns_error_body.hpp"
#include "net/error.hpp"
#include "net/tls_alert.hpp"

namespace pipeline {

AttemptResult attempt_result_of(const net::Response& response) {
  AttemptResult r;
  r.status = response.status;
  if (response.status == 200) return r;
  auto body = core::apns_error_body_of(response.body);
  r.reason = std::move(body.reason);
  r.timestamp_ms = body.timestamp_ms;
  if (r.reason.empty()) r.reason = "HTTP " + std::to_string(response.status);
  return r;
}

AttemptResult attempt_result_of(const net::RequestError& error) {
  AttemptResult r;
  r.reason = error.message;
  if (error.code == net::Errc::CertificateRefused) {
    r.certificate_refused = true;
    // Named by the alert alone, the same text every time (the message holds host and port).
    r.reason = error.tls_alert != 0 ? "APNs refused our certificate with the TLS alert " +
                                          net::tls_alert_name(error.tls_alert)
                                    : "APNs refused our certificate: " + error.message;
    return r;
  }
  if (error.code == net::Errc::PeerCertificateUntrusted) {
    r.permanent = true;
    r.reason = "the APNs server's certificate is not trusted by the CA file (--ca, "
               "DispatcherOptions::ca_file): " +
               error.message;
    return r;
  }
  if (error.code == net::Errc::TlsFailed || error.code == net::Errc::NotHttp2 ||
      error.code == net::Errc::InvalidOptions) {
    // Our TLS settings and the server's do not meet (no common version or cipher, no h2 by
    // ALPN), or ours cannot be used: no retry mends that.
    r.permanent = true;
    return r;
  }
  if (error.goaway) {
    std::string reason = core::apns_error_body_of(error.goaway->debug_data).reason;
    if (names_our_certificate(reason)) {
      r.certificate_refused = true;
      r.reason = std::move(reason);
      return r;
    }
  }
  // Refused by a live server (GOAWAY above its stream, REFUSED_STREAM): replay now. A server
  // that cannot be reached is retried with back-off like any lost connection.
  r.unsent =
      error.retryable && (error.code == net::Errc::GoAway || error.code == net::Errc::StreamReset);
  return r;
}

} // namespace pipeline
