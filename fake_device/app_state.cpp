#include "fake_device/app_state.hpp"

#include "core/names.hpp"

namespace fake_device {
namespace {

// The words scenarios, device events and `voipsim device` output use (core/names.hpp).
constexpr core::Names<ProcessState, 7> kProcessStateNames{{
    {ProcessState::NotInstalled, "not_installed"},
    {ProcessState::NotRunning, "not_running"},
    {ProcessState::Foreground, "foreground"},
    {ProcessState::Background, "background"},
    {ProcessState::Suspended, "suspended"},
    {ProcessState::TerminatedByUser, "terminated_by_user"},
    {ProcessState::TerminatedBySystem, "terminated_by_system"},
}};

constexpr core::Names<RegistrationState, 4> kRegistrationStateNames{{
    {RegistrationState::Unregistered, "unregistered"},
    {RegistrationState::Requested, "requested"},
    {RegistrationState::Issued, "issued"},
    {RegistrationState::Invalidated, "invalidated"},
}};

constexpr core::Names<ImPresence, 5> kImPresenceNames{{
    {ImPresence::LoggedOut, "logged_out"},
    {ImPresence::Foreground, "foreground"},
    {ImPresence::Background, "background"},
    {ImPresence::Disconnected, "disconnected"},
    {ImPresence::Kicked, "kicked"},
}};

} // namespace

std::string_view to_string(ProcessState state) {
  return core::name_of(kProcessStateNames, state);
}

std::optional<ProcessState> parse_process_state(std::string_view text) {
  return core::value_named(kProcessStateNames, text);
}

std::string process_state_words() {
  return core::words_of(kProcessStateNames);
}

std::string_view to_string(RegistrationState state) {
  return core::name_of(kRegistrationStateNames, state);
}

std::string_view to_string(ImPresence presence) {
  return core::name_of(kImPresenceNames, presence);
}

} // namespace fake_device
