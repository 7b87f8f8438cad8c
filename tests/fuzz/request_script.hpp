#pragma once
// The input format of the fuzz targets that drive request handlers: one input holds several
// requests, so a fuzzer can chain them (add a record, then read it back).

#include <cstddef>
#include <string_view>
#include <vector>

namespace fuzz {

// The requests of `input`, separated by "\n----\n": at most `max` cut off that way, the rest
// of the input being the last one.
std::vector<std::string_view> split_requests(std::string_view input, std::size_t max = 8);

// The first line of `text` without its '\n', removed from `text`.
std::string_view next_line(std::string_view& text);

} // namespace fuzz
