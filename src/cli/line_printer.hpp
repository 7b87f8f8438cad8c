#pragma once
// JSON lines on stdout from several threads (a device's, its delivery follower's, the main one):
// whole lines only. Until release(), lines are held back, so that a command's ready line, which
// the start-up's events precede, is printed first, as the help texts say.

#include <iostream>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace cli {

class LinePrinter {
public:
  void print(const std::string& line) {
    std::lock_guard lock(mutex_);
    if (holding_) {
      held_.push_back(line);
      return;
    }
    std::cout << line << std::endl;
  }
  // Prints `first` (if any), then the lines held so far; from then on lines go out as they come.
  void release(const std::optional<nlohmann::ordered_json>& first = std::nullopt) {
    std::lock_guard lock(mutex_);
    if (first) std::cout << dump(*first) << '\n';
    for (const auto& line : held_)
      std::cout << line << '\n';
    std::cout.flush();
    held_.clear();
    holding_ = false;
  }
  void print(const nlohmann::ordered_json& j) { print(dump(j)); }
  void warning(const std::string& message) {
    print(nlohmann::ordered_json{{"event", "warning"}, {"message", message}});
  }

private:
  static std::string dump(const nlohmann::ordered_json& j) {
    return j.dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace);
  }

  std::mutex mutex_;
  bool holding_ = true;
  std::vector<std::string> held_;
};

} // namespace cli
