#pragma once
// What the CLI tests share: run voipsim, and read the JSON lines its servers print.
#include "support/child_process.hpp"

#include <chrono>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace cli_test {

inline support::ProcessResult voipsim(std::vector<std::string> args,
                                      std::string_view stdin_data = {}) {
  args.insert(args.begin(), VOIPSIM_BINARY);
  return support::run_process(args, std::chrono::seconds(120), stdin_data);
}

// The JSON objects of `output`, one per line; other lines are skipped.
inline std::vector<nlohmann::json> json_lines(const std::string& output) {
  std::vector<nlohmann::json> lines;
  std::size_t at = 0;
  while (at < output.size()) {
    const auto end = output.find('\n', at);
    auto line = nlohmann::json::parse(output.substr(at, end - at), nullptr, false);
    if (line.is_object()) lines.push_back(std::move(line));
    if (end == std::string::npos) break;
    at = end + 1;
  }
  return lines;
}

// The first line of `output` that is a JSON object with "event": `event`, or null.
inline nlohmann::json event_line(const std::string& output, const std::string& event) {
  for (auto& line : json_lines(output))
    if (line.value("event", "") == event) return line;
  return nlohmann::json();
}

inline std::string port_of(const std::string& address) {
  return address.substr(address.rfind(':') + 1);
}

} // namespace cli_test
