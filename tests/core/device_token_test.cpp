// The one device-token rule of the mock and the pipeline (issue #24.9).
#include "core/device_token.hpp"

#include <gtest/gtest.h>

namespace {

TEST(DeviceToken, IsEvenLengthHexOfTheDefaultRangeUnlessToldOtherwise) {
  EXPECT_TRUE(core::is_device_token(std::string(64, 'A')));
  EXPECT_TRUE(core::is_device_token(std::string(200, 'f')));
  EXPECT_FALSE(core::is_device_token(std::string(62, 'f')));
  EXPECT_FALSE(core::is_device_token(std::string(202, 'f')));
  EXPECT_FALSE(core::is_device_token(std::string(65, 'f')));
  EXPECT_FALSE(core::is_device_token(std::string(63, 'f') + "g"));
  EXPECT_TRUE(core::is_device_token("abcd", 2, 4));
  EXPECT_FALSE(core::is_device_token("", 0, 4)) << "hex of no digits is no token";
  EXPECT_EQ(core::device_token_rule(), "an even number of hex digits, 64 to 200");
}

} // namespace
