#include "fuzz/request_script.hpp"

#include "net/json_api.hpp"

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

bool is_house_error(const nlohmann::json& body) {
  const auto text = [&](const char* name) {
    const auto found = body.find(name);
    return found != body.end() && found->is_string() && !found->get<std::string>().empty();
  };
  return body.is_object() && body.size() == 2 && text("error") && text("message");
}

std::string routed_path(std::string_view target) {
  std::string path;
  for (const auto& segment : net::parse_target(target).segments)
    path += "/" + segment;
  return path.empty() ? "/" : path;
}

} // namespace fuzz
