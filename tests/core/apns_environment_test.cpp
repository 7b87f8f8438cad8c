// One environment type (issue #24 point 5): one spelling out, every usual spelling in.
#include "core/apns_environment.hpp"
#include "core/names.hpp"

#include <gtest/gtest.h>

namespace {

using core::ApnsEnvironment;

TEST(ApnsEnvironment, IsWrittenOneWayAndReadFromEverySpelling) {
  EXPECT_EQ(core::to_string(ApnsEnvironment::Sandbox), "sandbox");
  EXPECT_EQ(core::to_string(ApnsEnvironment::Production), "production");
  for (const char* text : {"sandbox", "development", "dev"})
    EXPECT_EQ(core::parse_apns_environment(text), ApnsEnvironment::Sandbox) << text;
  for (const char* text : {"production", "prod"})
    EXPECT_EQ(core::parse_apns_environment(text), ApnsEnvironment::Production) << text;
  for (const char* text : {"", "Sandbox", "staging", "production "})
    EXPECT_FALSE(core::parse_apns_environment(text)) << text;
  EXPECT_EQ(core::apns_environment_spellings().size(), 5u);
}

TEST(ApnsEnvironment, TheEntitlementsWordReadsBack) {
  for (const auto environment : {ApnsEnvironment::Sandbox, ApnsEnvironment::Production})
    EXPECT_EQ(core::parse_apns_environment(core::entitlement_value(environment)), environment);
  EXPECT_EQ(core::entitlement_value(ApnsEnvironment::Sandbox), "development");
}

// apns-provider-api.md §1: the hosts clients name in SNI and :authority.
TEST(ApnsEnvironment, EachHasApplesHostName) {
  EXPECT_EQ(core::apns_host(ApnsEnvironment::Sandbox), "api.sandbox.push.apple.com");
  EXPECT_EQ(core::apns_host(ApnsEnvironment::Production), "api.push.apple.com");
}

enum class Colour { Red, Green, Blue };
constexpr core::Names<Colour, 3> kColours{{
    {Colour::Red, "red"},
    {Colour::Green, "green"},
    {Colour::Blue, "blue"},
}};

TEST(Names, OneTableWritesReadsAndListsTheWords) {
  EXPECT_EQ(core::name_of(kColours, Colour::Green), "green");
  EXPECT_EQ(core::value_named(kColours, "blue"), Colour::Blue);
  EXPECT_FALSE(core::value_named(kColours, "Blue"));
  EXPECT_EQ(core::words_of(kColours), "red, green or blue");
  static_assert(core::name_of(kColours, Colour::Red) == "red");
}

} // namespace
