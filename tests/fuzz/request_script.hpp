#pragma once
// The input format of the fuzz targets that drive request handlers: one input holds several
// requests, so a fuzzer can chain them (add a record, then read it back).

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json_fwd.hpp>

namespace fuzz {

// The requests of `input`, separated by "\n----\n": at most `max` cut off that way, the rest
// of the input being the last one.
std::vector<std::string_view> split_requests(std::string_view input, std::size_t max = 8);

// The first line of `text` without its '\n', removed from `text`.
std::string_view next_line(std::string_view& text);

// A request written as "METHOD TARGET" on its first line and the body after it.
struct ScriptedRequest {
  std::string_view method;
  std::string_view target;
  std::string_view body;
};
ScriptedRequest read_scripted_request(std::string_view text);

// The requests of one fuzz input in that form (split_requests, then read_scripted_request).
std::vector<ScriptedRequest> read_script(const std::uint8_t* data, std::size_t size);

// True when `body` is the one error shape of voipsim's APIs (net/json_api.hpp): exactly
// "error" and "message", both non-empty strings.
bool is_house_error(const nlohmann::json& body);

// The path as the APIs route it: the target's segments (net::parse_target), each decoded, joined
// by '/'.
std::string routed_path(std::string_view target);

} // namespace fuzz
