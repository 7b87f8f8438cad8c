#pragma once
// The X.509 extensions Apple puts in push certificates (spec apns-provider-api.md §7.2), under
// the arc 1.2.840.113635.100.6.3. Encoders and decoders of their values (DER), pure functions.

#include "core/result.hpp"

#include <string>
#include <string_view>
#include <vector>

namespace pki {

inline constexpr const char* kOidDevelopment = "1.2.840.113635.100.6.3.1"; // NULL: sandbox
inline constexpr const char* kOidProduction = "1.2.840.113635.100.6.3.2";  // NULL: production
inline constexpr const char* kOidAppIdSuffix = "1.2.840.113635.100.6.3.3"; // UTF8String bundle id
inline constexpr const char* kOidVoipTopics = "1.2.840.113635.100.6.3.4";  // UTF8String, comma list
inline constexpr const char* kOidVoipMarker = "1.2.840.113635.100.6.3.5";  // NULL on VoIP certs
inline constexpr const char* kOidTopics = "1.2.840.113635.100.6.3.6";      // topics list

// One entry of the .6.3.6 list: a topic and its kind ("app", "voip", "complication").
struct TopicEntry {
  std::string topic;
  std::string type;
  friend bool operator==(const TopicEntry&, const TopicEntry&) = default;
};

// .6.3.6 value: SEQUENCE { UTF8String topic, SEQUENCE { UTF8String type }, ... } (the layout
// pushy's and apns_erl_sim's test certificates use).
core::Result<std::string> encode_topics_extension(const std::vector<TopicEntry>& topics);
core::Result<std::vector<TopicEntry>> decode_topics_extension(std::string_view der);

std::string der_null();
core::Result<std::string> der_utf8_string(std::string_view text);
core::Result<std::string> decode_utf8_string(std::string_view der);

// The .6.3.4 text "a.voip, b.voip" as topics, blanks trimmed, empty items dropped.
std::vector<std::string> split_topic_list(std::string_view text);

} // namespace pki
