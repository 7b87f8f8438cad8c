#pragma once
// What the CLI tests share: run voipsim, and read the JSON lines its servers print.
#include "support/child_process.hpp"

#include <chrono>
#include <cstdlib>
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

// A secret in the developer's own environment would lock the tests out of the parts they start:
// those that want one set it themselves (ScopedEnv).
inline const bool kSecretsCleared =
    ::unsetenv("VOIPSIM_ADMIN_SECRET") == 0 && ::unsetenv("VOIPSIM_API_SECRET") == 0;

// An environment variable set for the processes a test starts, removed at the end of the scope.
class ScopedEnv {
public:
  ScopedEnv(std::string name, const std::string& value) : name_(std::move(name)) {
    ::setenv(name_.c_str(), value.c_str(), 1);
  }
  ~ScopedEnv() { ::unsetenv(name_.c_str()); }
  ScopedEnv(const ScopedEnv&) = delete;
  ScopedEnv& operator=(const ScopedEnv&) = delete;

private:
  std::string name_;
};

// Status and body of one curl request to a JSON API, with `extra` arguments before the URL.
struct CurlAnswer {
  int status = 0;
  std::string body;
};
inline CurlAnswer curl_status(const std::string& url, std::vector<std::string> extra = {}) {
  std::vector<std::string> argv = {"curl", "-sS", "-w", "\n%{http_code}"};
  argv.insert(argv.end(), extra.begin(), extra.end());
  argv.push_back(url);
  const auto run = support::run_process(argv, std::chrono::seconds(30));
  const auto newline = run.output.rfind('\n');
  if (run.exit_code != 0 || newline == std::string::npos) return {0, run.describe()};
  return {std::atoi(run.output.c_str() + newline + 1), run.output.substr(0, newline)};
}

} // namespace cli_test
