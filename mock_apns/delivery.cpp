#include "mock_apns/delivery.hpp"

namespace mock_apns {

std::uint64_t DeliveryBus::subscribe(Subscriber subscriber) {
  std::unique_lock lock(mutex_);
  const std::uint64_t id = next_id_++;
  subscribers_.emplace(id, std::move(subscriber));
  return id;
}

bool DeliveryBus::unsubscribe(std::uint64_t id) {
  std::unique_lock lock(mutex_); // waits for publishers holding the shared lock
  return subscribers_.erase(id) > 0;
}

void DeliveryBus::publish(const Delivery& delivery) const {
  std::shared_lock lock(mutex_);
  for (const auto& [id, subscriber] : subscribers_) {
    try {
      subscriber(delivery);
    } catch (...) { // a failing subscriber must not take the I/O thread down
    }
  }
}

} // namespace mock_apns
