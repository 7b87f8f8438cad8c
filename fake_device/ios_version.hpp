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

} // namespace fake_device
