#pragma once
// Group sends (im-voip-flow.md §4.3, "Group sends"): a group has a type and members; a message to
// it is fanned out to every member but the sender, each one receiver of §4.3 with its own push.
// Group types that keep no offline messages (the product excludes AVChatRoom only) produce no
// offline push at all. Pure.

#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

namespace pipeline {

// Tencent Chat's group types, spelt as its API spells them.
enum class GroupType { Work, Public, Meeting, AVChatRoom, Community };
std::string_view to_string(GroupType type); // Work, Public, Meeting, AVChatRoom, Community
std::optional<GroupType> parse_group_type(std::string_view text);
std::string group_type_words(); // "Work, Public, Meeting, AVChatRoom or Community"

// False for the group types that keep no offline messages: their messages produce no offline
// push (im-voip-flow.md §4.3; product rule: AVChatRoom only).
bool keeps_offline_messages(GroupType type);

struct Group {
  std::string id;
  GroupType type = GroupType::Work;
  std::set<std::string, std::less<>> members; // ordered: a fan-out is in a stable order
  bool operator==(const Group&) const = default;
};

// Who a message from `sender` to `group` is for: every member but the sender, in member order.
std::vector<std::string> fan_out(const Group& group, std::string_view sender);

} // namespace pipeline
