#include "net/error.hpp"

#include <string>

#include <nghttp2/nghttp2.h>

namespace net {
namespace {

class NetCategory final : public std::error_category {
public:
  const char* name() const noexcept override { return "voipsim.net"; }
  std::string message(int ev) const override {
    switch (static_cast<Errc>(ev)) {
    case Errc::InvalidOptions:
      return "invalid options";
    case Errc::ConnectFailed:
      return "connect failed";
    case Errc::TlsFailed:
      return "TLS handshake failed";
    case Errc::PeerCertificateUntrusted:
      return "peer certificate not trusted";
    case Errc::CertificateRefused:
      return "our certificate refused by the peer";
    case Errc::NotHttp2:
      return "peer did not negotiate HTTP/2";
    case Errc::StreamReset:
      return "stream reset by peer";
    case Errc::GoAway:
      return "connection going away; request not processed";
    case Errc::Timeout:
      return "timed out";
    case Errc::ConnectionClosed:
      return "connection closed before the request completed";
    case Errc::BodyTooLarge:
      return "body too large";
    case Errc::ProtocolError:
      return "HTTP/2 protocol error";
    case Errc::Cancelled:
      return "cancelled";
    case Errc::QueueFull:
      return "request queue full";
    }
    return "unknown net error";
  }
};

class Nghttp2Category final : public std::error_category {
public:
  const char* name() const noexcept override { return "nghttp2"; }
  std::string message(int ev) const override { return nghttp2_strerror(ev); }
};

class H2Category final : public std::error_category {
public:
  const char* name() const noexcept override { return "h2"; }
  std::string message(int ev) const override {
    return nghttp2_http2_strerror(static_cast<std::uint32_t>(ev));
  }
};

} // namespace

const std::error_category& net_category() noexcept {
  static const NetCategory category;
  return category;
}

std::error_code make_error_code(Errc e) noexcept {
  return {static_cast<int>(e), net_category()};
}

const std::error_category& nghttp2_category() noexcept {
  static const Nghttp2Category category;
  return category;
}

std::error_code make_nghttp2_error(int lib_error) noexcept {
  return {lib_error, nghttp2_category()};
}

const std::error_category& h2_category() noexcept {
  static const H2Category category;
  return category;
}

std::error_code make_h2_error(std::uint32_t h2_error) noexcept {
  return {static_cast<int>(h2_error), h2_category()};
}

} // namespace net
