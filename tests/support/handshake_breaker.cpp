#include "support/handshake_breaker.hpp"

#include <cerrno>
#include <cstring>
#include <stdexcept>
#include <string>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

namespace support {
namespace {

[[noreturn]] void fail(const std::string& what) {
  throw std::runtime_error("HandshakeBreaker: " + what + ": " + std::strerror(errno));
}

bool wait_readable(int fd) {
  pollfd readable{fd, POLLIN, 0};
  return ::poll(&readable, 1, static_cast<int>(kEventTimeout.count() * 1000)) > 0;
}

} // namespace

HandshakeBreaker::HandshakeBreaker(Ending ending) : ending_(ending) {
  if (::pipe(wake_) != 0) fail("pipe");
  listener_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (listener_ < 0) fail("socket");
  const int on = 1;
  ::setsockopt(listener_, SOL_SOCKET, SO_REUSEADDR, &on, sizeof on);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::bind(listener_, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0) fail("bind");
  if (::listen(listener_, 16) != 0) fail("listen");
  socklen_t length = sizeof address;
  if (::getsockname(listener_, reinterpret_cast<sockaddr*>(&address), &length) != 0)
    fail("getsockname");
  port_ = ntohs(address.sin_port);
  thread_ = std::thread([this] { run(); });
}

HandshakeBreaker::~HandshakeBreaker() {
  stop();
  ::close(wake_[0]);
  ::close(wake_[1]);
}

void HandshakeBreaker::stop() {
  if (!thread_.joinable()) return;
  (void)!::write(wake_[1], "x", 1);
  thread_.join();
  for (const int fd : held_)
    ::close(fd);
  held_.clear();
  ::close(listener_);
  listener_ = -1;
}

void HandshakeBreaker::run() {
  for (;;) {
    pollfd fds[2] = {{listener_, POLLIN, 0}, {wake_[0], POLLIN, 0}};
    if (::poll(fds, 2, -1) < 0 && errno != EINTR) return;
    if (fds[1].revents != 0) return;
    if ((fds[0].revents & POLLIN) == 0) continue;
    const int fd = ::accept4(listener_, nullptr, nullptr, SOCK_CLOEXEC);
    if (fd < 0) continue;
    // The client's first bytes, so that the break lands inside its handshake.
    if (wait_readable(fd)) (void)::recv(fd, buffer_, sizeof buffer_, 0);
    if (ending_ == Ending::Hold) {
      held_.push_back(fd);
      broken_.add();
      continue;
    }
    if (ending_ == Ending::Reset) {
      const linger abort{1, 0};
      ::setsockopt(fd, SOL_SOCKET, SO_LINGER, &abort, sizeof abort);
    } else {
      // FIN, then read until the client closes too: closing with unread bytes would send RST.
      ::shutdown(fd, SHUT_WR);
      while (wait_readable(fd) && ::recv(fd, buffer_, sizeof buffer_, 0) > 0) {
      }
    }
    ::close(fd);
    broken_.add();
  }
}

} // namespace support
