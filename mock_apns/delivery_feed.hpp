#pragma once
// Recent deliveries for consumers outside the process (the admin API's long-poll and event
// stream): a bounded ring with its own gap-free cursor, so a consumer that reconnects with the
// last cursor it saw misses nothing the ring still holds. Thread-safe.
#include "mock_apns/delivery.hpp"

#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
#include <utility>
#include <vector>

namespace mock_apns {

class DeliveryFeed {
public:
  explicit DeliveryFeed(std::size_t capacity = 4096);

  void push(const Delivery& delivery);
  // Deliveries with a cursor above `after`, oldest first, at most `limit`.
  std::vector<std::pair<std::uint64_t, Delivery>> since(std::uint64_t after,
                                                        std::size_t limit) const;
  std::uint64_t last_cursor() const;
  // Calls `notify` once, on the pushing thread (or at once, here, when something newer than
  // `after` is already there). Returns an id for cancel(); 0 when it was called at once.
  std::uint64_t notify_after(std::uint64_t after, std::function<void()> notify);
  void cancel(std::uint64_t id);

private:
  std::size_t capacity_;
  mutable std::mutex mutex_;
  // ring_[cursor % capacity] holds cursor's delivery; slots are overwritten in place, reusing
  // their string buffers.
  std::vector<std::pair<std::uint64_t, Delivery>> ring_;
  std::uint64_t last_ = 0;
  std::map<std::uint64_t, std::function<void()>> waiters_;
  std::uint64_t next_waiter_ = 1;
};

} // namespace mock_apns
