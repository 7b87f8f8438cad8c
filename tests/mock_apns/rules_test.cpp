// The small rule tables: reasons, push types, rate limit, faults.
#include "mock_apns/faults.hpp"
#include "mock_apns/push_type.hpp"
#include "mock_apns/rate_limiter.hpp"
#include "mock_apns/reason.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

#include <gtest/gtest.h>

namespace mock_apns {
namespace {

// apns-provider-api.md §5.4, status column.
TEST(Reason, StatusAndSpellingMatchTheSpecTable) {
  const std::pair<const char*, int> table[] = {{"BadCollapseId", 400},
                                               {"BadDeviceToken", 400},
                                               {"BadExpirationDate", 400},
                                               {"BadMessageId", 400},
                                               {"BadPriority", 400},
                                               {"BadTopic", 400},
                                               {"DeviceTokenNotForTopic", 400},
                                               {"DuplicateHeaders", 400},
                                               {"IdleTimeout", 400},
                                               {"InvalidPushType", 400},
                                               {"MissingDeviceToken", 400},
                                               {"MissingTopic", 400},
                                               {"PayloadEmpty", 400},
                                               {"TopicDisallowed", 400},
                                               {"BadCertificate", 403},
                                               {"BadCertificateEnvironment", 403},
                                               {"ExpiredProviderToken", 403},
                                               {"Forbidden", 403},
                                               {"InvalidProviderToken", 403},
                                               {"MissingProviderToken", 403},
                                               {"UnrelatedKeyIdInToken", 403},
                                               {"BadEnvironmentKeyIdInToken", 403},
                                               {"BadPath", 404},
                                               {"MethodNotAllowed", 405},
                                               {"ExpiredToken", 410},
                                               {"Unregistered", 410},
                                               {"PayloadTooLarge", 413},
                                               {"TooManyProviderTokenUpdates", 429},
                                               {"TooManyRequests", 429},
                                               {"InternalServerError", 500},
                                               {"ServiceUnavailable", 503},
                                               {"Shutdown", 503}};
  for (const auto& [text, status] : table) {
    const auto reason = parse_reason(text);
    ASSERT_TRUE(reason) << text;
    EXPECT_EQ(reason_status(*reason), status) << text;
    EXPECT_EQ(reason_text(*reason, ReasonSpelling::Documented), text);
  }
  EXPECT_EQ(reason_text(Reason::BadEnvironmentKeyIdInToken), "BadEnvironmentKeyInToken");
  EXPECT_EQ(parse_reason("BadEnvironmentKeyInToken"), Reason::BadEnvironmentKeyIdInToken);
  EXPECT_FALSE(parse_reason("badtopic"));
}

TEST(PushType, SuffixesSplitTopicsAndPickTheInferredType) {
  EXPECT_EQ(split_topic("com.a.voip").bundle_id, "com.a");
  EXPECT_EQ(split_topic("com.a.voip").suffix_type, PushType::Voip);
  EXPECT_EQ(split_topic("com.a.voip-ptt").suffix_type, PushType::Pushtotalk);
  EXPECT_EQ(split_topic("com.a.pushkit.fileprovider").suffix_type, PushType::Fileprovider);
  EXPECT_EQ(split_topic("com.a.push-type.liveactivity").bundle_id, "com.a");
  EXPECT_FALSE(split_topic("com.a").suffix_type);
  EXPECT_FALSE(split_topic(".voip").suffix_type) << "a suffix alone is not a topic with a bundle";
  EXPECT_EQ(infer_push_type("com.a"), PushType::Alert);
  EXPECT_EQ(infer_push_type("com.a.complication"), PushType::Complication);
  EXPECT_EQ(payload_limit(PushType::Voip), 5120u);
  EXPECT_EQ(payload_limit(PushType::Alert), 4096u);
  for (auto name : {"alert", "background", "voip", "complication", "fileprovider", "location",
                    "liveactivity", "pushtotalk", "mdm", "controls", "widgets"}) {
    auto type = parse_push_type(name);
    ASSERT_TRUE(type) << name;
    EXPECT_EQ(push_type_name(*type), name);
  }
  EXPECT_FALSE(parse_push_type("VOIP"));
}

TEST(RateLimiter, AllowsTheBurstPerWindowPerToken) {
  RateLimiter limiter;
  const auto t0 = core::from_unix_seconds(1000);
  const std::chrono::seconds window{60};
  for (int i = 0; i < 20; ++i) {
    EXPECT_TRUE(limiter.allow("AB", t0 + std::chrono::seconds(i), 20, window));
  }
  EXPECT_FALSE(limiter.allow("ab", t0 + std::chrono::seconds(20), 20, window))
      << "tokens compare case-insensitively";
  EXPECT_TRUE(limiter.allow("cd", t0, 20, window)) << "each token has its own count";
  EXPECT_TRUE(limiter.allow("ab", t0 + window, 20, window)) << "a new window starts";
  EXPECT_TRUE(limiter.allow("ab", t0, 0, window)) << "burst 0 turns the limit off";
}

TEST(Faults, ApplyToMatchingRequestsForTheirCountAfterSkipping) {
  Faults faults;
  FaultRule rule;
  rule.scope = FaultScope::Token;
  rule.match = "AABB";
  rule.skip = 1;
  rule.count = 2;
  rule.reason = Reason::ServiceUnavailable;
  auto id = faults.add(rule);
  ASSERT_TRUE(id);
  EXPECT_FALSE(faults.take("ccdd", "t", ""));
  EXPECT_FALSE(faults.take("aabb", "t", "")) << "skipped";
  EXPECT_EQ(faults.take("aabb", "t", "")->reason, Reason::ServiceUnavailable);
  EXPECT_EQ(faults.take("aabb", "t", "")->rule_id, *id);
  EXPECT_FALSE(faults.take("aabb", "t", "")) << "used up";
  EXPECT_TRUE(faults.list().empty());
}

TEST(Faults, ShutdownImpliesGoawayAndEmptyRulesAreRefused) {
  Faults faults;
  FaultRule shutdown;
  shutdown.reason = Reason::Shutdown;
  ASSERT_TRUE(faults.add(shutdown));
  EXPECT_EQ(faults.take("", "", "")->goaway, Reason::Shutdown);
  EXPECT_FALSE(faults.add(FaultRule{}));
  FaultRule topic;
  topic.scope = FaultScope::Topic;
  topic.reason = Reason::Forbidden;
  EXPECT_FALSE(faults.add(topic)) << "a topic fault needs its topic";
}

// Soaks hit a share of requests at random; the same seed hits the same requests.
TEST(Faults, AProbabilityHitsThatShareOfRequestsTheSameWayForTheSameSeed) {
  FaultRule rule;
  rule.count = -1;
  rule.probability = 0.25;
  rule.reason = Reason::ServiceUnavailable;
  std::vector<bool> hits[2];
  for (auto& run : hits) {
    Faults faults(7);
    ASSERT_TRUE(faults.add(rule));
    for (int i = 0; i < 4000; ++i)
      run.push_back(faults.take("aa", "t", "").has_value());
  }
  EXPECT_EQ(hits[0], hits[1]);
  const auto n = std::count(hits[0].begin(), hits[0].end(), true);
  EXPECT_GT(n, 800);
  EXPECT_LT(n, 1200);

  Faults other(8);
  ASSERT_TRUE(other.add(rule));
  std::vector<bool> third;
  for (int i = 0; i < 4000; ++i)
    third.push_back(other.take("aa", "t", "").has_value());
  EXPECT_NE(third, hits[0]) << "another seed, other requests";
}

TEST(Faults, AMissedDrawDoesNotUseUpTheCountAndFallsThroughToTheNextRule) {
  Faults faults(1);
  FaultRule rare;
  rare.count = 1;
  rare.probability = 1e-9;
  rare.reason = Reason::InternalServerError;
  FaultRule drop;
  drop.drop = true;
  ASSERT_TRUE(faults.add(rare));
  ASSERT_TRUE(faults.add(drop));
  const auto hit = faults.take("aa", "t", "");
  ASSERT_TRUE(hit);
  EXPECT_TRUE(hit->drop);
  EXPECT_FALSE(hit->reason);
  ASSERT_EQ(faults.list().size(), 1u) << "the drop rule is used up, the rare one is not";
  EXPECT_EQ(faults.list()[0].rule.count, 1);
}

TEST(Faults, ALatencyOverAnHourIsRefused) {
  Faults faults;
  FaultRule rule;
  rule.latency = std::chrono::hours(1);
  EXPECT_TRUE(faults.add(rule));
  rule.latency = std::chrono::milliseconds(std::numeric_limits<std::int64_t>::max());
  EXPECT_FALSE(faults.add(rule)) << "would overflow the clock when a push hits it";
}

TEST(Faults, ProbabilitiesOutsideZeroToOneAreRefused) {
  Faults faults;
  for (double p : {0.0, -0.5, 1.5, std::nan("")}) {
    FaultRule rule;
    rule.reason = Reason::ServiceUnavailable;
    rule.probability = p;
    EXPECT_FALSE(faults.add(rule)) << p;
  }
}

} // namespace
} // namespace mock_apns
