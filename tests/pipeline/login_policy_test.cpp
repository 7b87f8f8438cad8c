// pipeline::installations_to_kick: the multi-instance login policy of im-voip-flow.md §3.4, as a
// table.
// Spec: docs/spec/im-voip-flow.md
#include "pipeline/login_policy.hpp"

#include <gtest/gtest.h>

namespace {

using Others = std::vector<pipeline::LoggedInInstallation>;
using Kicked = std::vector<std::string>;

pipeline::LoggedInInstallation logged_in(std::string installation, std::uint64_t login_seq) {
  pipeline::LoggedInInstallation one;
  one.installation = std::move(installation);
  one.login_seq = login_seq;
  return one;
}

struct Case {
  const char* name;
  Others others; // the user's other logged-in installations
  int mobile_instances;
  Kicked kicked;
};

TEST(LoginPolicy, ALoginBeyondTheSettingKicksTheInstallationsThatLoggedInFirst) {
  const Case cases[] = {
      {"the first phone", {}, 1, {}},
      {"default: a second phone kicks the first", {logged_in("iphone", 1)}, 1, {"iphone"}},
      {"two allowed: both stay", {logged_in("iphone", 1)}, 2, {}},
      {"two allowed, a third phone kicks the oldest",
       {logged_in("ipad", 5), logged_in("iphone", 2)},
       2,
       {"iphone"}},
      {"one allowed, several stale sessions all go, oldest first",
       {logged_in("c", 9), logged_in("a", 3), logged_in("b", 4)},
       1,
       {"a", "b", "c"}},
      {"a setting below 1 counts as 1", {logged_in("iphone", 1)}, 0, {"iphone"}},
      {"logins of before login numbers (0) go first, by name",
       {logged_in("z", 0), logged_in("y", 0), logged_in("x", 7)},
       2,
       {"y", "z"}},
      {"room to spare", {logged_in("a", 1), logged_in("b", 2)}, 5, {}},
  };
  for (const auto& c : cases)
    EXPECT_EQ(pipeline::installations_to_kick(c.others, c.mobile_instances), c.kicked) << c.name;
}

} // namespace
