// im-voip-flow.md §4.3 "Group sends": a group message is for every member but the sender; a group
// type that keeps no offline messages (the product excludes AVChatRoom only) pushes to nobody.
#include "pipeline/groups.hpp"

#include <gtest/gtest.h>

namespace {

using pipeline::Group;
using pipeline::GroupType;

TEST(Groups, AMessageIsForEveryMemberButTheSenderInMemberOrder) {
  const Group team{"team", GroupType::Work, {"dave", "alice", "carol", "bob"}};
  EXPECT_EQ(pipeline::fan_out(team, "alice"), (std::vector<std::string>{"bob", "carol", "dave"}));
  // A sender who is not a member takes nobody out.
  EXPECT_EQ(pipeline::fan_out(team, "erin").size(), 4u);
  EXPECT_TRUE(pipeline::fan_out(Group{"solo", GroupType::Work, {"alice"}}, "alice").empty());
}

TEST(Groups, OnlyAVChatRoomKeepsNoOfflineMessages) {
  for (const auto type :
       {GroupType::Work, GroupType::Public, GroupType::Meeting, GroupType::Community})
    EXPECT_TRUE(pipeline::keeps_offline_messages(type)) << pipeline::to_string(type);
  EXPECT_FALSE(pipeline::keeps_offline_messages(GroupType::AVChatRoom));
}

TEST(Groups, TypesAreTheVendorsSpellingsAndRoundTrip) {
  for (const auto type : {GroupType::Work, GroupType::Public, GroupType::Meeting,
                          GroupType::AVChatRoom, GroupType::Community})
    EXPECT_EQ(pipeline::parse_group_type(pipeline::to_string(type)), type);
  EXPECT_EQ(pipeline::to_string(GroupType::AVChatRoom), "AVChatRoom");
  EXPECT_FALSE(pipeline::parse_group_type("avchatroom"));
  EXPECT_EQ(pipeline::group_type_words(), "Work, Public, Meeting, AVChatRoom or Community");
}

} // namespace
