#pragma once
// The APNs request the pipeline sends for one offline VoIP push (im-voip-flow.md §4.4). Pure.

#include "core/clock.hpp"
#include "net/message.hpp"
#include "pipeline/records.hpp"

#include <optional>
#include <string>
#include <string_view>

namespace pipeline {

inline constexpr std::size_t kVoipPayloadLimit = 5120;       // apns-provider-api.md §4.4
inline constexpr std::chrono::seconds kCallPushLifetime{30}; // apns-expiration: now + 30 s

// The apns-id of every attempt of a message's push to an installation: a name-based (version 5)
// UUID of the message id and the installation (the message id alone for the default one, or
// none), so a retry carries the same id and shows up as such in the mock's journal, and the
// pushes of one message to two phones differ (im-voip-flow.md §3.4). In a group message the
// member is part of the name too: two members may both have a "default" installation.
std::string apns_id_for(const std::string& message_id, const std::string& installation = {},
                        std::string_view group_member = {});
// The same for the push of `message` to `receiver`'s `installation` (a push_view: its own).
std::string apns_id_for(const MessageRecord& message, const std::string& receiver,
                        const std::string& installation);

// {"ext":"<ext verbatim>","msgId":..,"sender":..,"chatType":1,"sentAt":<ms>}: `ext` is kept
// byte for byte as a JSON string, never re-serialised. A group message says "chatType":2 and
// names its group ("groupId", after "sender"; im-voip-flow.md §4.2: V2TIM_GROUP).
std::string voip_body(const MessageRecord& message);

// POST /3/device/<token> with apns-push-type voip, apns-topic <bundle>.voip, apns-priority 10,
// apns-expiration created_at + 30 s and the message's apns-id; nullopt when the body would
// exceed 5120 bytes (the pipeline then records payload_too_large without calling APNs).
std::optional<net::Request> voip_request(const MessageRecord& message);

} // namespace pipeline
