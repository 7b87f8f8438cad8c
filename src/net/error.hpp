#pragma once
// Transport error codes: our own conditions (net_category), nghttp2 library return codes
// (nghttp2_category, with nghttp2_strerror text) and HTTP/2 wire error codes from RST_STREAM and
// GOAWAY frames (h2_category, RFC 9113 §7). Built like Beast's error enum + category.

#include <cstdint>
#include <system_error>

namespace net {

enum class Errc {
  InvalidOptions = 1, // options that start() or the constructor cannot use
  ConnectFailed,      // name resolution or TCP connect failed (refused, unreachable)
  TlsFailed,          // TLS handshake failed for a reason none of the two below names
  // The peer's certificate did not verify against our trust anchors (or name).
  PeerCertificateUntrusted,
  // The peer refused our certificate with a TLS alert (bad_certificate, unknown_ca,
  // certificate_required, ...); under TLS 1.3 it comes just after our side of the handshake.
  CertificateRefused,
  NotHttp2,         // the peer negotiated something other than h2 via ALPN
  StreamReset,      // the peer reset the stream (RST_STREAM)
  GoAway,           // the connection is going away and did not process this request
  Timeout,          // connect, handshake, request or ping deadline passed
  ConnectionClosed, // the connection ended (reset, closed; also mid-handshake) before the answer
  BodyTooLarge,     // a body exceeded the configured limit
  ProtocolError,    // the peer broke HTTP/2; the session cannot continue
  Cancelled,        // the client was closed or destroyed with the request pending
  QueueFull,        // more requests waiting than ClientOptions::max_queued_requests
};

const std::error_category& net_category() noexcept;
std::error_code make_error_code(Errc e) noexcept;

// nghttp2 library errors (negative `int`s such as NGHTTP2_ERR_CALLBACK_FAILURE).
const std::error_category& nghttp2_category() noexcept;
std::error_code make_nghttp2_error(int lib_error) noexcept;

// HTTP/2 error codes carried by RST_STREAM and GOAWAY (NO_ERROR, PROTOCOL_ERROR, ...).
const std::error_category& h2_category() noexcept;
std::error_code make_h2_error(std::uint32_t h2_error) noexcept;

} // namespace net

template <>
struct std::is_error_code_enum<net::Errc> : std::true_type {};
