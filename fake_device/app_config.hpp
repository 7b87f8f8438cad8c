#pragma once
// What the app under test was built with and how it behaves (pushkit-callkit.md §7.2), chosen by
// the test before install.

#include "core/clock.hpp"
#include "fake_device/callkit.hpp"
#include "fake_device/ios_version.hpp"
#include "fake_device/token_authority.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace fake_device {

// When the app creates its PKPushRegistry and sets desiredPushTypes = [.voIP] (§2.1, §7.2).
enum class RegistryCreation {
  AtLaunch,     // every launch, foreground or background: what Apple asks for
  AfterConsent, // once the user accepted the privacy policy (im-voip-flow.md §3.1)
  AfterLogin,   // behind the login screen: a background launch finds no delegate (§2.1, D11)
  Never,
};

std::string_view to_string(RegistryCreation creation);
std::optional<RegistryCreation> parse_registry_creation(std::string_view text);
std::string registry_creation_words(); // "at_launch, after_consent, after_login or never"

// What the PushKit delegate does with a VoIP push (§7.2 "how its delegate behaves").
struct CallKitBehaviour {
  enum class Kind {
    Immediate,  // reportSync: reportNewIncomingCall inside the delegate
    AfterDelay, // reportAsyncAfterMs(delay): after the delegate returned, which does not count
    Never,      // noReport
  };
  Kind kind = Kind::Immediate;
  core::Duration delay{};
  // Makes CallKit refuse the report with this code whatever the device settings (fault
  // injection, §6.2); the report still counts as made (§4.2 [sim]).
  std::optional<IncomingCallError> fail_with;
  // false: noCompletion, PushKit's completion() is never called.
  bool calls_completion = true;
  // false: the app fails CXAnswerCallAction (e.g. no server connection) (§7.4 CallKit 2).
  bool fulfils_answer = true;

  static CallKitBehaviour immediate() { return {}; }
  static CallKitBehaviour after(core::Duration d) { return {Kind::AfterDelay, d, {}, true, true}; }
  static CallKitBehaviour never() { return {Kind::Never, {}, {}, true, true}; }
  static CallKitBehaviour failing(IncomingCallError e) {
    return {Kind::Immediate, {}, e, true, true};
  }
};

// When the app calls setVOIP (im-voip-flow.md §3.2).
enum class TokenReporting {
  AfterLogin,  // after every login and on every didUpdate while logged in: the seed's advice
  OnTokenOnly, // only from didUpdate, even before login, never retried (Note 5's bug)
  Never,
};

std::string_view to_string(TokenReporting reporting);
std::optional<TokenReporting> parse_token_reporting(std::string_view text);
std::string token_reporting_words(); // "after_login, on_token_only or never"

struct AppConfig {
  std::string bundle_id = "com.example.imapp";
  ApsEnvironment environment = ApsEnvironment::Sandbox; // aps-environment when signed
  bool push_notifications_capability = true;            // §1: else no token of any kind
  bool voip_background_mode = true;                     // UIBackgroundModes contains voip
  bool callkit_linked = true;
  bool unrestricted_voip = false; // §1 entitlement; exempts only when linked_sdk < 13
  // Strict CallKit policy iff >= 13 and the device runs iOS 13 or later (§7.4 "Push arrival"
  // step 5, D21).
  IosVersion linked_sdk{17, 0};
  bool implements_metadata_delegate = false; // iOS 26.4 delegate with mustReport (§5)
  RegistryCreation registry = RegistryCreation::AtLaunch;
  CallKitBehaviour callkit;
  // The console certificate ID the app reports with its token (certIdDev / certIdProd).
  std::int64_t certificate_id = 1001;
  TokenReporting token_reporting = TokenReporting::AfterLogin;
  // FAQ 2a‴'s bug: the UIApplication (alert) token is reported through setVOIP.
  bool reports_alert_token_as_voip = false;
};

} // namespace fake_device
