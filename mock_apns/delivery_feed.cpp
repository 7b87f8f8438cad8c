#include "mock_apns/delivery_feed.hpp"

namespace mock_apns {

void DeliveryFeed::push(const Delivery& delivery) {
  std::map<std::uint64_t, std::function<void()>> waiters;
  {
    std::lock_guard lock(mutex_);
    ring_.emplace_back(++last_, delivery);
    if (ring_.size() > capacity_) {
      ring_.pop_front();
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
  for (const auto& entry : ring_) {
    if (entry.first > after) {
      out.push_back(entry);
      if (out.size() >= limit) {
        break;
      }
    }
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
