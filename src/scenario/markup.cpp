#include "scenario/markup.hpp"

#include "core/utf8.hpp"

namespace scenario {

std::string markup_escape(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (static_cast<unsigned char>(c) >= 0x80) {
      const core::Utf8Sequence sequence = core::utf8_sequence_at(text, i);
      if (sequence.valid) {
        out += text.substr(i, sequence.length);
        i += sequence.length - 1;
      } else {
        out += '?';
      }
      continue;
    }
    switch (c) {
    case '&':
      out += "&amp;";
      break;
    case '<':
      out += "&lt;";
      break;
    case '>':
      out += "&gt;";
      break;
    case '"':
      out += "&quot;";
      break;
    case '\'':
      out += "&#39;";
      break;
    default:
      // XML 1.0 allows no control characters but tab, newline and carriage return.
      if (static_cast<unsigned char>(c) < 0x20 && c != '\t' && c != '\n' && c != '\r')
        out += '?';
      else
        out += c;
    }
  }
  return out;
}

} // namespace scenario
