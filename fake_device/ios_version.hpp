#pragma once
// An iOS or SDK version as major.minor; the rules compare against 13.0, 14.5 and 26.4.

#include <compare>

namespace fake_device {

struct IosVersion {
  int major = 17;
  int minor = 0;

  // NOLINTNEXTLINE(modernize-use-nullptr): clang-tidy 14 misreads the defaulted <=>.
  friend auto operator<=>(const IosVersion&, const IosVersion&) = default;
};

// pushkit-callkit.md §4, §5: iOS 13's PushKit brought the report-to-CallKit rule, and it applies
// to apps linked against the iOS 13 SDK or later.
inline constexpr IosVersion kCallKitRuleFrom{13, 0};

} // namespace fake_device
