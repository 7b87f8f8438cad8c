#pragma once
// Store and forward (apns-provider-api.md §9): while a device is unreachable (airplane mode,
// powered off) APNs keeps at most one notification per (token, topic), the latest, until its
// apns-expiration, or for `zero_expiry_grace` when the expiration is 0 or past, or for 30 days when
// absent; on reconnect it delivers what is still valid. The device side says when it goes on and
// offline. Thread-safe.
#include "core/clock.hpp"
#include "mock_apns/delivery.hpp"

#include <atomic>
#include <chrono>
#include <cstdint>
#include <map>
#include <mutex>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace mock_apns {

struct HeldCounters {
  std::uint64_t held = 0;     // pushes kept for an unreachable device
  std::uint64_t replaced = 0; // kept ones replaced by a later push to the same token and topic
  std::uint64_t released = 0; // delivered on reconnect
  std::uint64_t expired = 0;  // dropped because they expired before the device came back
};

class HeldPushes {
public:
  struct Offer {
    bool deliver_now = true;
    std::uint64_t replaced = 0; // the kept push this one replaced (its sequence), 0 if none
  };
  // Whether `delivery` may go to the device now; otherwise it is kept (or replaces the one kept
  // for its token and topic). `decided(offer)` runs before any other thread can act on the kept
  // push (under the lock when there is one), so that what it records (the journal's delivery
  // status) comes before a release, an expiry or a replacement of that push.
  template <typename Decided>
  Offer offer(const Delivery& delivery, std::chrono::milliseconds zero_expiry_grace,
              Decided&& decided) {
    if (!any_unreachable_.load(std::memory_order_acquire)) {
      const Offer now;
      decided(now);
      return now;
    }
    std::lock_guard lock(mutex_);
    const Offer offer = offer_locked(delivery, zero_expiry_grace);
    decided(offer);
    return offer;
  }
  Offer offer(const Delivery& delivery, std::chrono::milliseconds zero_expiry_grace) {
    return offer(delivery, zero_expiry_grace, [](const Offer&) {});
  }
  struct Return {
    std::vector<Delivery> released;     // still valid, oldest first
    std::vector<std::uint64_t> expired; // the sequences of those that were not
  };
  // Marks the device of `token` reachable or not. Going reachable hands back the kept pushes
  // still valid at `now` and forgets the rest.
  Return set_reachable(std::string_view token, bool reachable, core::TimePoint now);
  // Forgets the kept pushes whose time ran out before `now`, of every token; returns their
  // sequences (a device that never comes back still sees its pushes expire).
  std::vector<std::uint64_t> expire(core::TimePoint now);
  bool reachable(std::string_view token) const;
  std::vector<Delivery> held(std::string_view token) const;
  HeldCounters counters() const;
  void clear();

private:
  Offer offer_locked(const Delivery& delivery, std::chrono::milliseconds zero_expiry_grace);

  struct Kept {
    Delivery delivery;
    core::TimePoint deadline;
  };

  mutable std::mutex mutex_;
  std::atomic<bool> any_unreachable_{false}; // lets offer() skip the lock while all are online
  std::set<std::string, std::less<>> unreachable_;           // lower-case tokens
  std::map<std::pair<std::string, std::string>, Kept> kept_; // (token, topic)
  HeldCounters counters_;
};

} // namespace mock_apns
