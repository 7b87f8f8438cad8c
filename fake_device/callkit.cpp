// Spec: docs/spec/pushkit-callkit.md
#include "fake_device/callkit.hpp"

#include "core/names.hpp"

namespace fake_device {
namespace {

// Apple's spellings of CXErrorCodeIncomingCallError (§6.2), for `fail:NAME` and messages.
constexpr core::Names<IncomingCallError, 8> kIncomingCallErrorNames{{
    {IncomingCallError::Unknown, "unknown"},
    {IncomingCallError::Unentitled, "unentitled"},
    {IncomingCallError::CallUuidAlreadyExists, "callUUIDAlreadyExists"},
    {IncomingCallError::FilteredByDoNotDisturb, "filteredByDoNotDisturb"},
    {IncomingCallError::FilteredByBlockList, "filteredByBlockList"},
    {IncomingCallError::FilteredDuringRestrictedSharingMode, "filteredDuringRestrictedSharingMode"},
    {IncomingCallError::CallIsProtected, "callIsProtected"},
    {IncomingCallError::FilteredBySensitiveParticipants, "filteredBySensitiveParticipants"},
}};

constexpr core::Names<CallState, 6> kCallStateNames{{
    {CallState::Reporting, "reporting"},
    {CallState::Ringing, "ringing"},
    {CallState::Rejected, "rejected"},
    {CallState::Answered, "answered"},
    {CallState::Connected, "connected"},
    {CallState::Ended, "ended"},
}};

// Apple's spellings of CXCallEndedReason (§6.3).
constexpr core::Names<CallEndedReason, 6> kCallEndedReasonNames{{
    {CallEndedReason::Failed, "failed"},
    {CallEndedReason::RemoteEnded, "remoteEnded"},
    {CallEndedReason::Unanswered, "unanswered"},
    {CallEndedReason::AnsweredElsewhere, "answeredElsewhere"},
    {CallEndedReason::DeclinedElsewhere, "declinedElsewhere"},
    {CallEndedReason::Declined, "declined"},
}};

} // namespace

std::string_view to_string(IncomingCallError error) {
  return core::name_of(kIncomingCallErrorNames, error);
}

std::optional<IncomingCallError> parse_incoming_call_error(std::string_view text) {
  return core::value_named(kIncomingCallErrorNames, text);
}

std::optional<IncomingCallError> incoming_call_error_of_code(int code) {
  for (const auto& [error, name] : kIncomingCallErrorNames)
    if (static_cast<int>(error) == code) return error;
  return std::nullopt;
}

std::string incoming_call_error_words() {
  return core::words_of(kIncomingCallErrorNames);
}

std::string CallKitError::describe() const {
  if (domain == Domain::CXErrorDomain) {
    return "CXErrorDomain " + std::to_string(code) +
           (code == kCXErrorMissingVoipBackgroundMode ? " missingVoIPBackgroundMode" : "");
  }
  const auto error = incoming_call_error_of_code(code);
  return "com.apple.CallKit.error.incomingcall " + std::to_string(code) + " " +
         std::string(error ? to_string(*error) : "unknown");
}

std::string_view to_string(CallState state) {
  return core::name_of(kCallStateNames, state);
}

std::string_view to_string(CallEndedReason reason) {
  return core::name_of(kCallEndedReasonNames, reason);
}

std::optional<CallKitError> decide_incoming_call(const CallReportContext& context) {
  auto incoming = [](IncomingCallError e) {
    return CallKitError{CallKitError::Domain::IncomingCall, static_cast<int>(e)};
  };
  if (context.injected) return incoming(*context.injected);
  if (!context.voip_background_mode) {
    // §6.2: iOS 14.5 added CXError.missingVoIPBackgroundMode; earlier systems say unentitled.
    if (context.ios >= IosVersion{14, 5}) {
      return CallKitError{CallKitError::Domain::CXErrorDomain, kCXErrorMissingVoipBackgroundMode};
    }
    return incoming(IncomingCallError::Unentitled);
  }
  if (context.uuid_in_use) return incoming(IncomingCallError::CallUuidAlreadyExists);
  const std::string handle(context.handle);
  const bool allowed = context.allowed_handles && context.allowed_handles->count(handle) != 0;
  if (context.dnd && !allowed) return incoming(IncomingCallError::FilteredByDoNotDisturb);
  if (context.blocked_handles && context.blocked_handles->count(handle) != 0) {
    return incoming(IncomingCallError::FilteredByBlockList);
  }
  return std::nullopt;
}

} // namespace fake_device
