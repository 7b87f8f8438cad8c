#pragma once
// voipsim selftest, in two steps: its flags read into Options (pure, so tests check every flag
// without starting a server), then run(), which starts the server and clients and reports.

#include "cli/args.hpp"
#include "core/result.hpp"

#include <cstdint>
#include <string>
#include <vector>

namespace cli::selftest_command {

struct Options {
  std::uint64_t requests = 10'000;
  std::uint64_t connections = 1;
  std::uint64_t streams = 100; // the server's MAX_CONCURRENT_STREAMS
  std::uint64_t body_bytes = 1024;
  std::uint64_t threads = 1; // the server's I/O threads
  std::string tls_dir;       // a folder written by `voipsim certs`; empty: cleartext h2c
  bool json = false;
};

// The words after `voipsim selftest`, split by the command's flags.
core::Result<Args> args_of(const std::vector<std::string>& words);
// Every flag checked; the error says which one and why. Reads no file.
core::Result<Options> options_of(const Args& args);
// Sends the requests and prints the summary; returns the exit status (1 a request failed, the
// client certificate would be refused, or the server could not start).
int run(const Options& options);

} // namespace cli::selftest_command
