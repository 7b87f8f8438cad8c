// Store and forward (apns-provider-api.md §9) on the virtual clock.
#include "mock_apns/held_pushes.hpp"

#include <gtest/gtest.h>

namespace mock_apns {
namespace {

using namespace std::chrono_literals;

const core::TimePoint kNow = core::from_unix_seconds(1767225600);
constexpr auto kGrace = std::chrono::milliseconds(30'000);
constexpr const char* kToken = "aabb";

Delivery push(std::uint64_t sequence, std::optional<std::int64_t> expiration,
              std::string topic = "com.example.app.voip", core::TimePoint at = kNow) {
  Delivery d;
  d.sequence = sequence;
  d.token = kToken;
  d.topic = std::move(topic);
  d.expiration = expiration;
  d.received_at = at;
  return d;
}

TEST(HeldPushes, ReachableDevicesGetEverythingAtOnce) {
  HeldPushes held;
  EXPECT_TRUE(held.offer(push(1, std::nullopt), kGrace));
  EXPECT_TRUE(held.reachable(kToken));
}

TEST(HeldPushes, KeepsOnlyTheLatestPerTopicAndDeliversItOnReconnect) {
  HeldPushes held;
  held.set_reachable("AABB", false, kNow); // tokens compare case-insensitively
  EXPECT_FALSE(held.offer(push(1, std::nullopt), kGrace));
  EXPECT_FALSE(held.offer(push(2, std::nullopt), kGrace));
  EXPECT_FALSE(held.offer(push(3, std::nullopt, "com.example.app"), kGrace));
  EXPECT_EQ(held.held(kToken).size(), 2u);
  const auto released = held.set_reachable(kToken, true, kNow + 1h);
  ASSERT_EQ(released.size(), 2u);
  EXPECT_EQ(released[0].sequence, 2u) << "the latest of the .voip topic";
  EXPECT_EQ(released[1].sequence, 3u);
  EXPECT_EQ(held.counters().replaced, 1u);
  EXPECT_TRUE(held.held(kToken).empty());
}

TEST(HeldPushes, ExpirationZeroIsKeptOnlyForTheGrace) {
  HeldPushes held;
  held.set_reachable(kToken, false, kNow);
  EXPECT_FALSE(held.offer(push(1, 0), kGrace));
  EXPECT_EQ(held.set_reachable(kToken, true, kNow + 25s).size(), 1u)
      << "within the grace (V: ~25 s late)";
  held.set_reachable(kToken, false, kNow);
  EXPECT_FALSE(held.offer(push(2, 0), kGrace));
  EXPECT_TRUE(held.set_reachable(kToken, true, kNow + 31s).empty());
  EXPECT_EQ(held.counters().expired, 1u);
}

TEST(HeldPushes, AnExpirationInThePastCountsAsZeroAndAFutureOneIsKeptUntilThen) {
  HeldPushes held;
  held.set_reachable(kToken, false, kNow);
  EXPECT_FALSE(held.offer(push(1, core::unix_seconds(kNow) - 10), kGrace));
  EXPECT_TRUE(held.set_reachable(kToken, true, kNow + 1min).empty());
  held.set_reachable(kToken, false, kNow);
  EXPECT_FALSE(held.offer(push(2, core::unix_seconds(kNow) + 3600), kGrace));
  EXPECT_EQ(held.set_reachable(kToken, true, kNow + 59min).size(), 1u);
  held.set_reachable(kToken, false, kNow);
  EXPECT_FALSE(held.offer(push(3, core::unix_seconds(kNow) + 3600), kGrace));
  EXPECT_TRUE(held.set_reachable(kToken, true, kNow + 61min).empty());
}

TEST(HeldPushes, WithoutExpirationItIsKeptForThirtyDays) {
  HeldPushes held;
  held.set_reachable(kToken, false, kNow);
  EXPECT_FALSE(held.offer(push(1, std::nullopt), kGrace));
  EXPECT_EQ(held.set_reachable(kToken, true, kNow + std::chrono::hours(24 * 29)).size(), 1u);
  held.set_reachable(kToken, false, kNow);
  EXPECT_FALSE(held.offer(push(2, std::nullopt), kGrace));
  EXPECT_TRUE(held.set_reachable(kToken, true, kNow + std::chrono::hours(24 * 31)).empty());
}

} // namespace
} // namespace mock_apns
