#pragma once
// The tokens one device was issued and which of them were retired, as the links to a mock keep
// them: the mock must hear of reachability for the live ones, and deliveries are the device's
// when their token was issued to it. Thread-safe: the delivery side reads it from other threads.

#include "core/encoding.hpp"

#include <mutex>
#include <set>
#include <string>
#include <string_view>
#include <vector>

namespace fake_device {

class IssuedTokens {
public:
  // False when `token` (lower-case hex) was issued before.
  bool add(const std::string& token) {
    std::lock_guard lock(mutex_);
    return issued_.insert(token).second;
  }
  void retire(std::string_view token) {
    const std::string lower = core::to_lower_ascii(token);
    std::lock_guard lock(mutex_);
    retired_.insert(lower);
  }
  // Issued and not retired, in a stable order.
  std::vector<std::string> live() const {
    std::lock_guard lock(mutex_);
    std::vector<std::string> out;
    for (const auto& token : issued_)
      if (!retired_.contains(token)) out.push_back(token);
    return out;
  }
  // Any letter case: tokens are issued in lower case, a sender may address them in upper
  // case (apns-provider-api.md §8).
  bool contains(std::string_view token) const {
    const std::string lower = core::to_lower_ascii(token);
    std::lock_guard lock(mutex_);
    return issued_.contains(lower);
  }

private:
  mutable std::mutex mutex_;
  std::set<std::string, std::less<>> issued_;
  std::set<std::string, std::less<>> retired_;
};

} // namespace fake_device
