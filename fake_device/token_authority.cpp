#include "fake_device/token_authority.hpp"

namespace fake_device {

std::string_view to_string(PushKind kind) {
  return kind == PushKind::Voip ? "voip" : "alert";
}

std::string topic_for(std::string_view bundle_id, PushKind kind) {
  std::string topic(bundle_id);
  if (kind == PushKind::Voip) topic += ".voip";
  return topic;
}

} // namespace fake_device
