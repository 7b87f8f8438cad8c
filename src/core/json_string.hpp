#pragma once
// Writing a JSON string without building a JSON value, for bodies made on every message.
#include <string>
#include <string_view>

namespace core {

// Appends `text` to `out` as a JSON string in quotes, byte for byte what nlohmann's
// dump(-1, ' ', false, error_handler_t::replace) writes: the two-character escapes for
// \b \t \n \f \r " and \\, \u00xx (lower-case hex) for the other control characters, UTF-8 as it
// is, and U+FFFD in place of each broken sequence's maximal subpart. tests/core's differential
// test holds it to nlohmann on random bytes.
void append_json_string(std::string& out, std::string_view text);

} // namespace core
