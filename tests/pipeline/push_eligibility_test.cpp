// pipeline::push_blocked: §4.3's conditions, at send time and before a retry (§4.5, issue #27:
// a logged-out or kicked phone must not ring).
// Spec: docs/spec/im-voip-flow.md
#include "pipeline/push_eligibility.hpp"

#include <gtest/gtest.h>

namespace {

using pipeline::MessageState;
using pipeline::Presence;
using pipeline::RegistrationState;

pipeline::Registration active() {
  pipeline::Registration r;
  r.user = "bob";
  r.token_hex = "ab12";
  r.cert_record_id = 1;
  return r;
}

TEST(PushEligibility, AnOfflineLoggedInReceiverWithAnActiveRegistrationGetsThePush) {
  for (const Presence p : {Presence::Background, Presence::Killed})
    EXPECT_FALSE(pipeline::push_blocked(p, active()));
}

TEST(PushEligibility, EachUnmetConditionNamesItsSkipState) {
  const auto online = pipeline::push_blocked(Presence::Online, active());
  ASSERT_TRUE(online);
  EXPECT_EQ(online->state, MessageState::SkippedOnline);
  for (const auto& [presence, reason] :
       {std::pair{Presence::LoggedOut, "logged_out"}, std::pair{Presence::Kicked, "kicked"}}) {
    const auto out = pipeline::push_blocked(presence, active());
    ASSERT_TRUE(out);
    EXPECT_EQ(out->state, MessageState::SkippedLoggedOut);
    EXPECT_EQ(out->reason, reason);
  }
  EXPECT_EQ(pipeline::push_blocked(std::nullopt, active())->reason, "never logged in");
  EXPECT_EQ(pipeline::push_blocked(Presence::Background, std::nullopt)->state,
            MessageState::SkippedNoRegistration);
  auto bad = active();
  bad.state = RegistrationState::BadToken;
  bad.reason = "ENV_OR_TOKEN_INVALID";
  EXPECT_EQ(pipeline::push_blocked(Presence::Background, bad)->reason,
            "registration bad_token: ENV_OR_TOKEN_INVALID");
}

TEST(PushEligibility, ARetryNeedsTheRegistrationItsFirstAttemptUsed) {
  pipeline::MessageRecord sent;
  sent.token_hex = "ab12";
  sent.cert_record_id = 1;
  EXPECT_FALSE(pipeline::push_blocked(Presence::Background, active(), &sent));
  auto new_token = active();
  new_token.token_hex = "cd34";
  const auto replaced = pipeline::push_blocked(Presence::Background, new_token, &sent);
  ASSERT_TRUE(replaced);
  EXPECT_EQ(replaced->state, MessageState::SkippedNoRegistration);
  auto other_certificate = active();
  other_certificate.cert_record_id = 2;
  EXPECT_TRUE(pipeline::push_blocked(Presence::Background, other_certificate, &sent));
}

} // namespace
