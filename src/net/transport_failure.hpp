#pragma once
// What a failed TLS handshake, read or write says about who ended the connection and why,
// decided from OpenSSL's error code and the socket's error, never from their text. Private to
// src/net: the client turns it into its RequestError.

#include "net/asio.hpp"
#include "net/error.hpp"

namespace net {

struct TransportFailure {
  // ConnectionClosed (reset, closed, refused: nothing to blame on either certificate),
  // PeerCertificateUntrusted, CertificateRefused, or TlsFailed (any other TLS failure).
  Errc kind = Errc::ConnectionClosed;
  int tls_alert = 0; // the alert the peer sent (RFC 8446 §6), 0 when none
};

// `ec` from an Asio TLS or TCP operation. The TLS alerts that refuse our certificate are
// bad_certificate, unsupported_certificate, certificate_revoked, certificate_expired,
// certificate_unknown, unknown_ca and TLS 1.3's certificate_required (im-voip-flow.md §4.5).
TransportFailure classify_transport_failure(const boost::system::error_code& ec);

} // namespace net
