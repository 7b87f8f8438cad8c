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

bool HeldPushes::offer(const Delivery& delivery, std::chrono::milliseconds zero_expiry_grace) {
  if (!any_unreachable_.load(std::memory_order_acquire)) {
    return true;
  }
  std::lock_guard lock(mutex_);
  if (!unreachable_.contains(core::to_lower_ascii(delivery.token))) {
    return true;
  }
  auto [kept, inserted] =
      kept_.insert_or_assign({core::to_lower_ascii(delivery.token), delivery.topic},
                             Kept{delivery, deadline_of(delivery, zero_expiry_grace)});
  ++counters_.held;
  if (!inserted) {
    ++counters_.replaced;
  }
  return false;
}

std::vector<Delivery> HeldPushes::set_reachable(std::string_view token, bool reachable,
                                                core::TimePoint now) {
  std::lock_guard lock(mutex_);
  const std::string key = core::to_lower_ascii(token);
  if (!reachable) {
    unreachable_.insert(key);
    any_unreachable_.store(true, std::memory_order_release);
    return {};
  }
  unreachable_.erase(key);
  any_unreachable_.store(!unreachable_.empty(), std::memory_order_release);
  std::vector<Delivery> out;
  for (auto it = kept_.lower_bound({key, ""}); it != kept_.end() && it->first.first == key;) {
    if (it->second.deadline >= now) {
      out.push_back(std::move(it->second.delivery));
      ++counters_.released;
    } else {
      ++counters_.expired;
    }
    it = kept_.erase(it);
  }
  std::sort(out.begin(), out.end(),
            [](const Delivery& a, const Delivery& b) { return a.sequence < b.sequence; });
  return out;
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
