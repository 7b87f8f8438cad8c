#include "mock_apns/cause_text.hpp"

#include "core/encoding.hpp"

namespace mock_apns {

std::string shown(std::string_view text) {
  return "\"" + core::printable(text, 80) + "\"";
}

std::string host_of(Environment environment) {
  return environment == Environment::Sandbox ? "sandbox (api.sandbox.push.apple.com)"
                                             : "production (api.push.apple.com)";
}

} // namespace mock_apns
