#include "fake_device/app_state.hpp"

namespace fake_device {

std::string_view to_string(ProcessState state) {
  switch (state) {
  case ProcessState::NotInstalled:
    return "not_installed";
  case ProcessState::NotRunning:
    return "not_running";
  case ProcessState::Foreground:
    return "foreground";
  case ProcessState::Background:
    return "background";
  case ProcessState::Suspended:
    return "suspended";
  case ProcessState::TerminatedByUser:
    return "terminated_by_user";
  case ProcessState::TerminatedBySystem:
    return "terminated_by_system";
  }
  return "unknown";
}

std::string_view to_string(RegistrationState state) {
  switch (state) {
  case RegistrationState::Unregistered:
    return "unregistered";
  case RegistrationState::Requested:
    return "requested";
  case RegistrationState::Issued:
    return "issued";
  case RegistrationState::Invalidated:
    return "invalidated";
  }
  return "unknown";
}

std::string_view to_string(ImPresence presence) {
  switch (presence) {
  case ImPresence::LoggedOut:
    return "logged_out";
  case ImPresence::Foreground:
    return "foreground";
  case ImPresence::Background:
    return "background";
  case ImPresence::Disconnected:
    return "disconnected";
  case ImPresence::Kicked:
    return "kicked";
  }
  return "unknown";
}

} // namespace fake_device
