#include "cli/commands.hpp"

#include <fstream>
#include <iostream>

#include <pthread.h>

namespace cli {

sigset_t block_stop_signals() {
  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGINT);
  sigaddset(&stop_signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);
  return stop_signals;
}

const char* stop_signal_name(int signal) {
  return signal == SIGINT ? "SIGINT" : "SIGTERM";
}

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

bool write_text(const std::filesystem::path& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << text;
  out.close();
  if (!out) {
    std::cerr << "voipsim: cannot write " << path.string() << "\n";
    return false;
  }
  return true;
}

} // namespace cli
