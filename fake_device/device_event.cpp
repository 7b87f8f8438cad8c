#include "fake_device/device_event.hpp"

#include "core/names.hpp"

#include <nlohmann/json.hpp>

namespace fake_device {

namespace {

// The words of device events in scenarios, the journal and `voipsim device` lines.
constexpr core::Names<DeviceEventKind, 28> kDeviceEventKindNames{{
    {DeviceEventKind::AppInstalled, "app_installed"},
    {DeviceEventKind::AppUninstalled, "app_uninstalled"},
    {DeviceEventKind::AppStateChanged, "app_state_changed"},
    {DeviceEventKind::PresenceChanged, "presence_changed"},
    {DeviceEventKind::ReachabilityChanged, "reachability_changed"},
    {DeviceEventKind::RegistryCreated, "registry_created"},
    {DeviceEventKind::TokenIssued, "token_issued"},
    {DeviceEventKind::TokenInvalidated, "token_invalidated"},
    {DeviceEventKind::TokenUnregistered, "token_unregistered"},
    {DeviceEventKind::PushArrived, "push_arrived"},
    {DeviceEventKind::PushDropped, "push_dropped"},
    {DeviceEventKind::BlockedDrop, "blocked_drop"},
    {DeviceEventKind::AppLaunched, "app_launched"},
    {DeviceEventKind::AppWoken, "app_woken"},
    {DeviceEventKind::DelegateCalled, "delegate_called"},
    {DeviceEventKind::CallReported, "call_reported"},
    {DeviceEventKind::CallShown, "call_shown"},
    {DeviceEventKind::CallRejected, "call_rejected"},
    {DeviceEventKind::CallAnswered, "call_answered"},
    {DeviceEventKind::CallEnded, "call_ended"},
    {DeviceEventKind::CompletionCalled, "completion_called"},
    {DeviceEventKind::AssertionReleased, "assertion_released"},
    {DeviceEventKind::AppKilled, "app_killed"},
    {DeviceEventKind::AppCrashed, "app_crashed"},
    {DeviceEventKind::AlertDelivered, "alert_delivered"},
    {DeviceEventKind::TokenReported, "token_reported"},
    {DeviceEventKind::TokenReportFailed, "token_report_failed"},
    {DeviceEventKind::Log, "log"},
}};

} // namespace

std::string_view to_string(DeviceEventKind kind) {
  return core::name_of(kDeviceEventKindNames, kind);
}

std::optional<DeviceEventKind> parse_device_event_kind(std::string_view text) {
  return core::value_named(kDeviceEventKindNames, text);
}

std::string device_event_kind_words() {
  return core::words_of(kDeviceEventKindNames);
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
