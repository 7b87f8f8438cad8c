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
  EXPECT_TRUE(held.offer(push(1, std::nullopt), kGrace).deliver_now);
  EXPECT_TRUE(held.reachable(kToken));
}

TEST(HeldPushes, KeepsOnlyTheLatestPerTopicAndDeliversItOnReconnect) {
  HeldPushes held;
  held.set_reachable("AABB", false, kNow); // tokens compare case-insensitively
  EXPECT_FALSE(held.offer(push(1, std::nullopt), kGrace).deliver_now);
  const auto second = held.offer(push(2, std::nullopt), kGrace);
  EXPECT_FALSE(second.deliver_now);
  EXPECT_EQ(second.replaced, 1u) << "the journal marks push 1 replaced";
  EXPECT_EQ(held.offer(push(3, std::nullopt, "com.example.app"), kGrace).replaced, 0u);
  EXPECT_EQ(held.held(kToken).size(), 2u);
  const auto released = held.set_reachable(kToken, true, kNow + 1h).released;
  ASSERT_EQ(released.size(), 2u);
  EXPECT_EQ(released[0].sequence, 2u) << "the latest of the .voip topic";
  EXPECT_EQ(released[1].sequence, 3u);
  EXPECT_EQ(held.counters().replaced, 1u);
  EXPECT_TRUE(held.held(kToken).empty());
}

TEST(HeldPushes, ExpirationZeroIsKeptOnlyForTheGrace) {
  HeldPushes held;
  held.set_reachable(kToken, false, kNow);
  EXPECT_FALSE(held.offer(push(1, 0), kGrace).deliver_now);
  EXPECT_EQ(held.set_reachable(kToken, true, kNow + 25s).released.size(), 1u)
      << "within the grace (V: ~25 s late)";
  held.set_reachable(kToken, false, kNow);
  EXPECT_FALSE(held.offer(push(2, 0), kGrace).deliver_now);
  const auto back = held.set_reachable(kToken, true, kNow + 31s);
  EXPECT_TRUE(back.released.empty());
  EXPECT_EQ(back.expired, std::vector<std::uint64_t>{2}) << "the journal marks push 2 expired";
  EXPECT_EQ(held.counters().expired, 1u);
}

TEST(HeldPushes, ExpireForgetsWhatRanOutWhileTheDeviceStaysAway) {
  HeldPushes held;
  held.set_reachable(kToken, false, kNow);
  EXPECT_FALSE(held.offer(push(1, 0), kGrace).deliver_now);
  EXPECT_FALSE(held.offer(push(2, std::nullopt, "com.example.app"), kGrace).deliver_now);
  EXPECT_TRUE(held.expire(kNow + 29s).empty()) << "within the grace";
  EXPECT_EQ(held.expire(kNow + 31s), std::vector<std::uint64_t>{1});
  EXPECT_EQ(held.held(kToken).size(), 1u) << "the push without expiration stays 30 days";
  EXPECT_FALSE(held.reachable(kToken)) << "the device is still away";
}

TEST(HeldPushes, AnExpirationInThePastCountsAsZeroAndAFutureOneIsKeptUntilThen) {
  HeldPushes held;
  held.set_reachable(kToken, false, kNow);
  EXPECT_FALSE(held.offer(push(1, core::unix_seconds(kNow) - 10), kGrace).deliver_now);
  EXPECT_TRUE(held.set_reachable(kToken, true, kNow + 1min).released.empty());
  held.set_reachable(kToken, false, kNow);
  EXPECT_FALSE(held.offer(push(2, core::unix_seconds(kNow) + 3600), kGrace).deliver_now);
  EXPECT_EQ(held.set_reachable(kToken, true, kNow + 59min).released.size(), 1u);
  held.set_reachable(kToken, false, kNow);
  EXPECT_FALSE(held.offer(push(3, core::unix_seconds(kNow) + 3600), kGrace).deliver_now);
  EXPECT_TRUE(held.set_reachable(kToken, true, kNow + 61min).released.empty());
}

TEST(HeldPushes, WithoutExpirationItIsKeptForThirtyDays) {
  HeldPushes held;
  held.set_reachable(kToken, false, kNow);
  EXPECT_FALSE(held.offer(push(1, std::nullopt), kGrace).deliver_now);
  EXPECT_EQ(held.set_reachable(kToken, true, kNow + std::chrono::hours(24 * 29)).released.size(),
            1u);
  held.set_reachable(kToken, false, kNow);
  EXPECT_FALSE(held.offer(push(2, std::nullopt), kGrace).deliver_now);
  EXPECT_TRUE(
      held.set_reachable(kToken, true, kNow + std::chrono::hours(24 * 31)).released.empty());
}

} // namespace
} // namespace mock_apns
