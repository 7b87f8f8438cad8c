#include "core/clock.hpp"

#include "core/timer_queue.hpp"

#include <condition_variable>
#include <mutex>
#include <thread>

namespace core {

std::int64_t unix_seconds(TimePoint t) {
  return std::chrono::duration_cast<std::chrono::seconds>(t.time_since_epoch()).count();
}

std::int64_t unix_millis(TimePoint t) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(t.time_since_epoch()).count();
}

TimePoint from_unix_seconds(std::int64_t seconds) {
  return TimePoint{std::chrono::seconds{seconds}};
}

TimePoint from_unix_millis(std::int64_t millis) {
  constexpr auto kLast =
      std::chrono::duration_cast<std::chrono::milliseconds>(TimePoint::max().time_since_epoch());
  constexpr auto kFirst =
      std::chrono::duration_cast<std::chrono::milliseconds>(TimePoint::min().time_since_epoch());
  if (millis >= kLast.count()) return TimePoint::max();
  if (millis <= kFirst.count()) return TimePoint::min();
  return TimePoint{std::chrono::milliseconds{millis}};
}

// --- SystemClock -----------------------------------------------------------------------------

struct SystemClock::Impl {
  std::mutex mutex;
  std::condition_variable changed;
  TimerQueue timers;
  bool stopping = false;
  std::thread worker; // started by the first schedule_at

  void run() {
    std::unique_lock lock(mutex);
    while (!stopping) {
      const auto next = timers.earliest();
      if (!next) {
        changed.wait(lock);
        continue;
      }
      if (auto due = timers.pop_due(std::chrono::system_clock::now())) {
        lock.unlock();
        due->second();
        lock.lock();
        continue;
      }
      changed.wait_until(lock, *next);
    }
  }
};

SystemClock::SystemClock() : impl_(std::make_unique<Impl>()) {}

SystemClock::~SystemClock() {
  {
    std::lock_guard lock(impl_->mutex);
    impl_->stopping = true;
  }
  impl_->changed.notify_all();
  if (impl_->worker.joinable()) impl_->worker.join();
}

TimePoint SystemClock::now() const {
  return std::chrono::system_clock::now();
}

Clock::TimerId SystemClock::schedule_at(TimePoint at, Callback callback) {
  std::lock_guard lock(impl_->mutex);
  if (!impl_->worker.joinable()) impl_->worker = std::thread([impl = impl_.get()] { impl->run(); });
  const TimerId id = impl_->timers.add(at, std::move(callback));
  impl_->changed.notify_all();
  return id;
}

bool SystemClock::cancel(TimerId id) {
  std::lock_guard lock(impl_->mutex);
  return impl_->timers.remove(id);
}

// --- VirtualClock ----------------------------------------------------------------------------

struct VirtualClock::Impl {
  mutable std::mutex mutex;
  TimePoint now;
  TimerQueue timers;
};

VirtualClock::VirtualClock(TimePoint start) : impl_(std::make_unique<Impl>()) {
  impl_->now = start;
}

VirtualClock::~VirtualClock() = default;

TimePoint VirtualClock::now() const {
  std::lock_guard lock(impl_->mutex);
  return impl_->now;
}

Clock::TimerId VirtualClock::schedule_at(TimePoint at, Callback callback) {
  std::lock_guard lock(impl_->mutex);
  return impl_->timers.add(at, std::move(callback));
}

bool VirtualClock::cancel(TimerId id) {
  std::lock_guard lock(impl_->mutex);
  return impl_->timers.remove(id);
}

void VirtualClock::advance(Duration by) {
  advance_to(now() + by);
}

void VirtualClock::advance_to(TimePoint to) {
  std::unique_lock lock(impl_->mutex);
  while (auto due = impl_->timers.pop_due(to)) {
    if (due->first > impl_->now) impl_->now = due->first;
    lock.unlock();
    due->second();
    lock.lock();
  }
  if (to > impl_->now) impl_->now = to;
}

std::size_t VirtualClock::pending_timers() const {
  std::lock_guard lock(impl_->mutex);
  return impl_->timers.size();
}

std::optional<TimePoint> VirtualClock::next_due() const {
  std::lock_guard lock(impl_->mutex);
  return impl_->timers.earliest();
}

} // namespace core
