#pragma once
// Runs real client and server programs (curl, nghttp, nghttpd, openssl) from tests, always with
// a time limit, capturing their output for failure messages.

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <sys/types.h>

namespace support {

struct ProcessResult {
  int exit_code = -1; // -1 when killed or timed out
  bool timed_out = false;
  std::string output; // stdout and stderr, interleaved
  // Command, exit status and output, for an assertion message.
  std::string describe() const;
  std::string command;
};

ProcessResult run_process(const std::vector<std::string>& argv, std::chrono::milliseconds timeout,
                          std::string_view stdin_data = {});

// Absolute path of `name` on PATH, or empty.
std::string find_program(std::string_view name);

// A program running for the length of a test; killed (TERM, then KILL) on destruction.
class BackgroundProcess {
public:
  explicit BackgroundProcess(const std::vector<std::string>& argv);
  ~BackgroundProcess();
  BackgroundProcess(const BackgroundProcess&) = delete;
  BackgroundProcess& operator=(const BackgroundProcess&) = delete;

  // Waits until the output contains `needle` (at least `times` times); false on timeout or
  // exit.
  bool wait_for_output(std::string_view needle, std::chrono::milliseconds timeout,
                       std::size_t times = 1);
  // Waits until the process has closed its output and exited; its exit code (-1 when killed
  // by a signal), or nullopt when it is still running after `timeout`.
  std::optional<int> wait_for_exit(std::chrono::milliseconds timeout);
  // TCP ports the process is listening on, read from /proc.
  std::vector<std::uint16_t> listening_ports() const;
  std::string output() const;
  pid_t pid() const { return pid_; }

private:
  struct Reader;
  pid_t pid_ = -1; // -1 once reaped
  int exit_code_ = -1;
  std::unique_ptr<Reader> reader_;
};

} // namespace support
