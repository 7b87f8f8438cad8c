#include "pipeline/recent_sends.hpp"

namespace pipeline {

RecentSends::Seen RecentSends::check(const Key& key, core::TimePoint now, IdReady ready,
                                     std::string* known) {
  std::lock_guard lock(mutex_);
  forget_older_than(now - kDuplicateWindow);
  auto [it, inserted] = entries_.try_emplace(key);
  if (inserted) return Seen::New;
  if (!it->second.message_id) {
    it->second.waiting.push_back(std::move(ready));
    return Seen::Waiting;
  }
  *known = *it->second.message_id;
  return Seen::Known;
}

void RecentSends::stored(const Key& key, const std::string& message_id, core::TimePoint at) {
  std::vector<IdReady> waiting;
  {
    std::lock_guard lock(mutex_);
    auto it = entries_.find(key);
    if (it == entries_.end()) return;
    it->second.message_id = message_id;
    it->second.at = at;
    waiting.swap(it->second.waiting);
    by_time_.emplace_back(at, key);
  }
  for (auto& ready : waiting) // outside the lock: they answer HTTP requests
    ready(message_id);
}

void RecentSends::failed(const Key& key) {
  std::vector<IdReady> waiting;
  {
    std::lock_guard lock(mutex_);
    auto it = entries_.find(key);
    if (it == entries_.end()) return;
    waiting.swap(it->second.waiting);
    entries_.erase(it);
  }
  for (auto& ready : waiting)
    ready(std::nullopt);
}

void RecentSends::remember(const Key& key, const std::string& message_id, core::TimePoint at) {
  std::lock_guard lock(mutex_);
  entries_.insert_or_assign(key, Entry{message_id, at, {}});
  by_time_.emplace_back(at, key);
}

void RecentSends::forget_older_than(core::TimePoint oldest) {
  while (!by_time_.empty() && by_time_.front().first < oldest) {
    const auto it = entries_.find(by_time_.front().second);
    // A key sent again after its window has a newer entry: only the one of this time goes.
    if (it != entries_.end() && it->second.message_id && it->second.at == by_time_.front().first)
      entries_.erase(it);
    by_time_.pop_front();
  }
}

} // namespace pipeline
