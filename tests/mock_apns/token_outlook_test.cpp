// "Can this token get a VoIP push right now, and would it ring?" (issue #20, the console's token
// view), rule by rule from the registry, store and forward, the answers and the device's steps.
#include "mock_apns/token_outlook.hpp"

#include <gtest/gtest.h>

namespace mock_apns {
namespace {

using namespace std::chrono_literals;

const core::TimePoint kNow = core::from_unix_seconds(1767225600);

TokenFacts active() {
  TokenFacts f;
  f.token = "aabb";
  TokenRecord record;
  record.token = "aabb";
  record.topic = "com.example.imapp.voip";
  f.record = record;
  f.now = kNow;
  return f;
}

JournalEntry answered(int status, std::optional<Reason> reason,
                      std::vector<std::string> device_steps = {}) {
  JournalEntry e;
  e.time = kNow - 1s;
  e.status = status;
  e.reason = reason;
  for (auto& step : device_steps)
    e.delivery.push_back({e.time, DeliveryStatus::Device, std::move(step)});
  return e;
}

TEST(TokenOutlook, AnUnknownTokenIsRefusedOnlyByAStrictMock) {
  TokenFacts f = active();
  f.record.reset();
  EXPECT_FALSE(token_outlook(f).can_push);
  EXPECT_EQ(token_outlook(f).summary, "unknown: a push gets 400 BadDeviceToken");
  f.strict_tokens = false;
  EXPECT_TRUE(token_outlook(f).can_push);
}

TEST(TokenOutlook, AnUnregisteredTokenSaysSinceWhenAndGets200OnlyInsideTheDelay) {
  TokenFacts f = active();
  f.record->state = TokenState::Unregistered;
  f.record->timestamp_ms = core::unix_millis(kNow - 10s);
  const TokenOutlook gone = token_outlook(f);
  EXPECT_EQ(gone.summary, "unregistered since 2025-12-31T23:59:50.000Z");
  EXPECT_FALSE(gone.can_push);
  EXPECT_EQ(gone.would_ring, false);
  f.unregister_delay = 20s; // apns-provider-api.md §5.3
  EXPECT_TRUE(token_outlook(f).can_push);
}

TEST(TokenOutlook, AnOfflineDeviceSaysHowManyPushesAreHeld) {
  TokenFacts f = active();
  f.reachable = false;
  f.held = 1;
  const TokenOutlook o = token_outlook(f);
  EXPECT_EQ(o.summary, "device offline, 1 held");
  EXPECT_TRUE(o.can_push) << "APNs accepts and holds";
}

TEST(TokenOutlook, ALast429IsRateLimited) {
  TokenFacts f = active();
  f.requests = {answered(429, Reason::TooManyRequests), answered(200, std::nullopt)};
  const TokenOutlook o = token_outlook(f);
  EXPECT_EQ(o.summary, "rate-limited");
  EXPECT_FALSE(o.can_push);
  EXPECT_TRUE(o.last_push) << "the older accepted push is the last one";
  f.now = kNow + 2min; // past the rate window
  EXPECT_TRUE(token_outlook(f).can_push);
  EXPECT_EQ(token_outlook(f).summary, "active, reachable");
}

TEST(TokenOutlook, TheDeviceSideDecidesWhetherItWouldRing) {
  TokenFacts f = active();
  EXPECT_FALSE(token_outlook(f).would_ring) << "no device reported";
  f.requests = {answered(200, std::nullopt, {"call reported to CallKit", "call shown"})};
  EXPECT_EQ(token_outlook(f).would_ring, true);
  f.requests = {answered(200, std::nullopt, {"app killed: 0xbaadca11"}),
                answered(200, std::nullopt, {"app killed: 0xbaadca11"})};
  const TokenOutlook killed = token_outlook(f);
  EXPECT_EQ(killed.kills, 2u);
  EXPECT_EQ(killed.would_ring, false);
  f.requests.insert(f.requests.begin(),
                    answered(200, std::nullopt,
                             {"dropped: the app is blocked until reinstalled (killed 3 times)"}));
  const TokenOutlook blocked = token_outlook(f);
  EXPECT_EQ(blocked.summary, "blocked until reinstall");
  EXPECT_EQ(blocked.would_ring, false);
  // Reinstalled: a call shown after the block wins over it.
  f.requests.insert(f.requests.begin(), answered(200, std::nullopt, {"call shown"}));
  EXPECT_EQ(token_outlook(f).would_ring, true);
  EXPECT_EQ(token_outlook(f).summary, "active, reachable");
}

TEST(TokenOutlook, AnyTimestampAnAdminSetsIsSafe) {
  TokenFacts f = active();
  f.record->state = TokenState::Unregistered;
  f.record->timestamp_ms = INT64_MAX - 5;
  f.unregister_delay = 20s;
  EXPECT_TRUE(token_outlook(f).can_push) << "confirmed at the end of time: still inside";
}

} // namespace
} // namespace mock_apns
