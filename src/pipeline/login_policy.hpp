#pragma once
// The multi-instance login policy of im-voip-flow.md §3.4: how many installations of one user
// stay logged in together (`mobileInstances`), and which ones a new login kicks. Pure.

#include <cstdint>
#include <string>
#include <vector>

namespace pipeline {

// The product setting's default: one mobile installation per user (§3.4).
inline constexpr int kDefaultMobileInstances = 1;

// An installation of the user that is logged in, and when it logged in (a number that grows
// with every login of the store).
struct LoggedInInstallation {
  std::string installation;
  std::uint64_t login_seq = 0;
};

// The installations a login kicks: `others` are the user's other logged-in installations; with
// `mobile_instances` N, at most N - 1 of them stay, the ones that logged in last. Oldest first.
// A setting below 1 counts as 1.
std::vector<std::string> installations_to_kick(std::vector<LoggedInInstallation> others,
                                               int mobile_instances);

} // namespace pipeline
