// The device's names tables: the words scenarios, `voipsim device` and its commands use.
#include "fake_device/app_config.hpp"
#include "fake_device/app_state.hpp"
#include "fake_device/callkit.hpp"
#include "fake_device/device_event.hpp"
#include "support/names_round_trip.hpp"

#include <gtest/gtest.h>

namespace fake_device {
namespace {

using support::expect_round_trip;

TEST(FakeDeviceNames, ProcessStates) {
  expect_round_trip<ProcessState>(
      {{ProcessState::NotInstalled, "not_installed"},
       {ProcessState::NotRunning, "not_running"},
       {ProcessState::Foreground, "foreground"},
       {ProcessState::Background, "background"},
       {ProcessState::Suspended, "suspended"},
       {ProcessState::TerminatedByUser, "terminated_by_user"},
       {ProcessState::TerminatedBySystem, "terminated_by_system"}},
      [](ProcessState s) { return to_string(s); }, parse_process_state);
  EXPECT_EQ(process_state_words().substr(0, 27), "not_installed, not_running,");
}

TEST(FakeDeviceNames, DeviceEventKinds) {
  expect_round_trip<DeviceEventKind>(
      {{DeviceEventKind::AppInstalled, "app_installed"},
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
       {DeviceEventKind::Log, "log"}},
      [](DeviceEventKind k) { return to_string(k); }, parse_device_event_kind);
}

TEST(FakeDeviceNames, IncomingCallErrorsByNameAndByCode) {
  expect_round_trip<IncomingCallError>(
      {{IncomingCallError::Unknown, "unknown"},
       {IncomingCallError::Unentitled, "unentitled"},
       {IncomingCallError::CallUuidAlreadyExists, "callUUIDAlreadyExists"},
       {IncomingCallError::FilteredByDoNotDisturb, "filteredByDoNotDisturb"},
       {IncomingCallError::FilteredByBlockList, "filteredByBlockList"},
       {IncomingCallError::FilteredDuringRestrictedSharingMode,
        "filteredDuringRestrictedSharingMode"},
       {IncomingCallError::CallIsProtected, "callIsProtected"},
       {IncomingCallError::FilteredBySensitiveParticipants, "filteredBySensitiveParticipants"}},
      [](IncomingCallError e) { return to_string(e); }, parse_incoming_call_error);
  for (int code = 0; code <= 7; ++code)
    EXPECT_EQ(static_cast<int>(incoming_call_error_of_code(code).value()), code);
  EXPECT_FALSE(incoming_call_error_of_code(8));
  EXPECT_FALSE(incoming_call_error_of_code(-1));
}

TEST(FakeDeviceNames, RegistryCreationAndTokenReporting) {
  expect_round_trip<RegistryCreation>(
      {{RegistryCreation::AtLaunch, "at_launch"},
       {RegistryCreation::AfterConsent, "after_consent"},
       {RegistryCreation::AfterLogin, "after_login"},
       {RegistryCreation::Never, "never"}},
      [](RegistryCreation c) { return to_string(c); }, parse_registry_creation);
  EXPECT_EQ(registry_creation_words(), "at_launch, after_consent, after_login or never");
  expect_round_trip<TokenReporting>(
      {{TokenReporting::AfterLogin, "after_login"},
       {TokenReporting::OnTokenOnly, "on_token_only"},
       {TokenReporting::Never, "never"}},
      [](TokenReporting r) { return to_string(r); }, parse_token_reporting);
  EXPECT_EQ(token_reporting_words(), "after_login, on_token_only or never");
}

} // namespace
} // namespace fake_device
