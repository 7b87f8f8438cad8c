#pragma once
// net::Client: one HTTP/2 connection to a server, over TLS or h2c, shared by many concurrent
// requests. Requests beyond the server's MAX_CONCURRENT_STREAMS wait in a queue. Every request
// ends exactly once: with a response, or with a RequestError that says what failed and whether
// retrying it is safe.

#include "core/result.hpp"
#include "net/h2_settings.hpp"
#include "net/io_threads.hpp"
#include "net/message.hpp"
#include "net/tls_config.hpp"

#include <chrono>
#include <cstdint>
#include <functional>
#include <future>
#include <memory>
#include <optional>
#include <string>

namespace net {

struct GoawayInfo {
  std::int32_t last_stream_id = 0;
  std::uint32_t error_code = 0;
  std::string debug_data; // APNs puts {"reason":"..."} here (apns-provider-api.md §3.4)
};

// Why a request ended without a response. The dispatcher decides on `code`, `cause`, `tls_alert`
// and `goaway` alone; `message` is for people.
struct RequestError {
  // net::Errc: ConnectFailed, ConnectionClosed, Timeout (no answer: the server is out of reach),
  // CertificateRefused, PeerCertificateUntrusted, TlsFailed, StreamReset, GoAway, ...
  std::error_code code{};
  std::string message{}; // what happened, with the underlying cause
  // True when the server cannot have processed the request: it was never sent, was refused
  // (REFUSED_STREAM), or its stream id is above a GOAWAY's last-stream-id.
  bool retryable = false;
  std::uint32_t h2_error = 0; // HTTP/2 code of the RST_STREAM or GOAWAY involved, if any
  std::error_code cause{};    // the socket's or TLS layer's error underneath (ECONNRESET, ...)
  int tls_alert = 0;          // the TLS alert the peer sent (RFC 8446 §6), 0 when none
  std::optional<GoawayInfo> goaway{}; // the GOAWAY that ended the request, with its debug data
};

using ResponseResult = core::Result<Response, RequestError>;
using ResponseCallback = std::function<void(ResponseResult)>;

struct ClientOptions {
  std::string host = "127.0.0.1";
  std::uint16_t port = 0;
  std::optional<TlsClientConfig> tls; // unset: cleartext h2c with prior knowledge
  std::string authority;              // :authority; empty: "host:port"
  H2Settings settings;                // what this client advertises
  std::size_t max_response_body = std::size_t{8} << 20;
  std::size_t write_high_water = std::size_t{64} << 10;
  std::size_t max_queued_requests = 100'000;         // beyond this, submit fails with QueueFull
  std::chrono::milliseconds connect_timeout{10'000}; // TCP connect + TLS handshake
  std::chrono::milliseconds request_timeout{30'000}; // from submit to response; 0: none
  // With no frame received for this long, send a PING; no answer within the same time closes
  // the connection. 0: never.
  std::chrono::milliseconds ping_interval{0};
  // Called on the client's I/O thread when the server sends GOAWAY.
  std::function<void(const GoawayInfo&)> on_goaway;
};

// Thread-safe. Connects on first use, and again on the next submit after a connection ended
// or received GOAWAY. Callbacks run on the client's I/O thread and must not block.
class Client {
public:
  // `io` must outlive the client.
  Client(IoThreads& io, ClientOptions options);
  // Fails every pending request with Cancelled, on every connection the client opened, and
  // waits for those callbacks. Call it from a thread that is not another client's I/O thread.
  ~Client();
  Client(const Client&) = delete;
  Client& operator=(const Client&) = delete;

  // `request.scheme` and `request.authority` default from the options when empty.
  void submit(Request request, ResponseCallback done);
  std::future<ResponseResult> submit(Request request);
  // Runs `task` on the client's I/O thread: work whose result only that thread uses (building
  // a request there keeps its memory on one thread).
  void post(std::function<void()> task);

  // Lets in-flight requests finish, sends GOAWAY and closes. Queued requests fail with
  // Cancelled (retryable). A later submit opens a new connection.
  void close();

  struct Impl;

private:
  std::shared_ptr<Impl> impl_;
};

} // namespace net
