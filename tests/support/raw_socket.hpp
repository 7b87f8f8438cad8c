#pragma once
// A raw loopback TCP connection for tests that play a client no HTTP library would be: one
// that never sends a request, sends half of one, hangs up mid-wait, or is one of thousands.

#include <cstdint>
#include <string>

namespace support {

class RawSocket {
public:
  // Connects to 127.0.0.1:`port`; connected() is false when that failed. Every read below is
  // bounded (20 s).
  explicit RawSocket(std::uint16_t port);
  RawSocket(RawSocket&& other) noexcept;
  RawSocket& operator=(RawSocket&&) = delete;
  ~RawSocket();

  bool connected() const { return fd_ >= 0; }
  bool send_text(const std::string& text);
  // Reads until `marker` has arrived, the peer closes, or 20 s pass.
  std::string read_until(const std::string& marker);
  // True once the server closed the connection (end of stream or a reset).
  bool closed_by_server();
  // Hangs up now.
  void reset();

private:
  int fd_;
};

// "GET target HTTP/1.1" with the Host a loopback client sends.
std::string get_request(const std::string& target, std::uint16_t port);

} // namespace support
