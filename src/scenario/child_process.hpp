#pragma once
// A voipsim part started as its own process for `voipsim run --live`: its stdout and stderr
// are read on a thread of their own (so it never blocks writing), its JSON ready line is
// waited for, and it is stopped with SIGTERM (SIGKILL if it does not go). It also gets SIGTERM
// when the thread that started it ends (PR_SET_PDEATHSIG): start it from a long-lived thread.

#include "core/result.hpp"

#include <chrono>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include <nlohmann/json_fwd.hpp>
#include <sys/types.h>

namespace scenario {

class ChildProcess {
public:
  // Starts `argv` (argv[0] is the executable's path) with this process's environment, less the
  // variables named in `unset_env`.
  static core::Result<std::unique_ptr<ChildProcess>>
  start(const std::vector<std::string>& argv, const std::vector<std::string>& unset_env = {});
  // stop().
  ~ChildProcess();
  ChildProcess(const ChildProcess&) = delete;
  ChildProcess& operator=(const ChildProcess&) = delete;

  // The first line that is a JSON object with "event": "ready"; error when the process ends or
  // `timeout` passes first (the error quotes what it printed).
  core::Result<nlohmann::json> wait_ready(std::chrono::milliseconds timeout);
  // SIGTERM, then SIGKILL after `grace`; waits for the exit. Idempotent.
  void stop(std::chrono::milliseconds grace = std::chrono::seconds(10));
  std::string output() const;

private:
  ChildProcess(pid_t pid, int fd);
  void read_output();

  pid_t pid_;
  int fd_;
  mutable std::mutex mutex_;
  std::condition_variable changed_;
  std::string output_;
  bool ended_ = false; // its output was closed: it exited
  bool reaped_ = false;
  std::thread reader_;
};

} // namespace scenario
