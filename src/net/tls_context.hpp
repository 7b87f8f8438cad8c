#pragma once
// Builds OpenSSL contexts for listeners and clients and reads the negotiated result.
// Private to src/net.

#include "core/result.hpp"
#include "net/asio.hpp"
#include "net/message.hpp"
#include "net/tls_config.hpp"

#include <memory>

namespace net {

using SslContext = boost::asio::ssl::context;

// TLS >= 1.2; ALPN accepts only h2 and fails the handshake with a fatal alert otherwise (a
// client offering no ALPN still gets through, apns-provider-api.md §2); client certificates per
// the mode.
core::Result<std::shared_ptr<SslContext>> make_server_tls_context(const TlsServerConfig& config);

// TLS >= 1.2; server verified against the CA; ALPN from the config; optional client certificate.
core::Result<std::shared_ptr<SslContext>> make_client_tls_context(const TlsClientConfig& config);

// Client side, before the handshake: sends `name` as SNI (names only, RFC 6066 §3) and makes
// certificate verification check it (DNS name or IP address SAN).
core::Result<void> expect_server_name(SSL* ssl, const std::string& name);

// Fills the TLS fields of `peer` from a completed handshake.
void describe_tls_peer(SSL* ssl, PeerInfo& peer);

// The ALPN protocol the handshake selected, or empty.
std::string negotiated_alpn(SSL* ssl);

// The most specific text for a failed handshake: OpenSSL's reason plus the verify result.
std::string describe_tls_failure(SSL* ssl, const boost::system::error_code& ec);

} // namespace net
