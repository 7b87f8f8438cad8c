// What the pipeline does with each class of APNs answer (im-voip-flow.md §4.5).
#include "pipeline/response_policy.hpp"

#include <gtest/gtest.h>

namespace {

using namespace std::chrono_literals;
using pipeline::AttemptResult;
using pipeline::CertificateHealth;
using pipeline::MessageState;
using pipeline::RegistrationState;

const core::TimePoint kCreated = core::from_unix_seconds(1'767'225'600);
const core::TimePoint kRegistered = kCreated - 1h;

pipeline::Decision decide(const AttemptResult& r, int attempts = 1,
                          core::TimePoint now = kCreated) {
  return pipeline::decide(r, attempts, kCreated, now, kRegistered, {}, 0.0);
}

TEST(ResponsePolicy, AcceptedIsNotADeliveryButIsFinal) {
  const auto d = decide({200, "", {}, false, false, false});
  EXPECT_EQ(d.state, MessageState::Accepted);
  EXPECT_FALSE(d.retry_after);
  EXPECT_FALSE(d.registration);
}

TEST(ResponsePolicy, UnregisteredRetiresTheTokenOnlyWhenNewerThanTheRegistration) {
  const auto newer =
      decide({410, "Unregistered", core::unix_millis(kRegistered) + 1, false, false, false});
  EXPECT_EQ(newer.state, MessageState::Rejected);
  EXPECT_EQ(newer.registration, RegistrationState::Unregistered);
  // A setVOIP after the token was retired wins: keep the registration (§4.5).
  const auto older =
      decide({410, "Unregistered", core::unix_millis(kRegistered) - 1, false, false, false});
  EXPECT_EQ(older.state, MessageState::Rejected);
  EXPECT_FALSE(older.registration);
  EXPECT_EQ(
      decide({410, "ExpiredToken", core::unix_millis(kCreated), false, false, false}).registration,
      RegistrationState::Unregistered);
}

TEST(ResponsePolicy, BadTokensMarkTheRegistrationWithTheProductReason) {
  const auto bad = decide({400, "BadDeviceToken", {}, false, false, false});
  EXPECT_EQ(bad.state, MessageState::Rejected);
  EXPECT_EQ(bad.reason, "BadDeviceToken");
  EXPECT_EQ(bad.registration, RegistrationState::BadToken);
  EXPECT_EQ(bad.registration_reason, "ENV_OR_TOKEN_INVALID");
  const auto wrong = decide({400, "DeviceTokenNotForTopic", {}, false, false, false});
  EXPECT_EQ(wrong.registration_reason, "TOKEN_NOT_VOIP_OR_WRONG_APP");
  EXPECT_FALSE(wrong.retry_after);
}

TEST(ResponsePolicy, TopicErrorsFlagTheCertificate) {
  for (const char* reason : {"BadTopic", "TopicDisallowed", "MissingTopic"}) {
    const auto d = decide({400, reason, {}, false, false, false});
    EXPECT_EQ(d.state, MessageState::Rejected) << reason;
    EXPECT_EQ(d.certificate_health, CertificateHealth::TopicMismatch) << reason;
  }
}

TEST(ResponsePolicy, CertificateRefusalsFailAndFlagTheCertificate) {
  const auto forbidden = decide({403, "BadCertificate", {}, false, false, false});
  EXPECT_EQ(forbidden.state, MessageState::Failed);
  EXPECT_EQ(forbidden.reason, "FAILED_CERT: BadCertificate");
  EXPECT_EQ(forbidden.certificate_health, CertificateHealth::BadCertificate);
  const auto handshake = decide({0, "TLS handshake refused", {}, true, false, false});
  EXPECT_EQ(handshake.state, MessageState::Failed);
  EXPECT_EQ(handshake.certificate_health, CertificateHealth::BadCertificate);
}

// Issue #27.2: only a 403 that names the certificate flags it.
TEST(ResponsePolicy, A403ThatDoesNotNameTheCertificateFlagsNothing) {
  for (const char* reason : {"Forbidden", "InvalidProviderToken", "MissingProviderToken"}) {
    const auto d = decide({403, reason, {}, false, false, false});
    EXPECT_EQ(d.state, MessageState::Rejected) << reason;
    EXPECT_EQ(d.reason, reason);
    EXPECT_FALSE(d.certificate_health) << reason;
    EXPECT_FALSE(d.retry_after) << reason;
  }
  const auto environment = decide({403, "BadCertificateEnvironment", {}, false, false, false});
  EXPECT_EQ(environment.certificate_health, CertificateHealth::BadCertificate);
}

TEST(ResponsePolicy, PayloadTooLargeAndOther4xxAreFinal) {
  EXPECT_EQ(decide({413, "PayloadTooLarge", {}, false, false, false}).state,
            MessageState::PayloadTooLarge);
  const auto other = decide({400, "BadExpirationDate", {}, false, false, false});
  EXPECT_EQ(other.state, MessageState::Rejected);
  EXPECT_EQ(other.reason, "BadExpirationDate");
}

// `throttled`: the n-th 429 the message has had.
AttemptResult throttled(int n) {
  AttemptResult r{429, "TooManyRequests", {}, false, false, false};
  r.throttled = n;
  return r;
}

TEST(ResponsePolicy, ThrottlingRetriesWithGrowingDelaysThenGivesUp) {
  const auto first = decide(throttled(1), 1);
  ASSERT_TRUE(first.retry_after);
  EXPECT_EQ(first.state, MessageState::Pending);
  EXPECT_EQ(*first.retry_after, 1s);
  EXPECT_EQ(*decide(throttled(2), 2, kCreated + 2s).retry_after, 2s);
  EXPECT_EQ(*decide(throttled(3), 3, kCreated + 5s).retry_after, 4s);
  const auto exhausted = decide(throttled(4), 4, kCreated + 10s); // §4.5: "max 3"
  EXPECT_EQ(exhausted.state, MessageState::Failed);
  EXPECT_NE(exhausted.reason.find("gave up after 4 throttled attempts"), std::string::npos)
      << exhausted.reason;
}

// The limit counts 429 answers only: a push that lived through an outage (many attempts
// without an answer) is not failed by the first 429 after it.
TEST(ResponsePolicy, TheFirst429AfterAnOutageIsRetried) {
  const auto d = decide(throttled(1), 8, kCreated + 14s);
  ASSERT_TRUE(d.retry_after) << d.reason;
  EXPECT_EQ(*d.retry_after, 1s);
}

// No answer and 5xx are transient (§4.5): back-off capped at max_delay for as long as the call
// lives, never Failed however many attempts it takes.
TEST(ResponsePolicy, ServerErrorsAndLostConnectionsRetryUntilTheCallIsTooOld) {
  for (const AttemptResult& r : {AttemptResult{500, "InternalServerError", {}, false, false, false},
                                 AttemptResult{503, "ServiceUnavailable", {}, false, false, false},
                                 AttemptResult{0, "connection closed", {}, false, false, false}}) {
    const auto first = decide(r, 1);
    ASSERT_TRUE(first.retry_after) << r.reason;
    EXPECT_EQ(first.state, MessageState::Pending);
    EXPECT_EQ(*first.retry_after, 1s);
    EXPECT_EQ(*decide(r, 2, kCreated + 2s).retry_after, 2s);
    EXPECT_EQ(*decide(r, 3, kCreated + 5s).retry_after, 4s);
    const auto capped = decide(r, 6, kCreated + 15s);
    ASSERT_TRUE(capped.retry_after) << r.reason << ": " << capped.reason;
    EXPECT_EQ(*capped.retry_after, 4s); // max_delay, not 32 s
    EXPECT_EQ(decide(r, 20, kCreated + 30s).state, MessageState::Expired) << r.reason;
  }
}

TEST(ResponsePolicy, JitterStretchesTheDelayByUpToHalf) {
  const auto d = pipeline::decide({503, "ServiceUnavailable", {}, false, false, false}, 1, kCreated,
                                  kCreated, kRegistered, {}, 0.999);
  ASSERT_TRUE(d.retry_after);
  EXPECT_GT(*d.retry_after, 1400ms);
  EXPECT_LT(*d.retry_after, 1500ms);
}

// The last try of a transient failure goes at the lifetime's edge: a server back by then still
// rings the phone. Throttling is not pressed that way: its back-off is kept, or the push dropped.
TEST(ResponsePolicy, ACallPushNearItsLifetimeGetsALastTryAtTheEdgeThenExpires) {
  const AttemptResult unavailable{503, "ServiceUnavailable", {}, false, false, false};
  const auto last = decide(unavailable, 5, kCreated + 29500ms);
  ASSERT_TRUE(last.retry_after) << last.reason;
  EXPECT_EQ(*last.retry_after, 500ms);
  const auto d = decide(unavailable, 6, kCreated + 30s);
  EXPECT_EQ(d.state, MessageState::Expired);
  EXPECT_FALSE(d.retry_after);
  EXPECT_NE(d.reason.find("older than 30 s"), std::string::npos) << d.reason;
  const auto throttled =
      decide({429, "TooManyRequests", {}, false, false, false}, 1, kCreated + 29500ms);
  EXPECT_EQ(throttled.state, MessageState::Expired);
}

TEST(ResponsePolicy, ARequestTheServerNeverProcessedGoesAgainAtOnce) {
  AttemptResult refused{0, "GOAWAY NO_ERROR, last stream 1", {}, false, /*unsent=*/true, false};
  const auto d = decide(refused, 1);
  ASSERT_TRUE(d.retry_after);
  EXPECT_EQ(*d.retry_after, core::Duration::zero());
  // A server that keeps refusing gets back-off after the first few, not a busy loop.
  const auto later = decide(refused, 4, kCreated + 1s);
  ASSERT_TRUE(later.retry_after);
  EXPECT_EQ(*later.retry_after, 4s);
}

TEST(ResponsePolicy, FailuresNoRetryCanMendFailAtOnce) {
  AttemptResult untrusted{0,
                          "the APNs server's certificate is not trusted",
                          {},
                          false,
                          false,
                          /*permanent=*/true};
  const auto d = decide(untrusted, 1);
  EXPECT_EQ(d.state, MessageState::Failed);
  EXPECT_FALSE(d.retry_after);
  EXPECT_FALSE(d.certificate_health); // our trust settings, not the VoIP certificate
}

} // namespace
