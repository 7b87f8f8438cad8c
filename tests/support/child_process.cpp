#include "support/child_process.hpp"

#include <condition_variable>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <sstream>
#include <thread>

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

extern char** environ;

namespace support {
namespace {

using Clock = std::chrono::steady_clock;

std::string join(const std::vector<std::string>& argv) {
  std::string s;
  for (const auto& a : argv) {
    if (!s.empty()) s += ' ';
    s += a;
  }
  return s;
}

// Spawns argv with stdout+stderr on one pipe and (optionally) stdin on another.
pid_t spawn(const std::vector<std::string>& argv, int& out_fd, int* in_fd) {
  int out[2];
  int in[2] = {-1, -1};
  if (pipe2(out, O_CLOEXEC) != 0) return -1;
  if (in_fd && pipe2(in, O_CLOEXEC) != 0) return -1;
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, out[1], 1);
  posix_spawn_file_actions_adddup2(&actions, out[1], 2);
  if (in_fd)
    posix_spawn_file_actions_adddup2(&actions, in[0], 0);
  else
    posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
  std::vector<char*> args;
  for (const auto& a : argv)
    args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);
  pid_t pid = -1;
  const int rc = posix_spawnp(&pid, args[0], &actions, nullptr, args.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  close(out[1]);
  if (in_fd) close(in[0]);
  if (rc != 0) {
    close(out[0]);
    if (in_fd) close(in[1]);
    return -1;
  }
  out_fd = out[0];
  if (in_fd) *in_fd = in[1];
  return pid;
}

int wait_exit(pid_t pid) {
  int status = 0;
  if (waitpid(pid, &status, 0) != pid) return -1;
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

} // namespace

std::string ProcessResult::describe() const {
  std::ostringstream s;
  s << "$ " << command << "\n"
    << (timed_out ? "timed out" : "exit code " + std::to_string(exit_code)) << "\n"
    << output;
  return s.str();
}

ProcessResult run_process(const std::vector<std::string>& argv, std::chrono::milliseconds timeout,
                          std::string_view stdin_data) {
  ProcessResult result;
  result.command = join(argv);
  int out_fd = -1;
  int in_fd = -1;
  const pid_t pid = spawn(argv, out_fd, stdin_data.empty() ? nullptr : &in_fd);
  if (pid < 0) {
    result.output = "cannot start: " + std::string(std::strerror(errno));
    return result;
  }
  if (in_fd >= 0) {
    std::thread([in_fd, data = std::string(stdin_data)] {
      std::size_t done = 0;
      while (done < data.size()) {
        const ssize_t n = write(in_fd, data.data() + done, data.size() - done);
        if (n <= 0) break;
        done += static_cast<std::size_t>(n);
      }
      close(in_fd);
    }).detach();
  }
  const auto deadline = Clock::now() + timeout;
  char buf[4096];
  for (;;) {
    const auto left =
        std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
    if (left.count() <= 0) {
      result.timed_out = true;
      kill(pid, SIGKILL);
      break;
    }
    pollfd p{out_fd, POLLIN, 0};
    if (poll(&p, 1, static_cast<int>(left.count())) <= 0) continue;
    const ssize_t n = read(out_fd, buf, sizeof buf);
    if (n <= 0) break;
    result.output.append(buf, static_cast<std::size_t>(n));
  }
  close(out_fd);
  const int code = wait_exit(pid);
  result.exit_code = result.timed_out ? -1 : code;
  return result;
}

std::string find_program(std::string_view name) {
  const char* path = std::getenv("PATH");
  std::stringstream dirs(path ? path : "/usr/bin:/bin");
  std::string dir;
  while (std::getline(dirs, dir, ':')) {
    const auto candidate = std::filesystem::path(dir) / std::string(name);
    if (access(candidate.c_str(), X_OK) == 0) return candidate.string();
  }
  return {};
}

struct BackgroundProcess::Reader {
  std::mutex mutex;
  std::condition_variable changed;
  std::string output;
  bool ended = false;
  std::thread thread;
};

BackgroundProcess::BackgroundProcess(const std::vector<std::string>& argv)
    : reader_(std::make_unique<Reader>()) {
  int out_fd = -1;
  pid_ = spawn(argv, out_fd, nullptr);
  if (pid_ < 0) {
    reader_->output = "cannot start " + join(argv) + ": " + std::strerror(errno);
    reader_->ended = true;
    return;
  }
  reader_->thread = std::thread([r = reader_.get(), out_fd] {
    char buf[4096];
    for (;;) {
      const ssize_t n = read(out_fd, buf, sizeof buf);
      std::lock_guard lock(r->mutex);
      if (n <= 0) {
        r->ended = true;
        r->changed.notify_all();
        break;
      }
      r->output.append(buf, static_cast<std::size_t>(n));
      r->changed.notify_all();
    }
    close(out_fd);
  });
}

BackgroundProcess::~BackgroundProcess() {
  if (pid_ > 0) {
    kill(pid_, SIGTERM);
    std::unique_lock lock(reader_->mutex);
    if (!reader_->changed.wait_for(lock, std::chrono::seconds(5), [&] { return reader_->ended; }))
      kill(pid_, SIGKILL);
    lock.unlock();
    wait_exit(pid_);
  }
  if (reader_->thread.joinable()) reader_->thread.join();
}

bool BackgroundProcess::wait_for_output(std::string_view needle, std::chrono::milliseconds timeout,
                                        std::size_t times) {
  const auto found = [&] {
    std::size_t count = 0;
    for (auto at = reader_->output.find(needle); at != std::string::npos && count < times;
         at = reader_->output.find(needle, at + needle.size()))
      ++count;
    return count >= times;
  };
  std::unique_lock lock(reader_->mutex);
  return reader_->changed.wait_for(lock, timeout, [&] { return found() || reader_->ended; }) &&
         found();
}

std::optional<int> BackgroundProcess::wait_for_exit(std::chrono::milliseconds timeout) {
  std::unique_lock lock(reader_->mutex);
  if (!reader_->changed.wait_for(lock, timeout, [&] { return reader_->ended; })) {
    return std::nullopt;
  }
  lock.unlock();
  if (pid_ <= 0) return exit_code_;
  exit_code_ = wait_exit(pid_); // the output closes at exit: this does not block for long
  pid_ = -1;
  return exit_code_;
}

std::string BackgroundProcess::output() const {
  std::lock_guard lock(reader_->mutex);
  return reader_->output;
}

std::vector<std::uint16_t> BackgroundProcess::listening_ports() const {
  // Socket inodes the process holds, then their LISTEN (state 0A) rows in /proc/net/tcp{,6}.
  std::vector<std::string> inodes;
  std::error_code ec;
  for (const auto& fd :
       std::filesystem::directory_iterator("/proc/" + std::to_string(pid_) + "/fd", ec)) {
    const auto target = std::filesystem::read_symlink(fd.path(), ec).string();
    if (target.rfind("socket:[", 0) == 0) inodes.push_back(target.substr(8, target.size() - 9));
  }
  std::vector<std::uint16_t> ports;
  for (const char* table : {"/proc/net/tcp", "/proc/net/tcp6"}) {
    std::ifstream in(table);
    std::string line;
    std::getline(in, line); // header
    while (std::getline(in, line)) {
      std::istringstream row(line);
      std::string slot, local, remote, state, queues, timer, retrans, uid, timeout, inode;
      row >> slot >> local >> remote >> state >> queues >> timer >> retrans >> uid >> timeout >>
          inode;
      if (state != "0A") continue;
      for (const auto& mine : inodes)
        if (mine == inode)
          ports.push_back(static_cast<std::uint16_t>(
              std::stoul(local.substr(local.find(':') + 1), nullptr, 16)));
    }
  }
  return ports;
}

} // namespace support
