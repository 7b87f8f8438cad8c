#pragma once
// CallKit's answer to reportNewIncomingCall (pushkit-callkit.md §6.2, §7.4 "CallKit" 1) as a pure
// function of the device's settings and the calls it already has, plus the call states of §7.3.

#include "fake_device/ios_version.hpp"

#include <optional>
#include <set>
#include <string>
#include <string_view>

namespace fake_device {

// CXErrorCodeIncomingCallError, domain com.apple.CallKit.error.incomingcall (§6.2 table).
enum class IncomingCallError {
  Unknown = 0,
  Unentitled = 1,
  CallUuidAlreadyExists = 2,
  FilteredByDoNotDisturb = 3,
  FilteredByBlockList = 4,
  FilteredDuringRestrictedSharingMode = 5,
  CallIsProtected = 6,
  FilteredBySensitiveParticipants = 7,
};

struct CallKitError {
  enum class Domain { IncomingCall, CXErrorDomain };
  Domain domain = Domain::IncomingCall;
  int code = 0;

  // "com.apple.CallKit.error.incomingcall 3 filteredByDoNotDisturb"
  std::string describe() const;
  friend bool operator==(const CallKitError&, const CallKitError&) = default;
};

inline constexpr int kCXErrorMissingVoipBackgroundMode = 3; // CXErrorDomain, iOS 14.5+

// Call state C of §7.3. Reporting is the instant between report and CallKit's answer.
enum class CallState { Reporting, Ringing, Rejected, Answered, Connected, Ended };

// CXCallEndedReason raw values (§6.3), plus Declined for the local user's CXEndCallAction.
enum class CallEndedReason {
  Failed = 1,
  RemoteEnded = 2,
  Unanswered = 3,
  AnsweredElsewhere = 4,
  DeclinedElsewhere = 5,
  Declined = 100,
};

std::string_view to_string(CallState state);
std::string_view to_string(CallEndedReason reason);
std::string_view to_string(IncomingCallError error); // "filteredByDoNotDisturb"
std::optional<IncomingCallError> parse_incoming_call_error(std::string_view text);
std::optional<IncomingCallError> incoming_call_error_of_code(int code); // its raw value, 0-7
std::string incoming_call_error_words(); // "unknown, unentitled, ... or filteredBy..."

// What CallKit sees when an app reports a call.
struct CallReportContext {
  IosVersion ios;
  bool voip_background_mode = true;
  bool uuid_in_use = false; // a call with this UUID exists and has not ended
  bool dnd = false;
  std::string_view handle;
  const std::set<std::string>* allowed_handles = nullptr; // let through Do Not Disturb
  const std::set<std::string>* blocked_handles = nullptr;
  std::optional<IncomingCallError> injected; // fault injection (§6.2 codes 0, 5-7, or any)
};

// nullopt: the call is allowed and shown. Checks run in §7.4 "CallKit" 1's order.
std::optional<CallKitError> decide_incoming_call(const CallReportContext& context);

} // namespace fake_device
