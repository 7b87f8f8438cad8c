#pragma once
// One entry of the device's journal: what happened, when on the shared clock, to which app and
// which push. Kinds follow pushkit-callkit.md §7.5, plus the device-side transitions tests need
// to tell "APNs said 200" from "the phone rang".

#include "core/clock.hpp"

#include <optional>
#include <string>
#include <string_view>

namespace fake_device {

enum class DeviceEventKind {
  AppInstalled,
  AppUninstalled,
  AppStateChanged, // detail: "<from> -> <to>"
  PresenceChanged, // IM SDK presence; detail: the new presence
  ReachabilityChanged,
  RegistryCreated,   // PKPushRegistry created, desiredPushTypes = [.voIP]
  TokenIssued,       // didUpdate(pushCredentials:) for voip (the detail says when it waits for
                     // the app's next registry), or the alert token
  TokenInvalidated,  // didInvalidatePushTokenFor(.voIP): registration failed or was removed
  TokenUnregistered, // the token was retired at the authority (uninstall, rotation)
  PushArrived,       // delivered to the device
  PushDropped,       // not handed to the app; detail says why
  BlockedDrop,       // dropped because the app failed to report too many times (§4.3)
  AppLaunched,       // background launch of a not-running app for a push
  AppWoken,          // suspended app resumed for a push
  DelegateCalled,    // PushKit delegate running; detail says whether it must report
  CallReported,      // reportNewIncomingCall called
  CallShown,         // CallKit allowed the call: incoming-call UI up
  CallRejected,      // CallKit refused the call: not shown; code = error code
  CallAnswered,      // CXAnswerCallAction; detail: "fulfilled" or "failed"
  CallEnded,         // detail: the CXCallEndedReason
  CompletionCalled,  // PushKit completion() called
  AssertionReleased, // the wake-up assertion ran out without completion(); app suspended
  AppKilled,         // killed for not reporting; detail: the crash record
  AppCrashed,        // crashed for another reason (CallKit not linked)
  AlertDelivered,    // a non-VoIP push reached the app
  TokenReported,     // setVOIP succeeded; detail: certificate ID and token (or "null")
  TokenReportFailed, // setVOIP failed; detail: the error
  Log,               // an exact system log line (§4.4)
};

std::string_view to_string(DeviceEventKind kind);
std::optional<DeviceEventKind> parse_device_event_kind(std::string_view text);
std::string device_event_kind_words(); // "app_installed, app_uninstalled, ... or log"

struct DeviceEvent;
// One JSON object on one line: {"event":"device","ts":<unix ms>,"kind":..,"bundle_id":..,
// "apns_id":..,"call_uuid":..,"code":..,"detail":..}; empty strings are left out. Field names
// as in the mock's admin API. For `voipsim device`: written for people and scripts; nothing in
// voipsim reads it back, so it has no reader. With a `device_id`, a "device_id" field follows
// "event" (`voipsim up`, whose phones share one stdout).
std::string to_json_line(const DeviceEvent& event, std::string_view device_id = {});

struct DeviceEvent {
  core::TimePoint at{};
  DeviceEventKind kind = DeviceEventKind::Log;
  std::string bundle_id; // empty for device-wide events
  std::string apns_id;   // the push this belongs to; empty when none
  std::string call_uuid; // the call this belongs to; empty when none
  // CallRejected: the CallKit error code; CallEnded: the CXCallEndedReason raw value;
  // AppKilled, BlockedDrop: the kill count after it; DelegateCalled: 1 if the push must be
  // reported to CallKit, else 0. Otherwise 0.
  int code = 0;
  std::string detail; // human-readable; for Log the exact line
};

} // namespace fake_device
