#pragma once
// Where the device gets its push tokens. The mock APNs implements this so that every token it
// later validates is one it issued, with the bundle id, environment and kind it was issued for
// (pushkit-callkit.md §2.2, §7.4 "Registration").

#include "core/apns_environment.hpp"
#include "core/clock.hpp"
#include "core/result.hpp"

#include <string>
#include <string_view>

namespace fake_device {

// The app's `aps-environment` entitlement: development-signed builds talk to the sandbox,
// Ad Hoc/TestFlight/App Store builds to production (§2.2 "Per environment").
using ApsEnvironment = core::ApnsEnvironment; // core::ApnsEnvironment, the one type

// Which registration asked for the token: PushKit (`<bundle>.voip` topic) or
// UIApplication.registerForRemoteNotifications (`<bundle>` topic); the two never share a token
// (§2.2 "Distinct from the UserNotifications token").
enum class PushKind { Voip, Alert };

std::string_view to_string(PushKind kind);
// The topic a token of this kind is valid for: "<bundle>.voip" or "<bundle>".
std::string topic_for(std::string_view bundle_id, PushKind kind);

struct TokenRequest {
  std::string device_id;
  std::string bundle_id;
  ApsEnvironment environment = ApsEnvironment::Sandbox;
  PushKind kind = PushKind::Voip;
};

// Issues and retires device tokens. Called from the device's thread only; an implementation
// that is shared between devices guards itself.
class TokenAuthority {
public:
  virtual ~TokenAuthority() = default;

  // A new token, 64 lower-case hex characters (32 bytes, §2.2 "Encoding"), registered as active
  // for (bundle, environment, kind). An error makes the registration fail on the device.
  virtual core::Result<std::string> issue(const TokenRequest& request) = 0;

  // The token stops being valid at `at`: APNs answers 410 Unregistered for it from then on, with
  // that time as the timestamp (§2.3 "App uninstalled", §7.4 Registration 2-4).
  virtual void invalidate(std::string_view token_hex, core::TimePoint at) = 0;
};

} // namespace fake_device
