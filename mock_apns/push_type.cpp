#include "mock_apns/push_type.hpp"

#include "core/names.hpp"

namespace mock_apns {
namespace {

// The apns-push-type header values (apns-provider-api.md §4.3): what the mock reads and the
// journal writes.
constexpr core::Names<PushType, 11> kPushTypeNames{{
    {PushType::Alert, "alert"},
    {PushType::Background, "background"},
    {PushType::Voip, "voip"},
    {PushType::Complication, "complication"},
    {PushType::Fileprovider, "fileprovider"},
    {PushType::Location, "location"},
    {PushType::Liveactivity, "liveactivity"},
    {PushType::Pushtotalk, "pushtotalk"},
    {PushType::Mdm, "mdm"},
    {PushType::Controls, "controls"},
    {PushType::Widgets, "widgets"},
}};

// The topic suffix each type needs (apns-provider-api.md §4.3); empty for the bare bundle id.
constexpr core::Names<PushType, 11> kTopicSuffixes{{
    {PushType::Alert, ""},
    {PushType::Background, ""},
    {PushType::Voip, ".voip"},
    {PushType::Complication, ".complication"},
    {PushType::Fileprovider, ".pushkit.fileprovider"},
    {PushType::Location, ".location-query"},
    {PushType::Liveactivity, ".push-type.liveactivity"},
    {PushType::Pushtotalk, ".voip-ptt"},
    {PushType::Mdm, ""},
    {PushType::Controls, ".push-type.controls"},
    {PushType::Widgets, ".push-type.widgets"},
}};

} // namespace

std::string_view push_type_name(PushType type) {
  return core::name_of(kPushTypeNames, type);
}

std::optional<PushType> parse_push_type(std::string_view text) {
  return core::value_named(kPushTypeNames, text);
}

std::string push_type_words() {
  return core::words_of(kPushTypeNames);
}

std::string_view topic_suffix(PushType type) {
  return core::name_of(kTopicSuffixes, type);
}

TopicParts split_topic(std::string_view topic) {
  // ".voip" is a suffix of no other entry, and ".voip-ptt" is checked as a whole, so the
  // first match is the only one.
  for (const auto& [type, suffix] : kTopicSuffixes) {
    if (!suffix.empty() && topic.size() > suffix.size() && topic.ends_with(suffix)) {
      return {topic.substr(0, topic.size() - suffix.size()), type};
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
