#pragma once
// `voipsim report merge`: the JSON reports of a suite's shards (`voipsim run --shard I/N --json`)
// joined into the report of the whole suite, as one serial run would have written it (issue #21).

#include "cli/args.hpp"
#include "core/result.hpp"

#include <optional>
#include <string>
#include <vector>

namespace cli::report_command {

struct Options {
  std::vector<std::string> reports; // the shards' JSON reports, at least one
  std::optional<std::string> json_file;
  std::optional<std::string> junit_file;
  std::optional<std::string> html_file;
};

// The words after `voipsim report merge`.
core::Result<Args> args_of(const std::vector<std::string>& words);
// Every flag checked; reads no file.
core::Result<Options> options_of(const Args& args);
// Reads, merges, writes; the exit status: 0 every scenario passed (or was skipped), 1 one did not
// or a report could not be read or written.
int run(const Options& options);

} // namespace cli::report_command
