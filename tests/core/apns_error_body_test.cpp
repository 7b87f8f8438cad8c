// The one reader of APNs error bodies and GOAWAY debug data (apns-provider-api.md §5.3): what
// Apple writes, and anything else read as "no reason" rather than refused.
#include "core/apns_error_body.hpp"

#include <gtest/gtest.h>

namespace {

TEST(ApnsErrorBody, ReadsTheReasonAndA410sTimestamp) {
  const auto plain = core::apns_error_body_of(R"({"reason":"BadDeviceToken"})");
  EXPECT_EQ(plain.reason, "BadDeviceToken");
  EXPECT_FALSE(plain.timestamp_ms);
  const auto gone =
      core::apns_error_body_of(R"({"reason":"Unregistered","timestamp":1767225600250})");
  EXPECT_EQ(gone.reason, "Unregistered");
  EXPECT_EQ(gone.timestamp_ms, 1'767'225'600'250);
}

// A server that is not APNs (a proxy's page, an empty 500) gives no reason, so the caller says
// "HTTP <status>"; a field of another type is not used.
TEST(ApnsErrorBody, AnythingElseHasNoReason) {
  for (const char* body : {"", "<html>Bad Gateway</html>", "[]", R"({"reason":7})"}) {
    const auto read = core::apns_error_body_of(body);
    EXPECT_EQ(read.reason, "") << body;
    EXPECT_FALSE(read.timestamp_ms) << body;
  }
  EXPECT_FALSE(
      core::apns_error_body_of(R"({"reason":"Unregistered","timestamp":"soon"})").timestamp_ms);
}

} // namespace
