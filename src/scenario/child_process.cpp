#include "scenario/child_process.hpp"

#include "core/json_fields.hpp"
#include "core/json_parse.hpp"

#include <algorithm>
#include <cerrno>
#include <csignal>
#include <cstring>
#include <optional>

#include <fcntl.h>
#include <nlohmann/json.hpp>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

extern char** environ;

namespace scenario {

core::Result<std::unique_ptr<ChildProcess>>
ChildProcess::start(const std::vector<std::string>& argv,
                    const std::vector<std::string>& unset_env) {
  int pipe_fds[2];
  if (::pipe2(pipe_fds, O_CLOEXEC) != 0)
    return core::fail(core::Errc::InvalidArgument, "cannot make a pipe for " + argv.front());
  std::vector<char*> args;
  for (const auto& a : argv)
    args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);
  // Made before the fork: the child may only make async-signal-safe calls.
  std::vector<char*> env;
  for (char** e = environ; *e != nullptr; ++e) {
    const std::string_view entry(*e);
    const auto name = entry.substr(0, entry.find('='));
    if (std::find(unset_env.begin(), unset_env.end(), name) == unset_env.end()) env.push_back(*e);
  }
  env.push_back(nullptr);
  const pid_t parent = ::getpid();
  const pid_t pid = ::fork();
  if (pid == 0) {
    // The child, until exec: async-signal-safe calls only. It gets SIGTERM when the runner
    // dies, however it dies, so no part outlives a killed `voipsim run --live`.
    ::prctl(PR_SET_PDEATHSIG, SIGTERM);
    if (::getppid() != parent) ::_exit(127);
    sigset_t none;
    sigemptyset(&none);
    ::sigprocmask(SIG_SETMASK, &none, nullptr);
    ::dup2(pipe_fds[1], STDOUT_FILENO);
    ::dup2(pipe_fds[1], STDERR_FILENO);
    const int null = ::open("/dev/null", O_RDONLY);
    if (null >= 0) ::dup2(null, STDIN_FILENO);
    ::execve(args.front(), args.data(), env.data());
    ::_exit(127);
  }
  const int fork_errno = errno;
  ::close(pipe_fds[1]);
  if (pid < 0) {
    ::close(pipe_fds[0]);
    return core::fail(core::Errc::InvalidArgument,
                      "cannot start " + argv.front() + ": " + std::strerror(fork_errno));
  }
  return std::unique_ptr<ChildProcess>(new ChildProcess(pid, pipe_fds[0]));
}

ChildProcess::ChildProcess(pid_t pid, int fd)
    : pid_(pid), fd_(fd), reader_([this] { read_output(); }) {}

ChildProcess::~ChildProcess() {
  stop();
}

void ChildProcess::read_output() {
  char buffer[4096];
  for (;;) {
    const ssize_t n = ::read(fd_, buffer, sizeof buffer);
    if (n < 0 && errno == EINTR) continue;
    std::lock_guard lock(mutex_);
    if (n <= 0) {
      ended_ = true;
      changed_.notify_all();
      return;
    }
    output_.append(buffer, static_cast<std::size_t>(n));
    changed_.notify_all();
  }
}

core::Result<nlohmann::json> ChildProcess::wait_ready(std::chrono::milliseconds timeout) {
  std::unique_lock lock(mutex_);
  std::size_t scanned = 0;
  std::optional<nlohmann::json> ready;
  const auto found = [&] {
    for (auto end = output_.find('\n', scanned); end != std::string::npos;
         end = output_.find('\n', scanned)) {
      auto line = core::parse_json_or_null(output_.substr(scanned, end - scanned));
      scanned = end + 1;
      // The child prints other lines too (logs, not always JSON): the ready line is the JSON
      // object whose "event" is "ready"; its fields are read strictly where used (endpoint_of).
      std::optional<std::string> event;
      if (line.is_object() && !core::JsonFields(line).read("event", event).problem() &&
          event == "ready") {
        ready = std::move(line);
        return true;
      }
    }
    return ended_;
  };
  changed_.wait_for(lock, timeout, found);
  if (ready) return *ready;
  return core::fail(core::Errc::InvalidArgument,
                    std::string(ended_ ? "it exited" : "no ready line in time") +
                        "; it printed: " + output_);
}

void ChildProcess::stop(std::chrono::milliseconds grace) {
  {
    std::unique_lock lock(mutex_);
    if (reaped_) return;
    if (!ended_) {
      ::kill(pid_, SIGTERM);
      if (!changed_.wait_for(lock, grace, [this] { return ended_; })) ::kill(pid_, SIGKILL);
    }
    reaped_ = true;
  }
  int status = 0;
  while (::waitpid(pid_, &status, 0) < 0 && errno == EINTR) {
  }
  if (reader_.joinable()) reader_.join();
  ::close(fd_);
}

std::string ChildProcess::output() const {
  std::lock_guard lock(mutex_);
  return output_;
}

} // namespace scenario
