#include "net/stream_deadlines.hpp"

#include <algorithm>

namespace net {

namespace {

constexpr auto by_id = [](const auto& entry, std::int32_t id) { return entry.stream_id < id; };

} // namespace

void StreamDeadlines::add(std::int32_t stream_id, TimePoint deadline) {
  ++live_;
  if (entries_.empty() || entries_.back().stream_id < stream_id) {
    entries_.push_back({stream_id, true, deadline});
    return;
  }
  // Not reached with a conforming peer (nghttp2 refuses a lower or reused id); kept sorted
  // regardless, so that removal finds it. Its later deadline, ahead of earlier ones, can only
  // delay the expiry of the streams behind it, never make one expire early.
  const auto at = std::lower_bound(entries_.begin(), entries_.end(), stream_id, by_id);
  if (at != entries_.end() && at->stream_id == stream_id) {
    if (at->live) --live_;
    *at = {stream_id, true, deadline};
    return;
  }
  entries_.insert(at, {stream_id, true, deadline});
}

bool StreamDeadlines::remove(std::int32_t stream_id) {
  const auto at = std::lower_bound(entries_.begin(), entries_.end(), stream_id, by_id);
  if (at == entries_.end() || at->stream_id != stream_id || !at->live) return false;
  at->live = false;
  --live_;
  tidy();
  return true;
}

std::optional<std::int32_t> StreamDeadlines::pop_expired(TimePoint now) {
  if (live_ == 0 || entries_.front().deadline > now) return std::nullopt;
  const std::int32_t stream_id = entries_.front().stream_id;
  entries_.pop_front();
  --live_;
  tidy();
  return stream_id;
}

void StreamDeadlines::tidy() {
  while (!entries_.empty() && !entries_.front().live)
    entries_.pop_front();
  const std::size_t removed = entries_.size() - live_;
  if (removed > 64 && removed > live_)
    std::erase_if(entries_, [](const Entry& e) { return !e.live; });
}

} // namespace net
