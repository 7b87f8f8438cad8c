#include "fuzz/request_script.hpp"

namespace fuzz {

std::vector<std::string_view> split_requests(std::string_view input, std::size_t max) {
  constexpr std::string_view kSeparator = "\n----\n";
  std::vector<std::string_view> out;
  for (std::size_t at;
       out.size() < max && (at = input.find(kSeparator)) != std::string_view::npos;) {
    out.push_back(input.substr(0, at));
    input.remove_prefix(at + kSeparator.size());
  }
  out.push_back(input);
  return out;
}

std::string_view next_line(std::string_view& text) {
  const std::size_t end = text.find('\n');
  std::string_view line = text.substr(0, end);
  text.remove_prefix(end == std::string_view::npos ? text.size() : end + 1);
  return line;
}

ScriptedRequest read_scripted_request(std::string_view text) {
  ScriptedRequest request;
  const std::string_view line = next_line(text);
  const std::size_t space = line.find(' ');
  request.method = line.substr(0, space);
  request.target = space == std::string_view::npos ? std::string_view() : line.substr(space + 1);
  request.body = text;
  return request;
}

std::vector<ScriptedRequest> read_script(const std::uint8_t* data, std::size_t size) {
  std::vector<ScriptedRequest> requests;
  for (std::string_view text : split_requests({reinterpret_cast<const char*>(data), size}))
    requests.push_back(read_scripted_request(text));
  return requests;
}

} // namespace fuzz
