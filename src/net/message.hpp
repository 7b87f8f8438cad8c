#pragma once
// HTTP messages as the transport hands them over: plain values, no nghttp2 or Asio.

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace net {

struct Header {
  std::string name; // lower-case on received messages (HTTP/2 forbids upper case, RFC 9113 §8.2)
  std::string value;
};
using Headers = std::vector<Header>;

// The first value of `name` in `headers`, or nullptr.
const std::string* find_header(const Headers& headers, std::string_view name);
// How many times `name` occurs (APNs rejects a repeated header, apns-provider-api.md §4.2).
std::size_t count_header(const Headers& headers, std::string_view name);

// Who is on the other end of a server connection; fixed for the connection's lifetime.
struct PeerInfo {
  std::uint64_t connection_id = 0; // unique per server, in accept order
  std::string remote_address;
  std::uint16_t remote_port = 0;
  bool tls = false;
  std::string tls_version; // e.g. "TLSv1.3"; empty for h2c
  std::string alpn;        // negotiated protocol; empty when the client offered no ALPN
  bool has_client_certificate = false;
  std::string client_subject; // RFC 2253 one-line subject of the verified client certificate
  std::string client_certificate_der; // DER bytes of that certificate, for classification
};

struct Request {
  std::string method;
  std::string scheme;
  std::string authority;
  std::string path;
  Headers headers; // regular fields in arrival order, duplicates kept
  std::string body;
  std::shared_ptr<const PeerInfo> peer; // set on the server side
};

struct Response {
  int status = 200;
  Headers headers; // regular fields; `:status` comes from `status`
  std::string body;
};

} // namespace net
