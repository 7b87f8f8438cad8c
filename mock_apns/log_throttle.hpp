#pragma once
// At most one log line per interval for events that can come in floods (refused TLS handshakes:
// a client retrying with the wrong certificate). Thread-safe: called from any I/O thread.
#include "core/clock.hpp"

#include <cstdint>
#include <mutex>
#include <optional>

namespace mock_apns {

class LogThrottle {
public:
  explicit LogThrottle(core::Duration interval = std::chrono::seconds(1)) : interval_(interval) {}

  // An event at `now`: when a line may be written, how many events went unwritten since the
  // last line (0 for none); nullopt when this one is to be counted and left unwritten.
  std::optional<std::uint64_t> admit(core::TimePoint now);

private:
  std::mutex mutex_;
  core::Duration interval_;
  std::optional<core::TimePoint> last_line_;
  std::uint64_t suppressed_ = 0;
};

} // namespace mock_apns
