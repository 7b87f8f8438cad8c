#include "mock_apns/rate_limiter.hpp"

#include "core/encoding.hpp"

#include <functional>
#include <mutex>
#include <string>
#include <unordered_map>

namespace mock_apns {
namespace {

constexpr std::size_t kShards = 64;

struct StringHash {
  using is_transparent = void;
  std::size_t operator()(std::string_view text) const {
    return std::hash<std::string_view>{}(text);
  }
};

// A fixed window opened by the token's first request: the simplest count that makes the 21st
// request within 60 s fail (spec V66).
struct Window {
  core::TimePoint start;
  std::uint32_t count = 0;
};

} // namespace

struct RateLimiter::Shard {
  std::mutex mutex;
  std::unordered_map<std::string, Window, StringHash, std::equal_to<>> windows;
  std::size_t sweep_at = 1024;
};

RateLimiter::RateLimiter() : shards_(std::make_unique<Shard[]>(kShards)) {}
RateLimiter::~RateLimiter() = default;

bool RateLimiter::allow(std::string_view token, core::TimePoint now, std::uint32_t burst,
                        std::chrono::seconds window) {
  if (burst == 0) {
    return true;
  }
  // Tokens compare case-insensitively (apns-provider-api.md §8); the hash must agree, so fold case
  // first.
  char folded[512];
  if (token.size() > sizeof folded) {
    token = token.substr(0, sizeof folded);
  }
  for (std::size_t i = 0; i < token.size(); ++i) {
    folded[i] = core::to_lower_ascii(token[i]);
  }
  const std::string_view key(folded, token.size());
  Shard& shard = shards_[StringHash{}(key) % kShards];
  std::lock_guard lock(shard.mutex);
  if (shard.windows.size() >= shard.sweep_at) {
    std::erase_if(shard.windows,
                  [&](const auto& entry) { return now - entry.second.start >= window; });
    shard.sweep_at = std::max<std::size_t>(1024, shard.windows.size() * 2);
  }
  auto found = shard.windows.find(key);
  if (found == shard.windows.end()) {
    found = shard.windows.emplace(std::string(key), Window{now, 0}).first;
  } else if (now - found->second.start >= window) {
    found->second = Window{now, 0};
  }
  return ++found->second.count <= burst;
}

void RateLimiter::clear() {
  for (std::size_t i = 0; i < kShards; ++i) {
    std::lock_guard lock(shards_[i].mutex);
    shards_[i].windows.clear();
  }
}

} // namespace mock_apns
