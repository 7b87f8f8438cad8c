// Spec: docs/spec/pushkit-callkit.md
#include "fake_device/callkit.hpp"

namespace fake_device {

std::string_view to_string(IncomingCallError error) {
  switch (error) {
  case IncomingCallError::Unknown:
    return "unknown";
  case IncomingCallError::Unentitled:
    return "unentitled";
  case IncomingCallError::CallUuidAlreadyExists:
    return "callUUIDAlreadyExists";
  case IncomingCallError::FilteredByDoNotDisturb:
    return "filteredByDoNotDisturb";
  case IncomingCallError::FilteredByBlockList:
    return "filteredByBlockList";
  case IncomingCallError::FilteredDuringRestrictedSharingMode:
    return "filteredDuringRestrictedSharingMode";
  case IncomingCallError::CallIsProtected:
    return "callIsProtected";
  case IncomingCallError::FilteredBySensitiveParticipants:
    return "filteredBySensitiveParticipants";
  }
  return "unknown";
}

std::string CallKitError::describe() const {
  if (domain == Domain::CXErrorDomain) {
    return "CXErrorDomain " + std::to_string(code) +
           (code == kCXErrorMissingVoipBackgroundMode ? " missingVoIPBackgroundMode" : "");
  }
  return "com.apple.CallKit.error.incomingcall " + std::to_string(code) + " " +
         std::string(to_string(static_cast<IncomingCallError>(code)));
}

std::string_view to_string(CallState state) {
  switch (state) {
  case CallState::Reporting:
    return "reporting";
  case CallState::Ringing:
    return "ringing";
  case CallState::Rejected:
    return "rejected";
  case CallState::Answered:
    return "answered";
  case CallState::Connected:
    return "connected";
  case CallState::Ended:
    return "ended";
  }
  return "unknown";
}

std::string_view to_string(CallEndedReason reason) {
  switch (reason) {
  case CallEndedReason::Failed:
    return "failed";
  case CallEndedReason::RemoteEnded:
    return "remoteEnded";
  case CallEndedReason::Unanswered:
    return "unanswered";
  case CallEndedReason::AnsweredElsewhere:
    return "answeredElsewhere";
  case CallEndedReason::DeclinedElsewhere:
    return "declinedElsewhere";
  case CallEndedReason::Declined:
    return "declined";
  }
  return "unknown";
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
