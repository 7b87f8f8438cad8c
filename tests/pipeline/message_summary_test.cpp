// pipeline::summarise and the push views: a message with one push per installation seen as one
// (im-voip-flow.md §3.4).
// Spec: docs/spec/im-voip-flow.md
#include "pipeline/message_summary.hpp"

#include <gtest/gtest.h>

namespace {

using pipeline::MessageState;

pipeline::PushRecord push(std::string installation, MessageState state, int attempts = 0,
                          std::string reason = {}) {
  pipeline::PushRecord p;
  p.installation = std::move(installation);
  p.state = state;
  p.attempts = attempts;
  p.reason = std::move(reason);
  p.apns_id = attempts > 0 ? "id-" + p.installation : "";
  return p;
}

TEST(MessageSummary, OnePushIsTheMessage) {
  pipeline::MessageRecord m;
  m.pushes = {push("iphone", MessageState::SkippedOnline, 0, "delivered over the IM connection")};
  pipeline::summarise(m);
  EXPECT_EQ(m.state, MessageState::SkippedOnline);
  EXPECT_EQ(m.reason, "delivered over the IM connection");
  EXPECT_EQ(m.attempts, 0);
  EXPECT_TRUE(m.apns_id.empty());
}

TEST(MessageSummary, PendingWhileAnyPushIsThenThePushThatGotFurthest) {
  struct Case {
    const char* name;
    std::vector<pipeline::PushRecord> pushes;
    MessageState state;
    std::string from; // the push it shows
  };
  const Case cases[] = {
      {"one still going",
       {push("a", MessageState::Accepted, 1), push("b", MessageState::Pending, 2)},
       MessageState::Pending,
       "b"},
      {"accepted over a skip",
       {push("a", MessageState::SkippedOnline), push("b", MessageState::Accepted, 1)},
       MessageState::Accepted,
       "b"},
      {"accepted over a rejection",
       {push("a", MessageState::Rejected, 1, "BadDeviceToken"),
        push("b", MessageState::Accepted, 1)},
       MessageState::Accepted,
       "b"},
      {"an attempt over a skip",
       {push("a", MessageState::SkippedLoggedOut, 0, "kicked"),
        push("b", MessageState::Expired, 3)},
       MessageState::Expired,
       "b"},
      {"two alike: the first by installation",
       {push("a", MessageState::Accepted, 1), push("b", MessageState::Accepted, 1)},
       MessageState::Accepted,
       "a"},
      {"skips: online before no registration before logged out",
       {push("a", MessageState::SkippedLoggedOut), push("b", MessageState::SkippedNoRegistration),
        push("c", MessageState::SkippedOnline)},
       MessageState::SkippedOnline,
       "c"},
  };
  for (const auto& c : cases) {
    pipeline::MessageRecord m;
    m.pushes = c.pushes;
    pipeline::summarise(m);
    EXPECT_EQ(m.state, c.state) << c.name;
    const auto& shown = *std::find_if(c.pushes.begin(), c.pushes.end(),
                                      [&](const auto& p) { return p.installation == c.from; });
    EXPECT_EQ(m.attempts, shown.attempts) << c.name;
    EXPECT_EQ(m.apns_id, shown.apns_id) << c.name;
  }
}

TEST(MessageSummary, WithoutPushesTheMessagesOwnDecisionStays) {
  pipeline::MessageRecord m;
  m.state = MessageState::SkippedNoPushRequested;
  m.reason = "disable_push";
  pipeline::summarise(m);
  EXPECT_EQ(m.state, MessageState::SkippedNoPushRequested);
  EXPECT_EQ(m.reason, "disable_push");
}

TEST(MessageSummary, APushViewCarriesTheMessageAndOnePushAndGivesThePushBack) {
  pipeline::MessageRecord m;
  m.message_id = "msg-3";
  m.sender = "alice";
  m.receiver = "bob";
  m.ext = "{}";
  auto p = push("bobs-ipad", MessageState::Pending, 1);
  p.token_hex = "ab12";
  p.cert_record_id = 4;
  p.environment = pipeline::Environment::Production;
  p.bundle_id = "com.example.imapp";
  m.pushes = {push("bobs-iphone", MessageState::SkippedOnline), p};
  const auto view = pipeline::push_view(m, p);
  EXPECT_EQ(view.message_id, "msg-3");
  EXPECT_EQ(view.receiver, "bob");
  EXPECT_EQ(view.ext, "{}");
  EXPECT_EQ(view.installation, "bobs-ipad");
  EXPECT_EQ(view.token_hex, "ab12");
  EXPECT_EQ(view.attempts, 1);
  EXPECT_TRUE(view.pushes.empty());
  const auto back = pipeline::push_of(view);
  EXPECT_EQ(back.installation, p.installation);
  EXPECT_EQ(back.state, p.state);
  EXPECT_EQ(back.apns_id, p.apns_id);
  EXPECT_EQ(back.cert_record_id, p.cert_record_id);
  EXPECT_EQ(back.environment, p.environment);
  EXPECT_EQ(back.bundle_id, p.bundle_id);
}

} // namespace
