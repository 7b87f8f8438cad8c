#include "pipeline/records.hpp"

#include <array>
#include <utility>

namespace pipeline {
namespace {

// The text each enumerator is stored and logged as. One table per enum keeps to_string and
// parse from drifting apart; the store's rows depend on these spellings never changing.
template <class Enum, std::size_t N>
using Names = std::array<std::pair<Enum, std::string_view>, N>;

constexpr Names<Environment, 2> kEnvironmentNames{{
    {Environment::Development, "dev"},
    {Environment::Production, "prod"},
}};

constexpr Names<Presence, 5> kPresenceNames{{
    {Presence::Online, "online"},
    {Presence::Background, "background"},
    {Presence::Killed, "killed"},
    {Presence::LoggedOut, "logged_out"},
    {Presence::Kicked, "kicked"},
}};

constexpr Names<RegistrationState, 4> kRegistrationStateNames{{
    {RegistrationState::Active, "active"},
    {RegistrationState::Unregistered, "unregistered"},
    {RegistrationState::BadToken, "bad_token"},
    {RegistrationState::Inactive, "inactive"},
}};

constexpr Names<MessageState, 9> kMessageStateNames{{
    {MessageState::Pending, "pending"},
    {MessageState::Accepted, "accepted"},
    {MessageState::Rejected, "rejected"},
    {MessageState::SkippedOnline, "skipped_online"},
    {MessageState::SkippedNoRegistration, "skipped_no_registration"},
    {MessageState::SkippedLoggedOut, "skipped_logged_out"},
    {MessageState::PayloadTooLarge, "payload_too_large"},
    {MessageState::Expired, "expired"},
    {MessageState::Failed, "failed"},
}};

template <class Enum, std::size_t N>
std::string_view name_of(const Names<Enum, N>& names, Enum value) {
  for (const auto& [candidate, name] : names) {
    if (candidate == value) return name;
  }
  return "invalid"; // only for a value cast from outside the enum's range
}

template <class Enum, std::size_t N>
std::optional<Enum> value_named(const Names<Enum, N>& names, std::string_view text) {
  for (const auto& [value, name] : names) {
    if (name == text) return value;
  }
  return std::nullopt;
}

} // namespace

std::string_view to_string(Environment environment) {
  return name_of(kEnvironmentNames, environment);
}

std::optional<Environment> parse_environment(std::string_view text) {
  return value_named(kEnvironmentNames, text);
}

std::string_view to_string(Presence presence) {
  return name_of(kPresenceNames, presence);
}

std::optional<Presence> parse_presence(std::string_view text) {
  return value_named(kPresenceNames, text);
}

std::string_view to_string(RegistrationState state) {
  return name_of(kRegistrationStateNames, state);
}

std::optional<RegistrationState> parse_registration_state(std::string_view text) {
  return value_named(kRegistrationStateNames, text);
}

std::string_view to_string(MessageState state) {
  return name_of(kMessageStateNames, state);
}

std::optional<MessageState> parse_message_state(std::string_view text) {
  return value_named(kMessageStateNames, text);
}

} // namespace pipeline
