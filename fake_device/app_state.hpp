#pragma once
// The states an app moves through on the device: process P, PushKit registration R and the
// IM SDK's presence (pushkit-callkit.md §7.3; im-voip-flow.md §4.3 "Presence model").
// Spec: docs/spec/pushkit-callkit.md

#include <optional>
#include <string>
#include <string_view>

namespace fake_device {

enum class ProcessState {
  NotInstalled,
  // Installed, no process: never launched since install or boot, powered off, or killed or
  // crashed by the system (§7.4 steps 7 and 9, Registration 1; the journal says why).
  NotRunning,
  Foreground,
  Background,
  Suspended,
  TerminatedByUser,   // swiped away in the app switcher
  TerminatedBySystem, // ended by the system for its own reasons, e.g. memory (terminate())
};

// True for the states in which the process exists.
constexpr bool is_running(ProcessState state) {
  return state == ProcessState::Foreground || state == ProcessState::Background ||
         state == ProcessState::Suspended;
}

enum class RegistrationState { Unregistered, Requested, Issued, Invalidated };

// What the IM server sees of this installation (im-voip-flow.md §4.3): only Background and
// Disconnected get offline (VoIP) pushes.
enum class ImPresence { LoggedOut, Foreground, Background, Disconnected, Kicked };

std::string_view to_string(ProcessState state);
std::optional<ProcessState> parse_process_state(std::string_view text);
std::string process_state_words(); // "not_installed, not_running, ... or terminated_by_system"
std::string_view to_string(RegistrationState state);
std::string_view to_string(ImPresence presence);

} // namespace fake_device
