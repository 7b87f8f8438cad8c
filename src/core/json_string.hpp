#pragma once
// Writing JSON the one way voipsim puts it on the wire: compact, with broken UTF-8 replaced
// rather than thrown on (a client's bytes must never make an answer fail).
#include <string>
#include <string_view>

#include <nlohmann/json_fwd.hpp>

namespace core {

// `j` on one line: nlohmann's dump(-1, ' ', false, error_handler_t::replace).
std::string json_text(const nlohmann::json& j);

// Appends `text` to `out` as a JSON string in quotes, byte for byte what json_text writes, without
// building a JSON value (for bodies made on every message): the two-character escapes for
// \b \t \n \f \r " and \\, \u00xx (lower-case hex) for the other control characters, UTF-8 as it
// is, and U+FFFD in place of each broken sequence's maximal subpart. tests/core's differential
// test holds it to nlohmann on random bytes.
void append_json_string(std::string& out, std::string_view text);

} // namespace core
