#pragma once
// The one source of time for everything that models APNs, the device and the pipeline: nothing
// reads the system's time directly. Live runs use SystemClock; replays and tests use VirtualClock,
// which only moves when advanced, so an hour of JWT validity passes in microseconds and the
// same scenario yields the same timeline every run.

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>

namespace core {

using TimePoint = std::chrono::system_clock::time_point;
using Duration = std::chrono::system_clock::duration;

// Wall time plus one-shot timers. All members are thread-safe.
class Clock {
public:
  using TimerId = std::uint64_t;
  using Callback = std::function<void()>;

  virtual ~Clock() = default;

  virtual TimePoint now() const = 0;

  // Runs `callback` once, at or after `at`. Timers due at the same instant run in the order
  // they were scheduled. Callbacks must not throw.
  virtual TimerId schedule_at(TimePoint at, Callback callback) = 0;
  TimerId schedule_after(Duration delay, Callback callback) {
    return schedule_at(now() + delay, std::move(callback));
  }

  // True when the timer was pending and now never runs; false when it already ran or was unknown.
  virtual bool cancel(TimerId id) = 0;
};

// Seconds since the UNIX epoch, as JWT `iat` and `apns-expiration` count them.
std::int64_t unix_seconds(TimePoint t);
// Milliseconds since the UNIX epoch, as the APNs 410 `timestamp` counts them.
std::int64_t unix_millis(TimePoint t);
TimePoint from_unix_seconds(std::int64_t seconds);
// The time point `millis` after the epoch; past the clock's range (the year 2262 for nanoseconds)
// it is the last (or first) one there is, so a bound that far out is simply no bound.
TimePoint from_unix_millis(std::int64_t millis);

// Real time. Timer callbacks run on one internal thread, started on first use; a callback that
// needs another thread must post itself there. Pending timers are dropped on destruction.
class SystemClock final : public Clock {
public:
  SystemClock();
  ~SystemClock() override;
  SystemClock(const SystemClock&) = delete;
  SystemClock& operator=(const SystemClock&) = delete;

  TimePoint now() const override;
  TimerId schedule_at(TimePoint at, Callback callback) override;
  bool cancel(TimerId id) override;

private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// Time that moves only when advance() or advance_to() is called; due timers run inside that
// call, on the caller's thread, in due order, with now() equal to each timer's due time.
class VirtualClock final : public Clock {
public:
  explicit VirtualClock(TimePoint start = from_unix_seconds(1'767'225'600)); // 2026-01-01 UTC
  ~VirtualClock() override;
  VirtualClock(const VirtualClock&) = delete;
  VirtualClock& operator=(const VirtualClock&) = delete;

  TimePoint now() const override;
  TimerId schedule_at(TimePoint at, Callback callback) override;
  bool cancel(TimerId id) override;

  // Moves time forward, running every timer due up to the new time, including timers that
  // those callbacks schedule within the window. Moving backwards is ignored.
  void advance(Duration by);
  void advance_to(TimePoint to);
  std::size_t pending_timers() const;
  // When the earliest pending timer is due; nullopt when none is. A runner that must let other
  // threads react to each timer before the next one fires advances to this, one step at a time.
  std::optional<TimePoint> next_due() const;

private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

} // namespace core
