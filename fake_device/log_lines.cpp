#include "fake_device/log_lines.hpp"

namespace fake_device::log_lines {

std::string blocked_drop(std::string_view bundle_id) {
  return "Application " + std::string(bundle_id) +
         " will not be launched because it failed to report an incoming call too many times (or "
         "repeatedly crashed.)";
}

std::string blocked_foreground(std::string_view bundle_id) {
  return "Application " + std::string(bundle_id) +
         " will not be launched because it failed to report an incoming call too many times or "
         "repeatedly crashed. However because the app is foreground, delivering VOIP payload "
         "anyway.";
}

} // namespace fake_device::log_lines
