#include "core/json_string.hpp"

#include "core/encoding.hpp"
#include "core/utf8.hpp"

#include <nlohmann/json.hpp>

namespace core {

std::string json_text(const nlohmann::json& j) {
  return j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

void append_json_string(std::string& out, std::string_view text) {
  static constexpr std::string_view kReplacement = "\xEF\xBF\xBD"; // U+FFFD
  out += '"';
  std::size_t i = 0;
  while (i < text.size()) {
    // The run of bytes that go out as they are.
    std::size_t run = i;
    while (run < text.size()) {
      const auto b = static_cast<unsigned char>(text[run]);
      if (b < 0x20 || b == '"' || b == '\\' || b >= 0x80) break;
      ++run;
    }
    out.append(text.data() + i, run - i);
    i = run;
    if (i == text.size()) break;
    const auto b = static_cast<unsigned char>(text[i]);
    if (b >= 0x80) {
      const Utf8Sequence sequence = utf8_sequence_at(text, i);
      if (sequence.valid)
        out.append(text.data() + i, sequence.length);
      else
        out += kReplacement;
      i += sequence.length;
      continue;
    }
    switch (b) {
    case '"':
      out += "\\\"";
      break;
    case '\\':
      out += "\\\\";
      break;
    case '\b':
      out += "\\b";
      break;
    case '\t':
      out += "\\t";
      break;
    case '\n':
      out += "\\n";
      break;
    case '\f':
      out += "\\f";
      break;
    case '\r':
      out += "\\r";
      break;
    default:
      out += "\\u00";
      out += kHexDigitsLower[b >> 4];
      out += kHexDigitsLower[b & 0xF];
    }
    ++i;
  }
  out += '"';
}

} // namespace core
