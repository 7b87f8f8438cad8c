#include "core/timer_queue.hpp"

namespace core {

Clock::TimerId TimerQueue::add(TimePoint at, Clock::Callback callback) {
  const Clock::TimerId id = next_id_++;
  timers_.emplace(std::pair{at, id}, std::move(callback));
  due_by_id_.emplace(id, at);
  return id;
}

bool TimerQueue::remove(Clock::TimerId id) {
  const auto it = due_by_id_.find(id);
  if (it == due_by_id_.end()) return false;
  timers_.erase(std::pair{it->second, id});
  due_by_id_.erase(it);
  return true;
}

std::optional<TimePoint> TimerQueue::earliest() const {
  if (timers_.empty()) return std::nullopt;
  return timers_.begin()->first.first;
}

std::optional<std::pair<TimePoint, Clock::Callback>> TimerQueue::pop_due(TimePoint limit) {
  if (timers_.empty() || timers_.begin()->first.first > limit) return std::nullopt;
  auto node = timers_.extract(timers_.begin());
  due_by_id_.erase(node.key().second);
  return std::pair{node.key().first, std::move(node.mapped())};
}

} // namespace core
