#include "core/json_parse.hpp"

#include <string>

#include <nlohmann/json.hpp>

namespace core {

namespace {

template <typename Json>
Result<Json> parse(std::string_view text) {
  if (nests_deeper_than(text, kMaxJsonDepth)) {
    return fail(Errc::InvalidArgument, "not accepted: JSON nested deeper than " +
                                           std::to_string(kMaxJsonDepth) + " levels");
  }
  try {
    return Json::parse(text);
  } catch (const nlohmann::json::exception& e) {
    // "[json.exception.parse_error.101] parse error at line 1, column 2: syntax error ...":
    // the part after the bracketed id is the one a person needs.
    std::string what = e.what();
    if (const auto end = what.find("] "); end != std::string::npos) what.erase(0, end + 2);
    return fail(Errc::InvalidArgument, "not valid JSON: " + what);
  }
}

} // namespace

bool nests_deeper_than(std::string_view text, std::size_t max_depth) {
  std::size_t depth = 0;
  bool in_string = false;
  bool escaped = false;
  for (const char c : text) {
    if (in_string) {
      if (escaped) {
        escaped = false;
      } else if (c == '\\') {
        escaped = true;
      } else if (c == '"') {
        in_string = false;
      }
    } else if (c == '"') {
      in_string = true;
    } else if (c == '[' || c == '{') {
      if (++depth > max_depth) return true;
    } else if ((c == ']' || c == '}') && depth > 0) {
      --depth;
    }
  }
  return false;
}

Result<nlohmann::json> parse_json(std::string_view text) {
  return parse<nlohmann::json>(text);
}

Result<nlohmann::ordered_json> parse_ordered_json(std::string_view text) {
  return parse<nlohmann::ordered_json>(text);
}

nlohmann::json parse_json_or_null(std::string_view text) {
  auto parsed = parse_json(text);
  return parsed ? std::move(*parsed) : nlohmann::json();
}

} // namespace core
