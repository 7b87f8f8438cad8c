// At most one line per interval, each saying how many went unwritten (issue #24.9: refused TLS
// handshakes logged without flooding stderr).
#include "mock_apns/log_throttle.hpp"

#include <gtest/gtest.h>

namespace {

using namespace std::chrono_literals;

TEST(LogThrottle, WritesOneLineAnIntervalAndCountsTheRest) {
  mock_apns::LogThrottle throttle(1s);
  const core::TimePoint start = core::from_unix_seconds(1'767'225'600);
  EXPECT_EQ(throttle.admit(start), 0u);
  EXPECT_EQ(throttle.admit(start), std::nullopt);
  EXPECT_EQ(throttle.admit(start + 500ms), std::nullopt);
  EXPECT_EQ(throttle.admit(start + 999ms), std::nullopt);
  EXPECT_EQ(throttle.admit(start + 1s), 3u) << "the three unwritten since the first line";
  EXPECT_EQ(throttle.admit(start + 5s), 0u);
  EXPECT_EQ(throttle.admit(start + 1s), 0u) << "a clock that went back opens the gate";
}

} // namespace
