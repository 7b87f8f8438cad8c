// Spec: docs/spec/im-voip-flow.md
#include "pipeline/message_summary.hpp"

#include <algorithm>

namespace pipeline {
namespace {

// Lower is better: how far a push got. Pending first, as a message with a push still going is
// not finished.
int rank(MessageState state) {
  switch (state) {
  case MessageState::Pending:
    return 0;
  case MessageState::Accepted:
    return 1;
  case MessageState::Rejected:
    return 2;
  case MessageState::Failed:
    return 3;
  case MessageState::Expired:
    return 4;
  case MessageState::PayloadTooLarge:
    return 5;
  case MessageState::SkippedOnline:
    return 6;
  case MessageState::SkippedReceiveOption:
    return 7;
  case MessageState::SkippedNoRegistration:
    return 8;
  case MessageState::SkippedLoggedOut:
    return 9;
  case MessageState::SkippedNoPushRequested:
    return 10;
  }
  return 11;
}

void take_push_fields(MessageRecord& to, const PushRecord& from) {
  to.state = from.state;
  to.reason = from.reason;
  to.apns_id = from.apns_id;
  to.attempts = from.attempts;
  to.next_attempt_at = from.next_attempt_at;
  to.token_hex = from.token_hex;
  to.cert_record_id = from.cert_record_id;
  to.environment = from.environment;
  to.bundle_id = from.bundle_id;
}

} // namespace

void summarise(MessageRecord& message) {
  if (message.pushes.empty()) return;
  // The first of the best: pushes are ordered by installation, so the pick is stable.
  const auto best = std::min_element(
      message.pushes.begin(), message.pushes.end(),
      [](const PushRecord& a, const PushRecord& b) { return rank(a.state) < rank(b.state); });
  take_push_fields(message, *best);
}

MessageRecord push_view(const MessageRecord& message, const PushRecord& push) {
  MessageRecord view;
  view.message_id = message.message_id;
  view.sender = message.sender;
  view.receiver = message.receiver;
  view.content = message.content;
  view.ios_push_type = message.ios_push_type;
  view.ext = message.ext;
  view.title = message.title;
  view.desc = message.desc;
  view.created_at = message.created_at;
  view.random = message.random;
  view.installation = push.installation;
  view.push_count = message.pushes.size();
  take_push_fields(view, push);
  return view;
}

PushRecord push_of(const MessageRecord& view) {
  PushRecord push;
  push.installation = view.installation;
  push.state = view.state;
  push.reason = view.reason;
  push.apns_id = view.apns_id;
  push.attempts = view.attempts;
  push.next_attempt_at = view.next_attempt_at;
  push.token_hex = view.token_hex;
  push.cert_record_id = view.cert_record_id;
  push.environment = view.environment;
  push.bundle_id = view.bundle_id;
  return push;
}

} // namespace pipeline
