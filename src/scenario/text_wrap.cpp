#include "scenario/text_wrap.hpp"

#include <algorithm>

namespace scenario {

namespace {

bool continues(char c) {
  return (static_cast<unsigned char>(c) & 0xC0) == 0x80; // a UTF-8 continuation byte
}

// The byte offset after `n` glyphs of `text`.
std::size_t offset_of(std::string_view text, std::size_t n) {
  std::size_t at = 0;
  for (std::size_t seen = 0; at < text.size() && seen < n; ++seen) {
    ++at;
    while (at < text.size() && continues(text[at]))
      ++at;
  }
  return at;
}

} // namespace

std::size_t glyphs(std::string_view text) {
  return static_cast<std::size_t>(
      std::count_if(text.begin(), text.end(), [](char c) { return !continues(c); }));
}

std::string cut(std::string_view text, std::size_t n) {
  if (glyphs(text) <= n) return std::string(text);
  if (n == 0) return {};
  return std::string(text.substr(0, offset_of(text, n - 1))) + "…";
}

std::vector<std::string> wrap(std::string_view text, std::size_t n) {
  n = std::max<std::size_t>(n, 1);
  std::vector<std::string> lines;
  std::string line;
  std::size_t line_glyphs = 0; // glyphs(line), kept as it grows: each word is counted once
  auto end_line = [&] {
    lines.push_back(std::move(line));
    line.clear();
    line_glyphs = 0;
  };
  std::size_t start = 0;
  while (start < text.size()) {
    auto end = text.find(' ', start);
    if (end == std::string_view::npos) end = text.size();
    std::string_view word = text.substr(start, end - start);
    std::size_t word_glyphs = glyphs(word);
    start = end + 1;
    if (!line.empty() && line_glyphs + 1 + word_glyphs > n) end_line();
    if (!line.empty()) {
      line += ' ';
      ++line_glyphs;
    }
    // A word longer than a line is broken where the line ends.
    while (line_glyphs + word_glyphs > n) {
      const std::size_t fits = n - line_glyphs;
      const std::size_t at = offset_of(word, fits);
      line.append(word.substr(0, at));
      end_line();
      word.remove_prefix(at);
      word_glyphs -= fits;
    }
    line.append(word);
    line_glyphs += word_glyphs;
  }
  if (!line.empty() || lines.empty()) lines.push_back(std::move(line));
  return lines;
}

} // namespace scenario
