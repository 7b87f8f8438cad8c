#include "fake_device/device_event.hpp"

#include <nlohmann/json.hpp>

namespace fake_device {

std::string_view to_string(DeviceEventKind kind) {
  switch (kind) {
  case DeviceEventKind::AppInstalled:
    return "app_installed";
  case DeviceEventKind::AppUninstalled:
    return "app_uninstalled";
  case DeviceEventKind::AppStateChanged:
    return "app_state_changed";
  case DeviceEventKind::PresenceChanged:
    return "presence_changed";
  case DeviceEventKind::ReachabilityChanged:
    return "reachability_changed";
  case DeviceEventKind::RegistryCreated:
    return "registry_created";
  case DeviceEventKind::TokenIssued:
    return "token_issued";
  case DeviceEventKind::TokenInvalidated:
    return "token_invalidated";
  case DeviceEventKind::TokenUnregistered:
    return "token_unregistered";
  case DeviceEventKind::PushArrived:
    return "push_arrived";
  case DeviceEventKind::PushDropped:
    return "push_dropped";
  case DeviceEventKind::BlockedDrop:
    return "blocked_drop";
  case DeviceEventKind::AppLaunched:
    return "app_launched";
  case DeviceEventKind::AppWoken:
    return "app_woken";
  case DeviceEventKind::DelegateCalled:
    return "delegate_called";
  case DeviceEventKind::CallReported:
    return "call_reported";
  case DeviceEventKind::CallShown:
    return "call_shown";
  case DeviceEventKind::CallRejected:
    return "call_rejected";
  case DeviceEventKind::CallAnswered:
    return "call_answered";
  case DeviceEventKind::CallEnded:
    return "call_ended";
  case DeviceEventKind::CompletionCalled:
    return "completion_called";
  case DeviceEventKind::AssertionReleased:
    return "assertion_released";
  case DeviceEventKind::AppKilled:
    return "app_killed";
  case DeviceEventKind::AppCrashed:
    return "app_crashed";
  case DeviceEventKind::AlertDelivered:
    return "alert_delivered";
  case DeviceEventKind::TokenReported:
    return "token_reported";
  case DeviceEventKind::TokenReportFailed:
    return "token_report_failed";
  case DeviceEventKind::Log:
    return "log";
  }
  return "unknown";
}

std::string to_json_line(const DeviceEvent& event, std::string_view device_id) {
  nlohmann::ordered_json line;
  line["event"] = "device"; // beside voipsim device's ready, command and warning lines
  if (!device_id.empty()) line["device_id"] = device_id;
  line["ts"] = core::unix_millis(event.at);
  line["kind"] = std::string(to_string(event.kind));
  if (!event.bundle_id.empty()) line["bundle_id"] = event.bundle_id;
  if (!event.apns_id.empty()) line["apns_id"] = event.apns_id;
  if (!event.call_uuid.empty()) line["call_uuid"] = event.call_uuid;
  if (event.code != 0) line["code"] = event.code;
  if (!event.detail.empty()) line["detail"] = event.detail;
  // Details may quote bytes a sender chose; replace what is not UTF-8 rather than throw.
  return line.dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace);
}

} // namespace fake_device
