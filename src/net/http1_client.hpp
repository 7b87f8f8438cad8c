#pragma once
// A small blocking HTTP/1.1 client for the JSON APIs voipsim's parts offer one another (the
// mock's admin API, the pipeline's API) when they run as separate processes: plain TCP, one
// request per connection, one deadline on the whole exchange. The APNs path is HTTP/2
// (client.hpp); this is only for control traffic on loopback.

#include "core/result.hpp"

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>

namespace net {

struct HttpEndpoint {
  std::string host;
  std::uint16_t port = 0;
  // Sent as "Authorization: Bearer <secret>" when not empty (bearer_auth.hpp); never in url().
  std::string bearer_secret{};
  // "http://HOST:PORT", for messages.
  std::string url() const;
};

// "http://HOST:PORT", "http://HOST:PORT/" or "HOST:PORT" ("[::1]:PORT" for IPv6). Anything else
// (https, a path, no port) is an error that says which form is expected.
core::Result<HttpEndpoint> parse_http_endpoint(std::string_view text);

struct HttpReply {
  int status = 0;
  std::string body;
};

// Sends one request (as application/json when it has a body or is not a GET or HEAD) and reads
// the whole answer. Errors: net::Errc::ConnectFailed, Timeout, ConnectionClosed, or the parser's.
core::Result<HttpReply> http1_request(const HttpEndpoint& endpoint, std::string_view method,
                                      std::string_view target, std::string_view body,
                                      std::chrono::milliseconds timeout);

} // namespace net
