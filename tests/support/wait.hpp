#pragma once
// Bounded waits for tests: wait on the event itself, never sleep.

#include <chrono>
#include <condition_variable>
#include <future>
#include <mutex>
#include <optional>

namespace support {

inline constexpr std::chrono::seconds kEventTimeout{20};

// The future's value, or nullopt when it is not ready within `timeout`.
template <class T>
std::optional<T> get_within(std::future<T>& future,
                            std::chrono::milliseconds timeout = kEventTimeout) {
  if (future.wait_for(timeout) != std::future_status::ready) return std::nullopt;
  return future.get();
}

// A counter that threads bump and tests wait on.
class Counter {
public:
  void add(long n = 1) {
    std::lock_guard lock(mutex_);
    value_ += n;
    changed_.notify_all();
  }
  long value() const {
    std::lock_guard lock(mutex_);
    return value_;
  }
  bool wait_for_at_least(long target, std::chrono::milliseconds timeout = kEventTimeout) {
    std::unique_lock lock(mutex_);
    return changed_.wait_for(lock, timeout, [&] { return value_ >= target; });
  }

private:
  mutable std::mutex mutex_;
  std::condition_variable changed_;
  long value_ = 0;
};

} // namespace support
