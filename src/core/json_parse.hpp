#pragma once
// The one way voipsim reads JSON text it did not build itself: request bodies of its APIs,
// --tokens and --config files, .apns files, scenario files, answers of its other parts.
// Nesting is bounded before nlohmann builds anything: its copies, comparisons and dumps recurse
// once per level, and a document a few hundred thousand levels deep ran a server's thread out of
// stack. Parse errors say where, as nlohmann reports them.

#include "core/result.hpp"

#include <cstddef>
#include <string_view>

#include <nlohmann/json_fwd.hpp>

namespace core {

// Deeper than any document voipsim reads (its deepest, a scenario file, nests about 8 levels),
// and far from where recursion in nlohmann or yaml-cpp (which stops near 500) could hurt.
inline constexpr std::size_t kMaxJsonDepth = 256;

// True when arrays and objects in `text` nest deeper than `max_depth` (brackets inside strings
// do not count). Reads each byte once, allocates nothing; also a fair bound for YAML's flow
// collections, whose brackets are JSON's.
bool nests_deeper_than(std::string_view text, std::size_t max_depth);

// The document in `text`, or InvalidArgument with "nested deeper than 256 levels" or
// nlohmann's "syntax error ... at line L, column C".
Result<nlohmann::json> parse_json(std::string_view text);
// The document, or null when `text` is not JSON (or nests too deep): for a reader that checks
// the shape field by field anyway, where "not the expected answer" is one case whatever broke.
nlohmann::json parse_json_or_null(std::string_view text);
// The same as parse_json, keeping the members' order (for files a person wrote and reads back).
Result<nlohmann::ordered_json> parse_ordered_json(std::string_view text);

} // namespace core
