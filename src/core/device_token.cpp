#include "core/device_token.hpp"

#include "core/encoding.hpp"

namespace core {

bool is_device_token(std::string_view token, std::size_t min_hex, std::size_t max_hex) {
  return !token.empty() && token.size() % 2 == 0 && token.size() >= min_hex &&
         token.size() <= max_hex && is_hex(token);
}

std::string device_token_rule(std::size_t min_hex, std::size_t max_hex) {
  return "an even number of hex digits, " + std::to_string(min_hex) + " to " +
         std::to_string(max_hex);
}

} // namespace core
