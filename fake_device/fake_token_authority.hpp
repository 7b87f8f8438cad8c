#pragma once
// An in-memory TokenAuthority for tests and for a device running without a mock: tokens are
// 32 bytes from a seeded generator, so the same seed gives the same tokens every run.

#include "fake_device/token_authority.hpp"

#include <cstdint>
#include <map>
#include <optional>
#include <random>
#include <vector>

namespace fake_device {

class FakeTokenAuthority final : public TokenAuthority {
public:
  struct Record {
    TokenRequest request;
    bool active = true;
    std::optional<core::TimePoint> unregistered_at; // set once invalidated
  };

  explicit FakeTokenAuthority(std::uint64_t seed = 1) : engine_(seed) {}

  core::Result<std::string> issue(const TokenRequest& request) override;
  void invalidate(std::string_view token_hex, core::TimePoint at) override;

  // Makes the next issue() fail, as an unreachable or refusing authority would.
  void fail_next_issue() { fail_next_ = true; }

  const Record* find(std::string_view token_hex) const;
  // Tokens in the order they were issued.
  const std::vector<std::string>& issued() const { return order_; }

private:
  std::mt19937_64 engine_;
  std::map<std::string, Record, std::less<>> records_;
  std::vector<std::string> order_;
  bool fail_next_ = false;
};

} // namespace fake_device
