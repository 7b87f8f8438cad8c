// Spec: docs/spec/im-voip-flow.md
#include "pipeline/login_policy.hpp"

#include <algorithm>

namespace pipeline {

std::vector<std::string> installations_to_kick(std::vector<LoggedInInstallation> others,
                                               int mobile_instances) {
  const std::size_t may_stay = static_cast<std::size_t>(std::max(mobile_instances, 1) - 1);
  std::vector<std::string> kicked;
  if (others.size() <= may_stay) return kicked;
  // §3.4: a login beyond N kicks the installation that logged in first.
  std::sort(others.begin(), others.end(), [](const auto& a, const auto& b) {
    return a.login_seq != b.login_seq ? a.login_seq < b.login_seq : a.installation < b.installation;
  });
  for (std::size_t i = 0; i < others.size() - may_stay; ++i)
    kicked.push_back(others[i].installation);
  return kicked;
}

} // namespace pipeline
