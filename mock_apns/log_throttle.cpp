#include "mock_apns/log_throttle.hpp"

namespace mock_apns {

std::optional<std::uint64_t> LogThrottle::admit(core::TimePoint now) {
  std::lock_guard lock(mutex_);
  // A clock that went back (a virtual one reset, a system clock adjusted) opens the gate.
  if (last_line_ && now >= *last_line_ && now - *last_line_ < interval_) {
    ++suppressed_;
    return std::nullopt;
  }
  last_line_ = now;
  const std::uint64_t suppressed = suppressed_;
  suppressed_ = 0;
  return suppressed;
}

} // namespace mock_apns
