#pragma once
// What Responder and ConnectionHandle reach through their weak reference: the thread-safe
// surface of a server connection. Private to src/net.

#include "net/message.hpp"

#include <cstdint>
#include <string>

namespace net::detail {

class ConnectionCore {
public:
  virtual ~ConnectionCore() = default;
  virtual bool respond(std::int32_t stream_id, Response&& response) = 0;
  virtual bool respond_copy(std::int32_t stream_id, const Response& response) = 0;
  virtual void close_with_goaway(std::uint32_t error_code, std::string debug_data,
                                 std::int32_t last_stream_id) = 0;
  virtual void set_max_concurrent_streams(std::uint32_t max_streams) = 0;
  virtual void drop() = 0;
  // Server shutdown; both run on the connection's thread.
  virtual void begin_shutdown() = 0;
  virtual void force_close() = 0;
};

} // namespace net::detail
