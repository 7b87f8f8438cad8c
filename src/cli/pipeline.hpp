#pragma once
// voipsim pipeline, in two steps: its flags read into Options (pure, so tests check every flag
// without starting anything), then run(), which reads the files named and serves until a signal.

#include "cli/args.hpp"
#include "core/result.hpp"

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace cli::pipeline_command {

struct Options {
  HostPort listen{"127.0.0.1", 0};
  HostPort apns_sandbox;
  HostPort apns_production;
  std::string ca_file;
  std::optional<std::string> apple_ca_file; // else the --ca file
  std::string database = "voipsim-pipeline.db";
  std::optional<std::string> api_secret_file; // else VOIPSIM_API_SECRET, if set
  std::vector<std::string> allowed_hosts;
  std::uint64_t seed = 1;
  std::chrono::milliseconds retry_delay{1000};
  int max_retries = 3;
  std::size_t max_in_flight = 2048;
  int mobile_instances = 1; // the product setting mobileInstances (im-voip-flow.md §3.4)
};

// The words after `voipsim pipeline`, split by the command's flags.
core::Result<Args> args_of(const std::vector<std::string>& words);
// Every flag checked; the error says which one and why. Reads no file.
core::Result<Options> options_of(const Args& args);
// Serves until SIGINT or SIGTERM; returns the exit status (1 could not start, 2 an unusable
// secret file).
int run(const Options& options);

} // namespace cli::pipeline_command
