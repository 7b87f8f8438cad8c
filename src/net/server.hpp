#pragma once
// net::Server: an HTTP/2 server over TLS (ALPN h2) or cleartext h2c with prior knowledge.
// The application sees complete requests and answers them, at once or later, from any thread.
// Knows HTTP/2, not APNs.

#include "core/result.hpp"
#include "net/h2_settings.hpp"
#include "net/message.hpp"
#include "net/tls_config.hpp"

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>

namespace net {

namespace detail {
class ConnectionCore;
}

// Answers one request. Cheap to copy; holds only a weak reference to the connection, so it
// may outlive it. Thread-safe; after Server::stop() returns it does nothing, but a call must
// not race with the Server's destructor.
class Responder {
public:
  Responder(std::weak_ptr<detail::ConnectionCore> connection, std::int32_t stream_id)
      : connection_(std::move(connection)), stream_id_(stream_id) {}

  // Sends `response` on the request's stream; the first call wins. Returns false when the
  // connection or stream is known to be gone or the stream was already answered. Called off
  // the connection's thread it queues the response and returns true; a response that finds
  // its stream closed is dropped and counted in ServerStats::late_responses.
  bool respond(Response response) const;
  // The same for a response the caller keeps and reuses: on the connection's thread its fields
  // are copied into buffers the stream keeps from one response to the next, so a handler that
  // answers from a member Response allocates nothing per request; elsewhere a copy is queued.
  bool respond_copy(const Response& response) const;
  std::int32_t stream_id() const { return stream_id_; }

private:
  std::weak_ptr<detail::ConnectionCore> connection_;
  std::int32_t stream_id_;
};

// Control over one connection for its handler (APNs closes connections with a reason and
// raises MAX_CONCURRENT_STREAMS after the first valid provider token). Thread-safe; does
// nothing once the connection is gone; from inside the HandlerFactory only
// set_max_concurrent_streams has an effect.
class ConnectionHandle {
public:
  explicit ConnectionHandle(std::weak_ptr<detail::ConnectionCore> connection)
      : connection_(std::move(connection)) {}

  // Sends GOAWAY(error_code, debug_data) naming `last_stream_id` (negative: the last stream
  // processed), reads nothing more and closes once it is written.
  void close_with_goaway(std::uint32_t error_code, std::string debug_data,
                         std::int32_t last_stream_id = -1) const;
  // Advertises a new SETTINGS_MAX_CONCURRENT_STREAMS, after the frames already submitted (a
  // response given just before goes out first). Called from the HandlerFactory, it sets the
  // value of the connection's initial SETTINGS instead.
  void set_max_concurrent_streams(std::uint32_t max_streams) const;
  // Closes the connection at once, as a failed network would: no GOAWAY, frames not yet
  // written are lost and open streams get no answer (a mock's "connection dropped" fault).
  void drop() const;

private:
  std::weak_ptr<detail::ConnectionCore> connection_;
};

enum class GoawayCause { Shutdown, IdleTimeout, TooManyStreams };

// Per-connection application logic. All calls come on the connection's I/O thread.
class Handler {
public:
  virtual ~Handler() = default;
  // A complete request. Must not block; answer through `responder` now or later. An
  // exception becomes a 500 response.
  virtual void on_request(Request&& request, Responder responder) = 0;
  // The body passed ServerOptions::max_request_body: `head` has the headers and an empty body,
  // the rest of the body is discarded. Default: 413 with no body.
  virtual void on_request_too_large(Request&& head, Responder responder);
  // A request whose HEADERS came without END_STREAM was not complete within
  // ServerOptions::stream_idle_timeout: `head` has its headers and the body so far. A later
  // on_request for it is not made. Default: 408.
  virtual void on_request_idle(const Request& head, Responder responder);
  // Debug data for the GOAWAY the server sends when it closes the connection itself.
  virtual std::string goaway_debug_data(GoawayCause /*cause*/) { return {}; }
  // The connection is closed; nothing else is called after this.
  virtual void on_connection_closed() {}
};

// Makes the handler of a new connection, once its handshake is done, on its I/O thread.
using HandlerFactory =
    std::function<std::shared_ptr<Handler>(const PeerInfo& peer, ConnectionHandle connection)>;

// One handler shared by all connections, for handlers that keep no per-connection state.
// `handle` is called on many I/O threads at once.
HandlerFactory handle_each(std::function<void(Request&&, Responder)> handle);

struct ServerOptions {
  std::string host = "127.0.0.1";     // address or name to listen on
  std::uint16_t port = 0;             // 0: pick a free port; Server::port() reports it
  std::size_t threads = 1;            // I/O threads; connections are spread over them
  std::optional<TlsServerConfig> tls; // unset: cleartext h2c with prior knowledge
  H2Settings settings;                // advertised in the initial SETTINGS
  std::size_t max_request_body = std::size_t{8} << 20;  // larger: Handler::on_request_too_large
  std::size_t write_high_water = std::size_t{64} << 10; // bytes gathered per socket write
  std::chrono::milliseconds handshake_timeout{10'000};  // TLS handshake
  std::chrono::milliseconds idle_timeout{3'600'000};    // nothing received: GOAWAY and close
  // A request whose body is not complete this long after its HEADERS: Handler::on_request_idle.
  // 0: wait forever.
  std::chrono::milliseconds stream_idle_timeout{0};
  // Between the shutdown notice and the final GOAWAY when the client does not answer our PING.
  std::chrono::milliseconds shutdown_grace{2'000};
  // Longest wait for in-flight streams after the final GOAWAY; then connections are cut.
  std::chrono::milliseconds shutdown_timeout{10'000};
  HandlerFactory handler;
  // Called on the I/O thread when a TLS handshake fails or times out, with the reason (e.g.
  // "peer did not return a certificate", "unsupported protocol"). Optional.
  std::function<void(const PeerInfo& peer, const std::string& reason)> on_handshake_failure;
};

struct ServerStats {
  std::uint64_t connections_accepted = 0;
  std::uint64_t connections_open = 0;
  std::uint64_t handshake_failures = 0;
  std::uint64_t requests = 0;
  std::uint64_t handler_exceptions = 0;
  std::uint64_t late_responses = 0; // answers that found their stream closed
};

// Thread-safe. start() once; stop() (or the destructor) ends it.
class Server {
public:
  explicit Server(ServerOptions options);
  ~Server();
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  // Validates the options, loads certificates, binds and starts the I/O threads.
  core::Result<void> start();
  std::uint16_t port() const;

  // Graceful shutdown, without waiting: stop accepting; each connection gets a shutdown
  // notice (GOAWAY with the highest stream id) and a PING, then — on the PING's answer or
  // after shutdown_grace — a GOAWAY naming its last processed stream. In-flight streams
  // finish; then the connection closes.
  void shutdown();
  // shutdown(), waits for every connection to close (cutting those still open after
  // shutdown_timeout) and joins the I/O threads. Idempotent; never call from a handler
  // (shutdown() is fine there).
  void stop();

  ServerStats stats() const;

  struct Impl;

private:
  std::unique_ptr<Impl> impl_;
};

} // namespace net
