#pragma once
// The HTTP/1.1 server of voipsim's JSON APIs (the mock's admin API, the pipeline's API): plain
// TCP, keep-alive, a body limit, one I/O thread. A handler answers each request at once or later
// (long-poll), or turns the connection into an event stream (server-sent events). The
// counterpart of http1_client.hpp; the APNs path is HTTP/2 (server.hpp).

#include "core/result.hpp"
#include "net/bearer_auth.hpp"
#include "net/http1_message.hpp"
#include "net/request_guard.hpp"

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace net {

// One request on one connection. Every member may be called from any thread; the callbacks
// run on the connection's I/O thread. Calls after the connection closed do nothing.
class Http1Exchange {
public:
  virtual ~Http1Exchange() = default;
  virtual const Http1Request& request() const = 0;
  // Sends the answer (once); the connection then reads its next request.
  virtual void respond(Http1Response response) = 0;
  // Instead of respond(): a 200 whose body never ends ("Connection: close"); write() sends it.
  // Over Http1ServerOptions::max_waiting the server answers 503 instead, and on_close runs.
  virtual void start_stream(std::string content_type) = 0;
  // After start_stream(): sends `chunk`; `done(false)` when the client is gone or no stream
  // was started.
  virtual void write(std::string chunk, std::function<void(bool sent)> done) = 0;
  // Runs `fired` after `delay` unless cancel_timer() or the end of the exchange comes first.
  // One timer per exchange: starting another replaces it. The first one makes the exchange a
  // waiting one (a long-poll): over Http1ServerOptions::max_waiting the server answers 503
  // instead and on_close runs; while it waits, a client that hangs up closes the connection.
  virtual void start_timer(std::chrono::milliseconds delay, std::function<void()> fired) = 0;
  virtual void cancel_timer() = 0;
  // Runs `task` on the connection's thread.
  virtual void post(std::function<void()> task) = 0;
  // Called once when the exchange ends without the handler's answer: the client left, stop(),
  // or the server refused the wait (503). What the handler waits on must be released there.
  // Registered after that end, it runs at once.
  virtual void on_close(std::function<void()> closed) = 0;
};

// Runs on the server's I/O thread for each request that passed the request guard
// (request_guard.hpp) and the bearer secret. A HEAD request reaches it as a GET; the server
// sends the answer's head only. An exception becomes a 500 that names it, and the server
// carries on.
using Http1Handler = std::function<void(const std::shared_ptr<Http1Exchange>& exchange)>;
// The common case: a handler that answers at once.
Http1Handler answer_at_once(std::function<Http1Response(const Http1Request&)> handler);

struct Http1ServerOptions {
  std::string host = "127.0.0.1";
  std::uint16_t port = 0;                         // 0: pick a free port
  std::size_t body_limit = std::size_t{16} << 20; // larger bodies: 413 BODY_TOO_LARGE
  std::string server_name = "voipsim";            // the Server header
  // A connection with no request (or an unfinished one) for this long is closed; one waiting
  // for its answer or streaming is not.
  std::chrono::milliseconds idle_timeout{60'000};
  // At this many connections a new one closes the one that has waited longest for a request
  // (idle or slow); when every connection is busy, it gets a 503 with Retry-After instead.
  std::size_t max_connections = 4096;
  // Long-polls and event streams open at once (exchanges that started a timer or a stream);
  // beyond this, 503 with Retry-After. Kept below max_connections, so that a client holding
  // every stream it may still leaves room for health checks and ordinary calls.
  std::size_t max_waiting = 1024;
  // The 413's message: what to do instead of sending a larger body.
  std::string too_large_message = "request body over the limit";
  // Names besides loopback ones and IP addresses that Host may carry (request_guard.hpp), and
  // the flag that adds one, for the 421's message.
  std::vector<std::string> allowed_hosts{};
  std::string allow_flag = "--allow-host";
  // With a secret, a request without it gets 401 before the handler runs (bearer_auth.hpp).
  BearerAuth auth;
};

class Http1Server {
public:
  Http1Server(Http1ServerOptions options, Http1Handler handler);
  ~Http1Server(); // stop()
  Http1Server(const Http1Server&) = delete;
  Http1Server& operator=(const Http1Server&) = delete;

  // Listens; fails with a message naming the address when it cannot.
  core::Result<void> start();
  // Closes the listener and every connection, waits for the I/O thread. Idempotent.
  void stop();
  std::uint16_t port() const;

  struct Impl;

private:
  std::shared_ptr<Impl> impl_;
};

} // namespace net
