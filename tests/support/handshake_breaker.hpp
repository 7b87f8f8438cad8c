#pragma once
// A TCP listener on 127.0.0.1 that plays an APNs whose network fails mid-handshake: it reads
// each connection's first bytes (the client's TLS ClientHello) and then resets the connection
// (SO_LINGER 0: the kernel sends RST), closes it (FIN) or holds it open without a word until it
// stops (a push then stays on the wire). Started in the constructor on an ephemeral port
// (throws if it cannot), stopped and its port freed in stop() or the destructor.

#include "support/wait.hpp"

#include <cstdint>
#include <thread>
#include <vector>

namespace support {

class HandshakeBreaker {
public:
  enum class Ending { Reset, Close, Hold };

  explicit HandshakeBreaker(Ending ending);
  ~HandshakeBreaker();
  HandshakeBreaker(const HandshakeBreaker&) = delete;
  HandshakeBreaker& operator=(const HandshakeBreaker&) = delete;

  std::uint16_t port() const { return port_; }
  // Connections broken (or held) after their first bytes arrived.
  Counter& broken() { return broken_; }
  // Closes the listener (idempotent): the port is free for a real server.
  void stop();

private:
  void run();

  Ending ending_;
  int listener_ = -1;
  int wake_[2] = {-1, -1}; // a pipe: stop() writes to it to end run()'s poll
  std::uint16_t port_ = 0;
  Counter broken_;
  char buffer_[4096];
  std::vector<int> held_; // Hold: closed by stop()
  std::thread thread_;
};

} // namespace support
