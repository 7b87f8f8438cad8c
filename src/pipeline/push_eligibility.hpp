#pragma once
// im-voip-flow.md §4.3's conditions for an offline push to the receiver, checked when a message
// is taken and again before every retry (§4.5: "a retry is a new attempt"), so that a phone
// logged out, kicked, given a new token or back online in the meantime does not ring. Pure.

#include "pipeline/records.hpp"

#include <optional>
#include <string>

namespace pipeline {

// Why no push may go: the message's skip state and its reason.
struct PushBlocked {
  MessageState state;
  std::string reason;
};

// The receiver's presence and registration now; nullopt when a push may go. With `sent_to`
// (a retry), the registration must still be the one the first attempt used: the same token
// and certificate record.
std::optional<PushBlocked> push_blocked(const std::optional<Presence>& presence,
                                        const std::optional<Registration>& registration,
                                        const MessageRecord* sent_to = nullptr);

} // namespace pipeline
