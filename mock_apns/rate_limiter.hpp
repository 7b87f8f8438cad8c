#pragma once
// Per-device-token request counting for TooManyRequests (apns-provider-api.md §9, §5.4): more than
// `burst` requests to one token within `window`. Sharded by token; thread-safe; memory is bounded
// by dropping windows that have ended.
#include "core/clock.hpp"

#include <chrono>
#include <cstdint>
#include <memory>
#include <string_view>

namespace mock_apns {

class RateLimiter {
public:
  RateLimiter();
  ~RateLimiter();
  RateLimiter(const RateLimiter&) = delete;
  RateLimiter& operator=(const RateLimiter&) = delete;

  // Counts one request to `token` at `now`; false when it goes over the limit. A `burst` of 0
  // allows everything and counts nothing.
  bool allow(std::string_view token, core::TimePoint now, std::uint32_t burst,
             std::chrono::seconds window);
  void clear();

private:
  struct Shard;
  std::unique_ptr<Shard[]> shards_;
};

} // namespace mock_apns
