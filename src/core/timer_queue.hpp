#pragma once
// Pending timers ordered by (due time, scheduling order); shared by both clocks. Not
// thread-safe: each clock guards it with its own mutex.

#include "core/clock.hpp"

#include <map>
#include <optional>
#include <utility>

namespace core {

class TimerQueue {
public:
  Clock::TimerId add(TimePoint at, Clock::Callback callback);
  bool remove(Clock::TimerId id);
  std::optional<TimePoint> earliest() const;
  // Removes and returns the earliest timer when it is due at or before `limit`.
  std::optional<std::pair<TimePoint, Clock::Callback>> pop_due(TimePoint limit);
  std::size_t size() const { return timers_.size(); }

private:
  // Ids grow monotonically, so (time, id) orders same-instant timers by scheduling order.
  std::map<std::pair<TimePoint, Clock::TimerId>, Clock::Callback> timers_;
  std::map<Clock::TimerId, TimePoint> due_by_id_;
  Clock::TimerId next_id_ = 1;
};

} // namespace core
