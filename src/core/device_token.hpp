#pragma once
// The one rule for device-token text that every part applies: the admin API and the pushes of
// the mock (apns-provider-api.md §8) and the pipeline's setVOIP (im-voip-flow.md §3.3).

#include <cstddef>
#include <string>
#include <string_view>

namespace core {

// A push's request path is this followed by the token (apns-provider-api.md §4.1).
inline constexpr std::string_view kDevicePathPrefix = "/3/device/";
// The request path of a push to `token`.
inline std::string device_path(std::string_view token) {
  std::string path(kDevicePathPrefix);
  path += token;
  return path;
}

// Today's tokens are 32 bytes (64 hex digits); Apple warns not to assume a size: up to 100.
inline constexpr std::size_t kDeviceTokenMinHex = 64;
inline constexpr std::size_t kDeviceTokenMaxHex = 200;

// Even-length hex, either letter case, of `min_hex` to `max_hex` digits; never empty.
bool is_device_token(std::string_view token, std::size_t min_hex = kDeviceTokenMinHex,
                     std::size_t max_hex = kDeviceTokenMaxHex);
// What is_device_token() wants, for error texts: "an even number of hex digits, 64 to 200".
std::string device_token_rule(std::size_t min_hex = kDeviceTokenMinHex,
                              std::size_t max_hex = kDeviceTokenMaxHex);

} // namespace core
