#include "mock_apns/push_type.hpp"

#include <array>

namespace mock_apns {
namespace {

struct PushTypeInfo {
  PushType type;
  std::string_view name;
  std::string_view suffix;
};

constexpr std::array<PushTypeInfo, 11> kPushTypes{{
    {PushType::Alert, "alert", ""},
    {PushType::Background, "background", ""},
    {PushType::Voip, "voip", ".voip"},
    {PushType::Complication, "complication", ".complication"},
    {PushType::Fileprovider, "fileprovider", ".pushkit.fileprovider"},
    {PushType::Location, "location", ".location-query"},
    {PushType::Liveactivity, "liveactivity", ".push-type.liveactivity"},
    {PushType::Pushtotalk, "pushtotalk", ".voip-ptt"},
    {PushType::Mdm, "mdm", ""},
    {PushType::Controls, "controls", ".push-type.controls"},
    {PushType::Widgets, "widgets", ".push-type.widgets"},
}};

const PushTypeInfo& info(PushType type) {
  return kPushTypes[static_cast<std::size_t>(type)];
}

} // namespace

std::string_view push_type_name(PushType type) {
  return info(type).name;
}

std::optional<PushType> parse_push_type(std::string_view text) {
  for (const PushTypeInfo& entry : kPushTypes) {
    if (entry.name == text) {
      return entry.type;
    }
  }
  return std::nullopt;
}

std::string_view topic_suffix(PushType type) {
  return info(type).suffix;
}

TopicParts split_topic(std::string_view topic) {
  // ".voip" is a suffix of no other entry, and ".voip-ptt" is checked as a whole, so the
  // first match is the only one.
  for (const PushTypeInfo& entry : kPushTypes) {
    if (!entry.suffix.empty() && topic.size() > entry.suffix.size() &&
        topic.ends_with(entry.suffix)) {
      return {topic.substr(0, topic.size() - entry.suffix.size()), entry.type};
    }
  }
  return {topic, std::nullopt};
}

PushType infer_push_type(std::string_view topic) {
  return split_topic(topic).suffix_type.value_or(PushType::Alert);
}

std::size_t payload_limit(PushType type) {
  return type == PushType::Voip ? 5120 : 4096;
}

} // namespace mock_apns
