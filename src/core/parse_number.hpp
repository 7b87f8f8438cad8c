#pragma once
// The one way voipsim reads a number from text (a query parameter, a header, a flag, a file
// name): the whole string in decimal, nothing before or after it, in range of T. No sign is
// accepted for unsigned T, no '+' for any, no spaces.

#include <charconv>
#include <optional>
#include <string_view>
#include <system_error>
#include <type_traits>

namespace core {

template <typename T>
requires std::is_integral_v<T> &&
    (!std::is_same_v<T, bool>)std::optional<T> parse_whole(std::string_view text) {
  T value{};
  const char* const last = text.data() + text.size();
  const auto [end, ec] = std::from_chars(text.data(), last, value);
  if (ec != std::errc() || end != last || text.empty()) return std::nullopt;
  return value;
}

} // namespace core
