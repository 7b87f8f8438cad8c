#include "fake_device/apns_file.hpp"

#include "core/encoding.hpp"
#include "core/json_parse.hpp"
#include "fake_device/error.hpp"

#include <algorithm>

#include <nlohmann/json.hpp>

namespace fake_device {
namespace {

constexpr std::string_view kVoipSuffix = ".voip";

core::Unexpected<core::Error> invalid(std::string why) {
  return core::fail(Errc::InvalidApnsFile, std::move(why));
}

} // namespace

core::Result<ApnsFile> parse_apns_file(std::string_view text) {
  if (text.size() > kMaxApnsFileSize) {
    return invalid("file is " + std::to_string(text.size()) + " bytes; at most " +
                   std::to_string(kMaxApnsFileSize) + " accepted");
  }
  if (!core::is_valid_utf8(text)) return invalid("file is not UTF-8 text");
  // Serialising the payload back recurses once per level: a deep file is refused first.
  if (core::nests_deeper_than(text, kMaxApnsFileDepth)) {
    return invalid("JSON nested deeper than " + std::to_string(kMaxApnsFileDepth) + " levels");
  }
  // ordered_json keeps the payload's keys in the file's order; core::JsonFields reads
  // nlohmann::json only, so this person's file is read by hand below.
  auto parsed = core::parse_ordered_json(text);
  if (!parsed) return invalid("file is " + parsed.error().detail);
  auto& document = *parsed;
  if (!document.is_object()) return invalid("top level is not a JSON object");

  const auto target = document.find(kSimulatorTargetBundleKey);
  if (target == document.end()) {
    return invalid("missing \"" + std::string(kSimulatorTargetBundleKey) + "\"");
  }
  if (!target->is_string() || target->get_ref<const std::string&>().empty()) {
    return invalid("\"" + std::string(kSimulatorTargetBundleKey) + "\" is not a non-empty string");
  }
  ApnsFile file;
  file.bundle_id = target->get<std::string>();
  document.erase(target);
  if (file.bundle_id.size() > kVoipSuffix.size() && file.bundle_id.ends_with(kVoipSuffix)) {
    file.bundle_id.resize(file.bundle_id.size() - kVoipSuffix.size());
    file.kind = PushKind::Voip;
  }
  if (file.kind == PushKind::Alert) {
    const auto aps = document.find("aps");
    if (aps == document.end() || !aps->is_object()) {
      return invalid("alert push without an \"aps\" object");
    }
  }
  file.payload = document.dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace);
  const std::size_t limit = file.kind == PushKind::Voip ? kMaxVoipPayload : kMaxAlertPayload;
  if (file.payload.size() > limit) {
    return invalid("payload is " + std::to_string(file.payload.size()) + " bytes; the limit for " +
                   std::string(to_string(file.kind)) + " pushes is " + std::to_string(limit));
  }
  return file;
}

} // namespace fake_device
