#pragma once
// JSON syntax checks that build nothing: the hot path only needs to know whether a payload is a
// JSON object (apns-provider-api.md §4.4), not what is in it.
#include <string_view>

namespace core {

// True when `text` is exactly one JSON object (RFC 8259: strict UTF-8 in strings, paired
// surrogate escapes, numbers that fit a double), with only whitespace around it. Allocates
// nothing unless nesting is deeper than 4096; never recurses. Agrees with
// nlohmann::json::accept on every text whose first non-whitespace byte is '{' and that has no
// NUL byte (nlohmann takes NUL for the end of its input and accepts "{}\0junk"); the
// differential fuzz target tests/fuzz/json_object_fuzz.cpp checks that.
bool is_json_object(std::string_view text);

} // namespace core
