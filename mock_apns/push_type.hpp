#pragma once
// apns-push-type values, the topic suffix each needs and its payload limit
// (apns-provider-api.md §4.3, §4.4), and the two environments (§1).
#include "core/apns_environment.hpp"

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace mock_apns {

// The mock's two listeners: core's one environment type (names: core::to_string,
// core::parse_apns_environment).
using Environment = core::ApnsEnvironment;

enum class PushType {
  Alert,
  Background,
  Voip,
  Complication,
  Fileprovider,
  Location,
  Liveactivity,
  Pushtotalk,
  Mdm,
  Controls,
  Widgets,
};

std::string_view push_type_name(PushType type); // the header value, e.g. "voip"
std::optional<PushType> parse_push_type(std::string_view text);
std::string push_type_words(); // "alert, background, voip, ... or widgets"

// The topic suffix the type needs, e.g. ".voip"; empty for types sent to the bare bundle id.
std::string_view topic_suffix(PushType type);

// A topic split into its bundle id and the push type its recognised suffix belongs to
// (apns-provider-api.md §4.3 mock rule); `suffix_type` is empty for a bare bundle topic.
struct TopicParts {
  std::string_view bundle_id;
  std::optional<PushType> suffix_type;
};
TopicParts split_topic(std::string_view topic);

// The type a request without apns-push-type is taken to be: from the topic's suffix, else alert
// (apns-provider-api.md §4.3, "Header absent").
PushType infer_push_type(std::string_view topic);

// Largest body accepted: 5120 bytes for voip, 4096 for every other type
// (apns-provider-api.md §4.4).
std::size_t payload_limit(PushType type);

} // namespace mock_apns
