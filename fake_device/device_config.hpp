#pragma once
// Per-device settings (pushkit-callkit.md §7.1) and the [sim] switches the spec makes
// configurable.

#include "core/clock.hpp"
#include "fake_device/ios_version.hpp"

#include <chrono>
#include <cstdint>
#include <set>
#include <string>

namespace fake_device {

struct DeviceConfig {
  std::string device_id = "iphone-1";
  IosVersion ios{17, 0};
  bool locked = false;                   // CallKit shows the full-screen lock-screen UI (§3)
  bool dnd = false;                      // Do Not Disturb / Focus on
  std::set<std::string> allowed_handles; // let through Do Not Disturb
  std::set<std::string> blocked_handles;
  // §7.6 D08: a foreground app need not report ([decompiled]); false kills it like any other.
  bool foreground_exempt = true;
  // §4.2: no report needed for a push within 7 s of the app's last reported call.
  bool report_grace_window = true;
  // §4.2: iOS-13-era wording of the kill message, ending "... push callback."
  bool ios13_kill_message = false;
  // §7.4 Registration 4: real devices retire the token at their nightly reconciliation.
  core::Duration uninstall_invalidate_delay{};
  // §7.4 CallKit 4: the system's ring timeout is unconfirmed.
  core::Duration ring_timeout = std::chrono::seconds{30};
  // Seeds the call UUIDs apps choose and the apns-ids of injected .apns pushes.
  std::uint64_t seed = 1;
};

} // namespace fake_device
