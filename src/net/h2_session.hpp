#pragma once
// H2Session: a sans-I/O owner of one nghttp2_session. It is fed received bytes, asked for bytes
// to send, and reports complete requests (server side) or responses (client side) to an
// H2SessionHandler. No sockets, no Asio: unit tests and fuzzers drive it with byte strings.
// Single-threaded: all calls, and all handler callbacks, happen on the caller's thread.

#include "core/result.hpp"
#include "net/h2_settings.hpp"
#include "net/message.hpp"

#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>

namespace net {

// Events from inside nghttp2's callbacks. Handlers may call H2Session::submit_*() from these,
// but never feed() or pull().
class H2SessionHandler {
public:
  virtual ~H2SessionHandler() = default;
  // Server side: a request arrived whole (END_STREAM seen). `request.peer` is unset.
  virtual void on_request(std::int32_t /*stream_id*/, Request&& /*request*/) {}
  // Server side: HEADERS arrived without END_STREAM; `head` has no body yet.
  virtual void on_request_started(std::int32_t /*stream_id*/, const Request& /*head*/) {}
  // Server side: the request body passed max_body_size. `head` has the headers and an empty
  // body; the rest of the body is read and dropped. The stream waits for a response.
  virtual void on_request_too_large(std::int32_t /*stream_id*/, Request&& /*head*/) {}
  // Client side: a final response arrived whole.
  virtual void on_response(std::int32_t /*stream_id*/, Response&& /*response*/) {}
  // A stream closed; error_code is the HTTP/2 code (0 = NO_ERROR) of a reset, if any.
  virtual void on_stream_close(std::int32_t /*stream_id*/, std::uint32_t /*error_code*/) {}
  // The peer's SETTINGS frame (not an ACK) was applied.
  virtual void on_remote_settings() {}
  virtual void on_goaway(std::int32_t /*last_stream_id*/, std::uint32_t /*error_code*/,
                         std::string_view /*debug_data*/) {}
  // The ACK of a PING this side sent (another peer's PING ACK is ignored).
  virtual void on_ping_ack() {}
  // A GOAWAY this side submitted has been handed over for sending.
  virtual void on_goaway_sent(std::int32_t /*last_stream_id*/) {}
  // Client side: a response body passed max_body_size; the stream is being reset (CANCEL).
  virtual void on_body_too_large(std::int32_t /*stream_id*/) {}
  // Server side: the client opened more streams than the MAX_CONCURRENT_STREAMS it acknowledged
  // (RFC 9113 §5.1.2); the session ends with GOAWAY PROTOCOL_ERROR carrying this debug data.
  virtual std::string too_many_streams_debug_data() { return "too many concurrent streams"; }
};

struct H2SessionOptions {
  H2Settings settings;                              // what this side advertises
  std::size_t max_body_size = std::size_t{8} << 20; // larger: on_request_too_large / reset
};

class H2Session {
public:
  enum class Side { Server, Client };

  // Queues this side's SETTINGS (and the connection window update); pull() then yields them.
  static core::Result<std::unique_ptr<H2Session>> create(Side side, const H2SessionOptions& options,
                                                         H2SessionHandler& handler);
  ~H2Session();
  H2Session(const H2Session&) = delete;
  H2Session& operator=(const H2Session&) = delete;

  // Processes all of `bytes`. An error is fatal: the session may still have a GOAWAY to send,
  // after which the connection must close.
  core::Result<void> feed(std::span<const std::uint8_t> bytes);
  // Appends pending output to `out` until it holds at least `limit` bytes or nothing is left
  // (the last frame may take it past `limit`).
  core::Result<void> pull(std::string& out, std::size_t limit);
  // False for both means the session is over: close once the output is flushed.
  bool want_read() const;
  bool want_write() const;

  // Client side. Header names go out as given: HTTP/2 wants them lower-case, but a test tool
  // must be able to send a malformed request. Fails with Errc::GoAway after a GOAWAY.
  core::Result<std::int32_t> submit_request(Request&& request);
  // Server side. Fails when the stream is closed or was already answered.
  core::Result<void> submit_response(std::int32_t stream_id, Response&& response);
  core::Result<void> submit_response(std::int32_t stream_id, const Response& response);
  bool stream_open(std::int32_t stream_id) const;
  // Server side: the request an open stream is receiving (headers, and the body so far);
  // null once the stream is closed.
  const Request* request_on(std::int32_t stream_id) const;

  void submit_rst_stream(std::int32_t stream_id, std::uint32_t error_code);
  core::Result<void> submit_settings(const H2Settings& settings);
  void submit_ping();
  // First step of a graceful shutdown (RFC 9113 §6.8): GOAWAY with the maximum stream id.
  void submit_shutdown_notice();
  // GOAWAY naming `last_stream_id`, or the last stream this side processed when negative.
  // Fails for an id the peer could not have opened (e.g. an even one from a client).
  core::Result<void> submit_goaway(std::uint32_t error_code, std::string_view debug_data,
                                   std::int32_t last_stream_id = -1);
  std::uint32_t remote_max_concurrent_streams() const;
  bool remote_settings_received() const;

  struct Impl;

private:
  explicit H2Session(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

} // namespace net
