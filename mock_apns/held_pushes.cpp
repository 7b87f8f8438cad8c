#include "mock_apns/held_pushes.hpp"

#include "core/encoding.hpp"

#include <algorithm>

namespace mock_apns {
namespace {

constexpr auto kDefaultStorage = std::chrono::hours(24 * 30); // apns-provider-api.md §9

core::TimePoint deadline_of(const Delivery& d, std::chrono::milliseconds zero_expiry_grace) {
  if (!d.expiration) {
    return d.received_at + kDefaultStorage;
  }
  const core::TimePoint expires = core::from_unix_seconds(*d.expiration);
  // 0, or a time already past, means "try once": kept only for the grace APNs was seen to
  // allow (a VoIP push with expiration 0 arrived ~25 s late, apns-provider-api.md §9).
  if (*d.expiration == 0 || expires <= d.received_at) {
    return d.received_at + zero_expiry_grace;
  }
  return expires;
}

} // namespace

HeldPushes::Offer HeldPushes::offer_locked(const Delivery& delivery,
                                           std::chrono::milliseconds zero_expiry_grace) {
  Offer offer;
  if (!unreachable_.contains(core::to_lower_ascii(delivery.token))) {
    return offer;
  }
  offer.deliver_now = false;
  const auto key = std::pair(core::to_lower_ascii(delivery.token), delivery.topic);
  Kept kept{delivery, deadline_of(delivery, zero_expiry_grace)};
  if (auto it = kept_.find(key); it != kept_.end()) {
    offer.replaced = it->second.delivery.sequence;
    it->second = std::move(kept);
    ++counters_.replaced;
  } else {
    kept_.emplace(key, std::move(kept));
  }
  ++counters_.held;
  return offer;
}

HeldPushes::Return HeldPushes::set_reachable(std::string_view token, bool reachable,
                                             core::TimePoint now) {
  std::lock_guard lock(mutex_);
  const std::string key = core::to_lower_ascii(token);
  Return out;
  if (!reachable) {
    unreachable_.insert(key);
    any_unreachable_.store(true, std::memory_order_release);
    return out;
  }
  unreachable_.erase(key);
  any_unreachable_.store(!unreachable_.empty(), std::memory_order_release);
  for (auto it = kept_.lower_bound({key, ""}); it != kept_.end() && it->first.first == key;) {
    if (it->second.deadline >= now) {
      out.released.push_back(std::move(it->second.delivery));
      ++counters_.released;
    } else {
      out.expired.push_back(it->second.delivery.sequence);
      ++counters_.expired;
    }
    it = kept_.erase(it);
  }
  std::sort(out.released.begin(), out.released.end(),
            [](const Delivery& a, const Delivery& b) { return a.sequence < b.sequence; });
  return out;
}

std::vector<std::uint64_t> HeldPushes::expire(core::TimePoint now) {
  std::lock_guard lock(mutex_);
  std::vector<std::uint64_t> expired;
  std::erase_if(kept_, [&](const auto& item) {
    if (item.second.deadline >= now) return false;
    expired.push_back(item.second.delivery.sequence);
    ++counters_.expired;
    return true;
  });
  return expired;
}

bool HeldPushes::reachable(std::string_view token) const {
  std::lock_guard lock(mutex_);
  return !unreachable_.contains(core::to_lower_ascii(token));
}

std::vector<Delivery> HeldPushes::held(std::string_view token) const {
  std::lock_guard lock(mutex_);
  const std::string key = core::to_lower_ascii(token);
  std::vector<Delivery> out;
  for (auto it = kept_.lower_bound({key, ""}); it != kept_.end() && it->first.first == key; ++it) {
    out.push_back(it->second.delivery);
  }
  return out;
}

HeldCounters HeldPushes::counters() const {
  std::lock_guard lock(mutex_);
  return counters_;
}

void HeldPushes::clear() {
  std::lock_guard lock(mutex_);
  unreachable_.clear();
  any_unreachable_.store(false, std::memory_order_release);
  kept_.clear();
  counters_ = {};
}

} // namespace mock_apns
