// Spec: docs/spec/im-voip-flow.md
#include "pipeline/groups.hpp"

#include "core/names.hpp"

namespace pipeline {
namespace {

constexpr core::Names<GroupType, 5> kTypeNames{{
    {GroupType::Work, "Work"},
    {GroupType::Public, "Public"},
    {GroupType::Meeting, "Meeting"},
    {GroupType::AVChatRoom, "AVChatRoom"},
    {GroupType::Community, "Community"},
}};

} // namespace

std::string_view to_string(GroupType type) {
  return core::name_of(kTypeNames, type);
}

std::optional<GroupType> parse_group_type(std::string_view text) {
  return core::value_named(kTypeNames, text);
}

std::string group_type_words() {
  return core::words_of(kTypeNames);
}

bool keeps_offline_messages(GroupType type) {
  return type != GroupType::AVChatRoom;
}

std::vector<std::string> fan_out(const Group& group, std::string_view sender) {
  std::vector<std::string> receivers;
  receivers.reserve(group.members.size());
  for (const auto& member : group.members)
    if (member != sender) receivers.push_back(member);
  return receivers;
}

} // namespace pipeline
