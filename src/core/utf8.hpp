#pragma once
// One UTF-8 sequence at a time, by RFC 3629's table of well-formed sequences (no overlong forms,
// no surrogates, nothing past U+10FFFF). The one UTF-8 decoder: the JSON syntax check, the JSON
// string writer, core::is_valid_utf8 and every other reader of UTF-8 go through it, so all draw
// the line between valid and broken text at the same byte.
#include <cstddef>
#include <string_view>

namespace core {

struct Utf8Sequence {
  std::size_t length = 0; // bytes taken: the whole sequence, or the broken one's maximal subpart
  bool valid = false;
};

// The sequence that starts at text[pos], a byte of 0x80 or more. A broken one's length is its
// maximal subpart (Unicode §3.9): the longest prefix that could still have begun a well-formed
// sequence, at least the lead byte; the byte after it starts whatever comes next.
inline Utf8Sequence utf8_sequence_at(std::string_view text, std::size_t pos) {
  const auto lead = static_cast<unsigned char>(text[pos]);
  int count = 0;                         // continuation bytes
  unsigned char low = 0x80, high = 0xBF; // the first continuation byte's range
  if (lead >= 0xC2 && lead <= 0xDF) {
    count = 1;
  } else if (lead == 0xE0) {
    count = 2, low = 0xA0;
  } else if ((lead >= 0xE1 && lead <= 0xEC) || lead == 0xEE || lead == 0xEF) {
    count = 2;
  } else if (lead == 0xED) {
    count = 2, high = 0x9F;
  } else if (lead == 0xF0) {
    count = 3, low = 0x90;
  } else if (lead >= 0xF1 && lead <= 0xF3) {
    count = 3;
  } else if (lead == 0xF4) {
    count = 3, high = 0x8F;
  } else {
    return {1, false}; // 0x80-0xC1, 0xF5-0xFF never start a sequence
  }
  std::size_t length = 1;
  for (int i = 0; i < count; ++i, ++length) {
    if (pos + length >= text.size()) return {length, false};
    const auto b = static_cast<unsigned char>(text[pos + length]);
    if (b < (i == 0 ? low : 0x80) || b > (i == 0 ? high : 0xBF)) return {length, false};
  }
  return {length, true};
}

// The code point of the well-formed sequence of `length` bytes at text[pos] (as
// utf8_sequence_at found it; an ASCII byte is a sequence of 1).
inline char32_t utf8_code_point(std::string_view text, std::size_t pos, std::size_t length) {
  const auto lead = static_cast<unsigned char>(text[pos]);
  char32_t c = length == 1 ? lead : lead & (0x7F >> length);
  for (std::size_t k = 1; k < length; ++k)
    c = (c << 6) | (static_cast<unsigned char>(text[pos + k]) & 0x3F);
  return c;
}

} // namespace core
