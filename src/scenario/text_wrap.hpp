#pragma once
// Fitting text into a width counted in glyphs (UTF-8 code points), for the text timeline and the
// diagram's labels: neither can measure a font, both keep lines short.

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace scenario {

std::size_t glyphs(std::string_view text);
// The first `n` glyphs of `text`, the last of them "…" when it was cut.
std::string cut(std::string_view text, std::size_t n);
// Lines of at most `n` glyphs, broken at spaces; a longer word is broken inside.
std::vector<std::string> wrap(std::string_view text, std::size_t n);

} // namespace scenario
