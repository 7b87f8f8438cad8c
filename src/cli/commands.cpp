#include "cli/commands.hpp"

#include <iostream>

namespace cli {

int fail(const std::string& command, const std::string& message, int status) {
  std::cerr << "voipsim " << command << ": " << message << "\n";
  if (status == kExitUsage) {
    std::cerr << "Run 'voipsim " << command.substr(0, command.find(' ')) << " --help' for usage.\n";
  }
  return status;
}

int refuse(const std::string& command, const std::string& message) {
  std::cerr << "voipsim " << command << ": " << message << "\n";
  return kExitUsage;
}

} // namespace cli
