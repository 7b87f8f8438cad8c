#include "pipeline/push_eligibility.hpp"

namespace pipeline {

std::optional<PushBlocked> push_blocked(const std::optional<Presence>& presence,
                                        const std::optional<Registration>& registration,
                                        const MessageRecord* sent_to) {
  if (presence == Presence::Online)
    return PushBlocked{MessageState::SkippedOnline, "delivered over the IM connection"};
  if (!presence || !logged_in(*presence))
    return PushBlocked{MessageState::SkippedLoggedOut,
                       presence ? std::string(to_string(*presence)) : "never logged in"};
  if (!registration)
    return PushBlocked{MessageState::SkippedNoRegistration, "no VoIP token reported (setVOIP)"};
  if (registration->state != RegistrationState::Active)
    return PushBlocked{MessageState::SkippedNoRegistration,
                       "registration " + std::string(to_string(registration->state)) +
                           (registration->reason.empty() ? "" : ": " + registration->reason)};
  if (sent_to && (registration->token_hex != sent_to->token_hex ||
                  registration->cert_record_id != sent_to->cert_record_id))
    return PushBlocked{MessageState::SkippedNoRegistration,
                       "registration replaced by a new setVOIP since the first attempt"};
  return std::nullopt;
}

} // namespace pipeline
