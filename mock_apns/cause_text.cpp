#include "mock_apns/cause_text.hpp"

#include "core/apns_environment.hpp"
#include "core/encoding.hpp"

namespace mock_apns {

std::string shown(std::string_view text) {
  return "\"" + core::printable(text, 80) + "\"";
}

std::string host_of(Environment environment) {
  return std::string(core::to_string(environment)) + " (" +
         std::string(core::apns_host(environment)) + ")";
}

} // namespace mock_apns
