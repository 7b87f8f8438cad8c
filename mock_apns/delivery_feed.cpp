#include "mock_apns/delivery_feed.hpp"

#include <algorithm>

namespace mock_apns {

DeliveryFeed::DeliveryFeed(std::size_t capacity)
    : capacity_(std::max<std::size_t>(capacity, 1)), ring_(capacity_) {}

void DeliveryFeed::push(const Delivery& delivery) {
  std::map<std::uint64_t, std::function<void()>> waiters;
  {
    std::lock_guard lock(mutex_);
    auto& slot = ring_[++last_ % capacity_];
    slot.first = last_;
    slot.second = delivery;
    if (waiters_.empty()) {
      return;
    }
    waiters.swap(waiters_);
  }
  for (auto& [id, notify] : waiters) { // outside the lock: a waiter may call since()
    notify();
  }
}

std::vector<std::pair<std::uint64_t, Delivery>> DeliveryFeed::since(std::uint64_t after,
                                                                    std::size_t limit) const {
  std::lock_guard lock(mutex_);
  std::vector<std::pair<std::uint64_t, Delivery>> out;
  const std::uint64_t oldest = last_ >= capacity_ ? last_ - capacity_ + 1 : 1;
  for (std::uint64_t cursor = std::max(after + 1, oldest); cursor <= last_ && out.size() < limit;
       ++cursor) {
    out.push_back(ring_[cursor % capacity_]);
  }
  return out;
}

std::uint64_t DeliveryFeed::last_cursor() const {
  std::lock_guard lock(mutex_);
  return last_;
}

std::uint64_t DeliveryFeed::notify_after(std::uint64_t after, std::function<void()> notify) {
  {
    std::lock_guard lock(mutex_);
    if (last_ <= after) {
      const std::uint64_t id = next_waiter_++;
      waiters_.emplace(id, std::move(notify));
      return id;
    }
  }
  notify();
  return 0;
}

void DeliveryFeed::cancel(std::uint64_t id) {
  std::lock_guard lock(mutex_);
  waiters_.erase(id);
}

} // namespace mock_apns
