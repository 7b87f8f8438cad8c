#pragma once
// Text encodings of bytes used across voipsim: hex (device tokens, fingerprints) and base64url
// without padding (JWT parts, RFC 7515 §2). Bytes travel as std::string.

#include "core/result.hpp"

#include <array>
#include <cstdint>
#include <string>
#include <string_view>

namespace core {

namespace detail {
constexpr std::array<std::int8_t, 256> make_hex_digit_values() {
  std::array<std::int8_t, 256> table{};
  for (auto& v : table)
    v = -1;
  for (int d = 0; d < 10; ++d)
    table['0' + d] = static_cast<std::int8_t>(d);
  for (int d = 0; d < 6; ++d) {
    table['a' + d] = static_cast<std::int8_t>(10 + d);
    table['A' + d] = static_cast<std::int8_t>(10 + d);
  }
  return table;
}
inline constexpr auto kHexDigitValues = make_hex_digit_values();
} // namespace detail

enum class LetterCase { Lower, Upper };

// The digits hex output is written with: every encoder indexes these (hex_value reads them back).
inline constexpr std::string_view kHexDigitsLower = "0123456789abcdef";
inline constexpr std::string_view kHexDigitsUpper = "0123456789ABCDEF";
constexpr std::string_view hex_digits(LetterCase letters) {
  return letters == LetterCase::Upper ? kHexDigitsUpper : kHexDigitsLower;
}

std::string hex_encode(std::string_view bytes, LetterCase letters = LetterCase::Lower);
// Accepts either letter case; fails on odd length or a non-hex character.
Result<std::string> hex_decode(std::string_view text);
bool is_hex(std::string_view text);
// The value of one hex digit (either case), or -1. Table-driven and inline: device tokens and
// apns-ids are parsed on every request, a call per character cost more than the lookup.
inline int hex_value(char c) {
  return detail::kHexDigitValues[static_cast<unsigned char>(c)];
}

// ASCII letter case, for names and hex tokens compared case-insensitively (APNs device tokens,
// spec apns-provider-api.md §8); other bytes are left alone.
constexpr char to_lower_ascii(char c) {
  return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
}
std::string to_lower_ascii(std::string_view text);
std::string to_upper_ascii(std::string_view text); // "passed" -> "PASSED", for headings
bool equal_ignoring_case(std::string_view a, std::string_view b);

// URL percent-encoding (RFC 3986 §2.1) of a path segment or query value: every byte but the
// unreserved ones (letters, digits, "-._~") as %XX.
std::string percent_encode(std::string_view text);
// The reverse, with '+' read as a space as HTML forms write it; a '%' not followed by two hex
// digits stays as it is.
std::string percent_decode(std::string_view text);

// True when `text` is well-formed UTF-8 (no overlong forms, surrogates or values past U+10FFFF).
bool is_valid_utf8(std::string_view text);

// `text` made safe to put in a message or log line: bytes outside printable ASCII become '?',
// and anything past `max` bytes is cut and marked with "...". For values a client sent.
std::string printable(std::string_view text, std::size_t max = 64);

// RFC 4648 §5 alphabet, no '=' padding (JWT form).
std::string base64url_encode(std::string_view bytes);
// Rejects padding, characters outside the alphabet and impossible lengths (4n+1).
Result<std::string> base64url_decode(std::string_view text);
// RFC 4648 §4, what `base64` writes: '+' and '/', '=' padding.
std::string base64_encode(std::string_view bytes);
// Base64 as people paste it: '=' padding optional, line breaks ignored, either alphabet.
Result<std::string> base64_decode(std::string_view text);

} // namespace core
