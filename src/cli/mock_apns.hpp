#pragma once
// voipsim mock-apns, in two steps: its flags read into Options (pure, so tests check every flag
// without starting a server), then run(), which reads the files named and serves until a signal.

#include "cli/args.hpp"
#include "core/result.hpp"

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace cli::mock_apns_command {

struct Options {
  HostPort sandbox{"127.0.0.1", 0};
  HostPort production{"127.0.0.1", 0};
  HostPort admin{"127.0.0.1", 0};
  std::optional<std::string> admin_secret_file; // else VOIPSIM_ADMIN_SECRET, if set
  std::vector<std::string> allowed_hosts;
  std::optional<std::string> pki_dir; // else a temporary one
  bool certificate_auth = true;
  bool token_auth = true;
  std::optional<std::string> config_file;
  // Given on the command line, these override the --config file's values.
  std::optional<bool> strict_tokens;
  std::optional<std::uint32_t> per_token_burst;
  std::optional<std::chrono::seconds> unregister_delay;
  std::optional<std::string> tokens_file;
  std::optional<std::string> record_file;
  std::uint64_t seed = 0; // 0: random
  std::size_t threads = 1;
  std::size_t journal_size = 10'000;
  std::size_t journal_body_limit = 5'120;
  std::size_t journal_max_mb = 320;
  bool verbose = false; // a stderr line per request
};

// The words after `voipsim mock-apns`, split by the command's flags.
core::Result<Args> args_of(const std::vector<std::string>& words);
// Every flag checked; the error says which one and why. Reads no file.
core::Result<Options> options_of(const Args& args);
// Serves until SIGINT or SIGTERM; returns the exit status (1 could not start, 2 a file named
// by a flag is not what it should be).
int run(const Options& options);

} // namespace cli::mock_apns_command
