// im-voip-flow.md §4.3 "Receive options": per conversation, per group or global; the most
// specific wins; only RECEIVE lets a one-to-one VoIP push go, and a skip names the option.
#include "pipeline/receive_options.hpp"

#include <gtest/gtest.h>

namespace {

using pipeline::ReceiveOption;
using pipeline::ReceiveOptions;
using pipeline::ReceiveScope;

TEST(ReceiveOptions, NothingSetLetsEveryPushGo) {
  EXPECT_FALSE(pipeline::receive_option_blocks(ReceiveOptions{}, "alice"));
}

TEST(ReceiveOptions, EveryOptionButReceiveBlocksAndIsNamed) {
  for (const auto option : {ReceiveOption::NotReceive, ReceiveOption::ReceiveNotNotify,
                            ReceiveOption::ReceiveNotNotifyExceptAt}) {
    ReceiveOptions o;
    o.set(ReceiveScope::Global, "", option);
    // One-to-one messages carry no @-mention: EXCEPT_AT lets nothing through here.
    EXPECT_EQ(pipeline::receive_option_blocks(o, "alice"),
              std::string(pipeline::to_string(option)) + " (global)");
  }
  ReceiveOptions receive;
  receive.set(ReceiveScope::Global, "", ReceiveOption::Receive);
  EXPECT_FALSE(pipeline::receive_option_blocks(receive, "alice"));
}

TEST(ReceiveOptions, TheConversationsSettingWinsOverTheGlobalOne) {
  ReceiveOptions o;
  o.set(ReceiveScope::Global, "", ReceiveOption::ReceiveNotNotify);
  o.set(ReceiveScope::Conversation, "alice", ReceiveOption::Receive);
  EXPECT_FALSE(pipeline::receive_option_blocks(o, "alice"));
  EXPECT_EQ(pipeline::receive_option_blocks(o, "carol"), "RECEIVE_NOT_NOTIFY (global)");

  o.set(ReceiveScope::Global, "", ReceiveOption::Receive);
  o.set(ReceiveScope::Conversation, "alice", ReceiveOption::NotReceive);
  EXPECT_EQ(pipeline::receive_option_blocks(o, "alice"), "NOT_RECEIVE (conversation with alice)");
  // A group's setting says nothing about one-to-one messages.
  o.set(ReceiveScope::Group, "carol", ReceiveOption::NotReceive);
  EXPECT_FALSE(pipeline::receive_option_blocks(o, "carol"));
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
