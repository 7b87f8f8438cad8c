#include "pipeline/records.hpp"

#include "core/names.hpp"

#include <array>
#include <utility>

namespace pipeline {
namespace {

// The text each enumerator is stored and logged as (core/names.hpp); the store's rows depend on
// these spellings never changing.
using core::name_of;
using core::Names;
using core::value_named;

constexpr Names<CertificateHealth, 4> kCertificateHealthNames{{
    {CertificateHealth::Ok, "ok"},
    {CertificateHealth::TopicMismatch, "CERT_TOPIC_MISMATCH"},
    {CertificateHealth::BadCertificate, "BAD_CERTIFICATE"},
    {CertificateHealth::Expired, "CERT_EXPIRED"},
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

constexpr Names<MessageState, 12> kMessageStateNames{{
    {MessageState::Pending, "pending"},
    {MessageState::Accepted, "accepted"},
    {MessageState::Rejected, "rejected"},
    {MessageState::SkippedOnline, "skipped_online"},
    {MessageState::SkippedNoPushRequested, "skipped_no_push_requested"},
    {MessageState::SkippedReceiveOption, "skipped_receive_option"},
    {MessageState::SkippedNoRegistration, "skipped_no_registration"},
    {MessageState::SkippedLoggedOut, "skipped_logged_out"},
    {MessageState::SkippedGroupType, "skipped_group_type"},
    {MessageState::PayloadTooLarge, "payload_too_large"},
    {MessageState::Expired, "expired"},
    {MessageState::Failed, "failed"},
}};

} // namespace

std::string_view to_string(CertificateHealth health) {
  return name_of(kCertificateHealthNames, health);
}

std::optional<CertificateHealth> parse_certificate_health(std::string_view text) {
  return value_named(kCertificateHealthNames, text);
}

std::string certificate_health_words() {
  return core::words_of(kCertificateHealthNames);
}

std::string_view to_string(Presence presence) {
  return name_of(kPresenceNames, presence);
}

std::optional<Presence> parse_presence(std::string_view text) {
  return value_named(kPresenceNames, text);
}

std::string presence_words() {
  return core::words_of(kPresenceNames);
}

std::string_view to_string(RegistrationState state) {
  return name_of(kRegistrationStateNames, state);
}

std::optional<RegistrationState> parse_registration_state(std::string_view text) {
  return value_named(kRegistrationStateNames, text);
}

std::string registration_state_words() {
  return core::words_of(kRegistrationStateNames);
}

std::string_view to_string(MessageState state) {
  return name_of(kMessageStateNames, state);
}

std::optional<MessageState> parse_message_state(std::string_view text) {
  return value_named(kMessageStateNames, text);
}

std::string message_state_words() {
  return core::words_of(kMessageStateNames);
}

} // namespace pipeline
