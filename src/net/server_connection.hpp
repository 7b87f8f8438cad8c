#pragma once
// ServerConnection<Stream>: one accepted HTTP/2 connection. Adds to the shared transport loop
// the TLS handshake, the per-connection Handler, idle timeout and the two-step graceful
// shutdown. Private to src/net; instantiated for TCP and TLS in the .cpp.

#include "net/connection_core.hpp"
#include "net/h2_connection.hpp"
#include "net/server_runtime.hpp"

#include <memory>

namespace net {

// Creates the connection for an accepted socket and starts it; call on `io`'s thread.
void start_server_connection(boost::asio::io_context& io, Tcp::socket socket,
                             std::shared_ptr<ServerRuntime> runtime, std::size_t slot,
                             PeerInfo peer);

} // namespace net
