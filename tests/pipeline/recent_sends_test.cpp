// im-voip-flow.md §4.3 "Duplicate sends": the same (sender, receiver, random) within 60 s is one
// message; a copy sent while the first is being stored waits for its id.
#include "pipeline/recent_sends.hpp"

#include <gtest/gtest.h>

namespace {

using namespace std::chrono_literals;
using pipeline::RecentSends;

const core::TimePoint kT0 = core::from_unix_seconds(1'767'225'600);

struct Answers {
  std::vector<std::optional<std::string>> ids;
  RecentSends::IdReady ready() {
    return [this](std::optional<std::string> id) { ids.push_back(std::move(id)); };
  }
};

TEST(RecentSends, TheSameKeyWithinTheWindowIsTheFirstMessage) {
  RecentSends recent;
  Answers answers;
  std::string known;
  const RecentSends::Key key{"alice", "bob", 7};
  EXPECT_EQ(recent.check(key, kT0, answers.ready(), &known), RecentSends::Seen::New);
  // A copy while the first is being stored waits for its id.
  EXPECT_EQ(recent.check(key, kT0, answers.ready(), &known), RecentSends::Seen::Waiting);
  recent.stored(key, "msg-1", kT0);
  ASSERT_EQ(answers.ids.size(), 1u);
  EXPECT_EQ(answers.ids[0], "msg-1");
  EXPECT_EQ(recent.check(key, kT0 + 59s, answers.ready(), &known), RecentSends::Seen::Known);
  EXPECT_EQ(known, "msg-1");
  // Another receiver, sender or random is another message.
  for (const RecentSends::Key& other :
       {RecentSends::Key{"alice", "carol", 7}, RecentSends::Key{"carol", "bob", 7},
        RecentSends::Key{"alice", "bob", 8}})
    EXPECT_EQ(recent.check(other, kT0, answers.ready(), &known), RecentSends::Seen::New);
}

TEST(RecentSends, AfterTheWindowTheSameKeyIsANewMessage) {
  RecentSends recent;
  Answers answers;
  std::string known;
  const RecentSends::Key key{"alice", "bob", 7};
  ASSERT_EQ(recent.check(key, kT0, answers.ready(), &known), RecentSends::Seen::New);
  recent.stored(key, "msg-1", kT0);
  EXPECT_EQ(recent.check(key, kT0 + 60s, answers.ready(), &known), RecentSends::Seen::Known);
  EXPECT_EQ(recent.check(key, kT0 + 60s + 1ms, answers.ready(), &known), RecentSends::Seen::New);
  recent.stored(key, "msg-2", kT0 + 60s + 1ms);
  EXPECT_EQ(recent.check(key, kT0 + 61s, answers.ready(), &known), RecentSends::Seen::Known);
  EXPECT_EQ(known, "msg-2");
}

TEST(RecentSends, AFirstCopyThatFailsFailsItsWaitersAndIsForgotten) {
  RecentSends recent;
  Answers answers;
  std::string known;
  const RecentSends::Key key{"alice", "bob", 7};
  ASSERT_EQ(recent.check(key, kT0, answers.ready(), &known), RecentSends::Seen::New);
  ASSERT_EQ(recent.check(key, kT0, answers.ready(), &known), RecentSends::Seen::Waiting);
  recent.failed(key);
  ASSERT_EQ(answers.ids.size(), 1u);
  EXPECT_FALSE(answers.ids[0]);
  EXPECT_EQ(recent.check(key, kT0, answers.ready(), &known), RecentSends::Seen::New);
}

TEST(RecentSends, RememberedSendsFromBeforeARestartCount) {
  RecentSends recent;
  Answers answers;
  std::string known;
  recent.remember({"alice", "bob", 7}, "msg-9", kT0);
  EXPECT_EQ(recent.check({"alice", "bob", 7}, kT0 + 30s, answers.ready(), &known),
            RecentSends::Seen::Known);
  EXPECT_EQ(known, "msg-9");
}

} // namespace
