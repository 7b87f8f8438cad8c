#pragma once
// Xcode's simulator push file (.apns): a JSON object holding the payload plus the key
// "Simulator Target Bundle" naming the app. Dropping one on a simulator, or
// `xcrun simctl push`, delivers it; here it injects a push into a device directly.

#include "core/result.hpp"
#include "fake_device/token_authority.hpp"

#include <cstddef>
#include <string>
#include <string_view>

namespace fake_device {

struct ApnsFile {
  std::string bundle_id; // the app, without any ".voip" suffix
  PushKind kind = PushKind::Alert;
  std::string payload; // the object without "Simulator Target Bundle", compact JSON
};

inline constexpr std::string_view kSimulatorTargetBundleKey = "Simulator Target Bundle";
// APNs' limits: 5120 bytes for VoIP, 4096 for other pushes (apns-provider-api.md).
inline constexpr std::size_t kMaxVoipPayload = 5120;
inline constexpr std::size_t kMaxAlertPayload = 4096;
// Anything bigger cannot hold a payload within the limits plus the target key.
inline constexpr std::size_t kMaxApnsFileSize = std::size_t{64} * 1024;
// Far beyond any real payload; keeps the parser's work and stack bounded.
inline constexpr std::size_t kMaxApnsFileDepth = 64;

// Parses a .apns file's text. Xcode has no VoIP variant; here a target bundle ending in ".voip"
// (the VoIP topic, pushkit-callkit.md §2.2) makes it a VoIP push to the app without the suffix.
// Alert pushes need an "aps" object, as Xcode requires. Never throws; any input gives a value
// or an Errc::InvalidApnsFile error saying what is wrong.
core::Result<ApnsFile> parse_apns_file(std::string_view text);

} // namespace fake_device
