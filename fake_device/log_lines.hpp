#pragma once
// The exact lines iOS writes, which the simulated device writes to its journal so tests can
// assert on them (pushkit-callkit.md §4.4). Spelling, including Apple's "receving", is verbatim.

#include <string>
#include <string_view>

namespace fake_device::log_lines {

inline constexpr std::string_view kCallKitNotLinked =
    "PushKit apps that use VoIP push must link the CallKit framework.";
inline constexpr std::string_view kUnrestrictedVoipUnsupported =
    "The com.apple.developer.pushkit.unrestricted-voip entitlement is no longer supported.";
inline constexpr std::string_view kMustPostIncomingCall =
    "Apps receving VoIP pushes must post an incoming call via CallKit in the same run loop as "
    "pushRegistry:didReceiveIncomingPushWithPayload:forType:[withCompletionHandler:] without "
    "delay.";
// iOS-13-era builds end the sentence with "... PushKit VoIP push callback." (§4.2).
inline constexpr std::string_view kKillingApp = "Killing app because it never posted an incoming "
                                                "call to the system after receiving a PushKit "
                                                "VoIP push.";
inline constexpr std::string_view kKillingAppCallback =
    "Killing app because it never posted an incoming call to the system after receiving a "
    "PushKit VoIP push callback.";
// [sim] line for §7.4 "Push arrival" step 4; the real behaviour is unconfirmed.
inline constexpr std::string_view kNoVoipBackgroundMode =
    "VoIP push dropped: app lacks voip background mode";
// apns-provider-api.md §4.4: a body that is not a JSON object is logged and dropped [mock].
inline constexpr std::string_view kInvalidPayload = "invalid payload";

// Crash records (§4.4).
inline constexpr std::string_view kCrashUnhandledPush =
    "NSInternalInconsistencyException -[PKPushRegistry _terminateAppIfThereAreUnhandledVoIPPushes]";
inline constexpr std::string_view kCrashFrontboard = "FRONTBOARD 0xBAADCA11";

// "Application <bundle> will not be launched ... (or repeatedly crashed.)"
std::string blocked_drop(std::string_view bundle_id);
// "... However because the app is foreground, delivering VOIP payload anyway."
std::string blocked_foreground(std::string_view bundle_id);

} // namespace fake_device::log_lines
