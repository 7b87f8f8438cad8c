#pragma once
// State one Server shares with its connections. Options and the TLS context are fixed after
// start(); each I/O thread has a Slot that only it touches (counters are read by stats()).
// Private to src/net.

#include "net/connection_core.hpp"
#include "net/server.hpp"
#include "net/tls_context.hpp"

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <unordered_map>
#include <vector>

namespace net {

struct ServerRuntime {
  struct alignas(64) Slot {
    std::unordered_map<std::uint64_t, std::weak_ptr<detail::ConnectionCore>> connections;
    std::atomic<std::uint64_t> requests{0};
    std::atomic<std::uint64_t> handler_exceptions{0};
    std::atomic<std::uint64_t> late_responses{0};
  };

  ServerOptions options;
  std::shared_ptr<SslContext> tls;
  std::vector<std::unique_ptr<Slot>> slots;
  std::atomic<bool> shutting_down{false};
  std::atomic<std::uint64_t> connections_accepted{0};
  std::atomic<std::uint64_t> handshake_failures{0};

  // Open connections, so stop() can wait for the last one. Touched once per connection.
  void connection_opened() {
    std::lock_guard lock(mutex_);
    ++open_;
  }
  void connection_closed() {
    std::lock_guard lock(mutex_);
    if (--open_ == 0) all_closed_.notify_all();
  }
  std::uint64_t open_connections() {
    std::lock_guard lock(mutex_);
    return open_;
  }
  template <class Deadline>
  bool wait_all_closed(Deadline deadline) {
    std::unique_lock lock(mutex_);
    return all_closed_.wait_until(lock, deadline, [&] { return open_ == 0; });
  }

private:
  std::mutex mutex_;
  std::condition_variable all_closed_;
  std::uint64_t open_ = 0;
};

} // namespace net
