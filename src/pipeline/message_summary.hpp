#pragma once
// A message with several installations' pushes (im-voip-flow.md §3.4) seen as one: the message's
// top-level state, reason, apns_id and attempts, and the split between a message and the one push
// the dispatcher works on. Pure.

#include "pipeline/records.hpp"

#include <string>

namespace pipeline {

// Sets `message`'s state, reason, apns_id, attempts, next_attempt_at and push target to those of
// the push that summarises its pushes: pending while any push is pending, else the one that got
// furthest (accepted, then rejected, failed, expired, payload_too_large, then the skips). With
// one push these are that push's; without pushes nothing changes.
void summarise(MessageRecord& message);

// A message of one push keeps that push in its own fields, as the store's row does
// (im-voip-flow.md §3.4; no pushes row): `message` takes `push`'s installation and fields, and
// push_count 1, so it is its own push_view. Its `pushes` stay as they are.
void take_only_push(MessageRecord& message, PushRecord push);

// Whether the message's pushes have rows of their own in the store (and a push_view of it is
// written there): a group message's always (each push names its member), a one-to-one message's
// when it has two or more. A message of one push to its receiver keeps it in its own row.
bool has_push_rows(const MessageRecord& message);

// Whom a push of `message` is for, as a person reads it: its installation (a device id); in a
// group message the member first, "bob/bobs-iphone", or the member alone when it has none.
std::string push_name(const MessageRecord& message, const PushRecord& push);

// The dispatcher's unit: `message` (without its pushes) with `push`'s installation and fields.
MessageRecord push_view(const MessageRecord& message, const PushRecord& push);
// The push a push_view stands for, as it is now.
PushRecord push_of(const MessageRecord& view);

} // namespace pipeline
