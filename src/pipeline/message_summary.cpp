// Spec: docs/spec/im-voip-flow.md
#include "pipeline/message_summary.hpp"

#include <algorithm>
#include <iterator>
#include <utility>

namespace pipeline {
namespace {

// How far a push got, furthest first. Pending first, as a message with a push still going is not
// finished.
constexpr MessageState kFurthestFirst[] = {
    MessageState::Pending,
    MessageState::Accepted,
    MessageState::Rejected,
    MessageState::Failed,
    MessageState::Expired,
    MessageState::PayloadTooLarge,
    MessageState::SkippedOnline,
    MessageState::SkippedReceiveOption,
    MessageState::SkippedNoRegistration,
    MessageState::SkippedLoggedOut,
    MessageState::SkippedNoPushRequested,
    MessageState::SkippedGroupType,
};

std::ptrdiff_t rank(MessageState state) {
  return std::find(std::begin(kFurthestFirst), std::end(kFurthestFirst), state) -
         std::begin(kFurthestFirst);
}

// By value: a caller that is done with its push moves it in, and its strings are not copied.
void take_push_fields(MessageRecord& to, PushRecord from) {
  to.state = from.state;
  to.reason = std::move(from.reason);
  to.apns_id = std::move(from.apns_id);
  to.attempts = from.attempts;
  to.next_attempt_at = from.next_attempt_at;
  to.token_hex = std::move(from.token_hex);
  to.cert_record_id = from.cert_record_id;
  to.environment = from.environment;
  to.bundle_id = std::move(from.bundle_id);
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

void take_only_push(MessageRecord& message, PushRecord push) {
  message.installation.swap(push.installation);
  message.push_count = 1;
  take_push_fields(message, std::move(push));
}

bool has_push_rows(const MessageRecord& message) {
  return !message.group.empty() || message.pushes.size() > 1 || message.push_count > 1;
}

std::string push_name(const MessageRecord& message, const PushRecord& push) {
  if (message.group.empty()) return push.installation;
  return push.installation.empty() ? push.receiver : push.receiver + "/" + push.installation;
}

MessageRecord push_view(const MessageRecord& message, const PushRecord& push) {
  MessageRecord view;
  view.message_id = message.message_id;
  view.sender = message.sender;
  view.receiver = push.receiver.empty() ? message.receiver : push.receiver;
  view.group = message.group;
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
  push.receiver = view.receiver;
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
