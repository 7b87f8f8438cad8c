#pragma once
// ClientConnection<Stream>: one client connection — resolve, connect, TLS, then requests
// multiplexed over the shared transport loop. Private to src/net.

#include "net/client.hpp"
#include "net/tls_context.hpp"

#include <chrono>
#include <memory>

namespace net {

struct PendingRequest {
  Request request;
  ResponseCallback done;
  std::chrono::steady_clock::time_point deadline; // time_point::max(): none
};

// The client-facing surface of a connection; all calls on the connection's thread.
class ClientConnectionBase {
public:
  virtual ~ClientConnectionBase() = default;
  // False once the connection received GOAWAY, is closing or closed: use a new one.
  virtual bool accepting() const = 0;
  virtual void enqueue(PendingRequest&& request) = 0;
  virtual void close_gracefully() = 0;
  // Fails everything pending with Cancelled and closes at once.
  virtual void cancel_all() = 0;
};

// Starts connecting; call on `io`'s thread.
std::shared_ptr<ClientConnectionBase>
start_client_connection(boost::asio::io_context& io, const ClientOptions& options,
                        const std::shared_ptr<SslContext>& tls);

} // namespace net
