#pragma once
// The device's bookkeeping per installed app, per call and per push being handled. Internal to
// Device; in a header only so that Device can hold them by value.
// Spec: docs/spec/pushkit-callkit.md

#include "core/clock.hpp"
#include "fake_device/app_config.hpp"
#include "fake_device/app_state.hpp"
#include "fake_device/callkit.hpp"

#include <cstdint>
#include <optional>
#include <string>

namespace fake_device {

struct AppRecord {
  AppConfig config;
  ProcessState process = ProcessState::NotRunning;
  // A new device-wide value at every process start and stop, so work scheduled for a process
  // that died (even of an earlier install) is ignored.
  std::uint64_t generation = 0;
  bool registry_created = false; // by the current process
  RegistrationState registration = RegistrationState::Unregistered;
  std::optional<std::string> voip_token;
  // voip_token was issued while no registry was there to hear it (§2.3 rotation of an app that
  // is not running): PushKit hands it to didUpdate when the registry is next created.
  bool voip_token_unheard = false;
  std::optional<std::string> alert_token;
  bool consent = false;
  bool logged_in = false; // the IM account session, kept across launches until logout
  bool kicked = false;
  ImPresence presence = ImPresence::LoggedOut;
  std::optional<core::TimePoint> last_reported_call_at; // by the current process (§4.2)
  std::optional<std::string> reported_token;            // last token setVOIP accepted
};

struct CallRecord {
  std::string bundle_id;
  std::string apns_id;
  std::string handle;
  CallState state = CallState::Reporting;
  std::optional<CallEndedReason> ended_reason;
  std::optional<CallKitError> error;
  core::Clock::TimerId ring_timer = 0;
};

// Push handling state H (§7.3) of one VoIP push handed to an app.
struct PushHandling {
  std::string apns_id;
  std::string bundle_id;
  std::uint64_t generation = 0;
  bool must_report = false;
  bool reported = false;
  bool finished = false; // completed, released or killed
  core::Clock::TimerId assertion_timer = 0;
};

} // namespace fake_device
