// im-voip-flow.md §4.3 "Receive options": per conversation, per group or global; the most
// specific wins; only RECEIVE lets a one-to-one VoIP push go, and a skip names the option.
#include "pipeline/receive_options.hpp"

#include <gtest/gtest.h>

namespace {

using pipeline::MessageOrigin;
using pipeline::ReceiveOption;
using pipeline::ReceiveOptions;
using pipeline::ReceiveScope;

TEST(ReceiveOptions, NothingSetLetsEveryPushGo) {
  EXPECT_FALSE(
      pipeline::receive_option_blocks(ReceiveOptions{}, MessageOrigin::one_to_one("alice")));
}

TEST(ReceiveOptions, EveryOptionButReceiveBlocksAndIsNamed) {
  for (const auto option : {ReceiveOption::NotReceive, ReceiveOption::ReceiveNotNotify,
                            ReceiveOption::ReceiveNotNotifyExceptAt}) {
    ReceiveOptions o;
    o.set(ReceiveScope::Global, "", option);
    // One-to-one messages carry no @-mention: EXCEPT_AT lets nothing through here.
    EXPECT_EQ(pipeline::receive_option_blocks(o, MessageOrigin::one_to_one("alice")),
              std::string(pipeline::to_string(option)) + " (global)");
  }
  ReceiveOptions receive;
  receive.set(ReceiveScope::Global, "", ReceiveOption::Receive);
  EXPECT_FALSE(pipeline::receive_option_blocks(receive, MessageOrigin::one_to_one("alice")));
}

TEST(ReceiveOptions, TheConversationsSettingWinsOverTheGlobalOne) {
  ReceiveOptions o;
  o.set(ReceiveScope::Global, "", ReceiveOption::ReceiveNotNotify);
  o.set(ReceiveScope::Conversation, "alice", ReceiveOption::Receive);
  EXPECT_FALSE(pipeline::receive_option_blocks(o, MessageOrigin::one_to_one("alice")));
  EXPECT_EQ(pipeline::receive_option_blocks(o, MessageOrigin::one_to_one("carol")),
            "RECEIVE_NOT_NOTIFY (global)");

  o.set(ReceiveScope::Global, "", ReceiveOption::Receive);
  o.set(ReceiveScope::Conversation, "alice", ReceiveOption::NotReceive);
  EXPECT_EQ(pipeline::receive_option_blocks(o, MessageOrigin::one_to_one("alice")),
            "NOT_RECEIVE (conversation with alice)");
  // A group's setting says nothing about one-to-one messages.
  o.set(ReceiveScope::Group, "carol", ReceiveOption::NotReceive);
  EXPECT_FALSE(pipeline::receive_option_blocks(o, MessageOrigin::one_to_one("carol")));
}

// In a group, the group's setting wins over the global one, and RECEIVE_NOT_NOTIFY_EXCEPT_AT lets a
// message through only when it @-mentions the receiver (im-voip-flow.md §4.3).
TEST(ReceiveOptions, AGroupsSettingWinsAndExceptAtLetsMentionsThrough) {
  ReceiveOptions o;
  o.set(ReceiveScope::Global, "", ReceiveOption::ReceiveNotNotify);
  o.set(ReceiveScope::Group, "team", ReceiveOption::ReceiveNotNotifyExceptAt);
  EXPECT_EQ(pipeline::receive_option_blocks(o, MessageOrigin::in_group("alice", "team")),
            "RECEIVE_NOT_NOTIFY_EXCEPT_AT (group team)");
  EXPECT_FALSE(pipeline::receive_option_blocks(o, MessageOrigin::in_group("alice", "team", true)));
  // Another group falls back to the global setting, mention or not.
  EXPECT_EQ(pipeline::receive_option_blocks(o, MessageOrigin::in_group("alice", "club", true)),
            "RECEIVE_NOT_NOTIFY (global)");
  // A conversation's setting says nothing about a group message from that peer.
  o.set(ReceiveScope::Conversation, "alice", ReceiveOption::Receive);
  EXPECT_EQ(pipeline::receive_option_blocks(o, MessageOrigin::in_group("alice", "club")),
            "RECEIVE_NOT_NOTIFY (global)");
  // A global EXCEPT_AT lets a mention in any group through, and no one-to-one message.
  ReceiveOptions at;
  at.set(ReceiveScope::Global, "", ReceiveOption::ReceiveNotNotifyExceptAt);
  EXPECT_FALSE(pipeline::receive_option_blocks(at, MessageOrigin::in_group("alice", "club", true)));
  EXPECT_EQ(pipeline::receive_option_blocks(at, MessageOrigin{"alice", {}, true}),
            "RECEIVE_NOT_NOTIFY_EXCEPT_AT (global)");
  // NOT_RECEIVE is nothing at all, mentioned or not.
  o.set(ReceiveScope::Group, "team", ReceiveOption::NotReceive);
  EXPECT_EQ(pipeline::receive_option_blocks(o, MessageOrigin::in_group("alice", "team", true)),
            "NOT_RECEIVE (group team)");
}

TEST(ReceiveOptions, SettingsListEveryOneAndTheLastSetWins) {
  ReceiveOptions o;
  o.set(ReceiveScope::Conversation, "alice", ReceiveOption::NotReceive);
  o.set(ReceiveScope::Conversation, "alice", ReceiveOption::ReceiveNotNotify);
  o.set(ReceiveScope::Group, "team", ReceiveOption::ReceiveNotNotifyExceptAt);
  o.set(ReceiveScope::Global, "ignored", ReceiveOption::Receive);
  const std::vector<pipeline::ReceiveSetting> expected = {
      {ReceiveScope::Global, "", ReceiveOption::Receive},
      {ReceiveScope::Conversation, "alice", ReceiveOption::ReceiveNotNotify},
      {ReceiveScope::Group, "team", ReceiveOption::ReceiveNotNotifyExceptAt}};
  EXPECT_EQ(o.settings(), expected);
}

TEST(ReceiveOptions, NamesAreTheVendorsAndRoundTrip) {
  for (const auto option :
       {ReceiveOption::Receive, ReceiveOption::NotReceive, ReceiveOption::ReceiveNotNotify,
        ReceiveOption::ReceiveNotNotifyExceptAt})
    EXPECT_EQ(pipeline::parse_receive_option(pipeline::to_string(option)), option);
  EXPECT_EQ(pipeline::to_string(ReceiveOption::ReceiveNotNotifyExceptAt),
            "RECEIVE_NOT_NOTIFY_EXCEPT_AT");
  EXPECT_FALSE(pipeline::parse_receive_option("receive"));
  EXPECT_EQ(pipeline::receive_scope_words(), "global, conversation or group");
  for (const auto scope : {ReceiveScope::Global, ReceiveScope::Conversation, ReceiveScope::Group})
    EXPECT_EQ(pipeline::parse_receive_scope(pipeline::to_string(scope)), scope);
}

} // namespace
