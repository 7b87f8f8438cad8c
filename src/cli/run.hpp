#pragma once
// voipsim run and voipsim demo, each in two steps: its flags read into Options (pure, so tests
// check every flag without loading a scenario), then run(), which loads, replays and reports.

#include "cli/args.hpp"
#include "core/result.hpp"
#include "scenario/shard.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace cli::run_command {

struct Options {
  std::vector<std::string> paths; // scenario files and folders, at least one
  std::optional<std::string> junit_file;
  std::optional<std::string> json_file;
  std::optional<std::string> html_file;   // the HTML report with a sequence diagram each
  std::optional<std::string> mermaid_dir; // each scenario's diagram as <name>.mmd
  std::uint64_t seed = 1;
  std::string filter; // a part of the names of the scenarios to run; empty: all
  bool quiet = false;
  bool live = false;
  unsigned jobs = 1;                    // scenarios run at once (-j N; default: the cores)
  std::optional<scenario::Shard> shard; // --shard I/N: this job's share of the suite
};

// The words after `voipsim run`, split by the command's flags.
core::Result<Args> args_of(const std::vector<std::string>& words);
// Every flag checked; the error says which one and why. Loads no scenario.
core::Result<Options> options_of(const Args& args);
// Replays the scenarios; returns the exit status (1 one failed, 2 none to run or one that does
// not load).
int run(const Options& options);

} // namespace cli::run_command

namespace cli::demo_command {

struct Options {
  std::optional<std::string> out_dir; // else a new folder under $TMPDIR
  std::uint64_t seed = 1;
  bool verbose = false;
  unsigned jobs = 1; // scenarios run at once (-j N; default: the cores)
};

// The words after `voipsim demo`, split by the command's flags.
core::Result<Args> args_of(const std::vector<std::string>& words);
// Every flag checked; the error says which one and why. Makes no folder.
core::Result<Options> options_of(const Args& args);
// Replays the built-in library and writes the reports; returns the exit status.
int run(const Options& options);

} // namespace cli::demo_command
