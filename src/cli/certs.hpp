#pragma once
// voipsim certs, in two steps: its flags read into Options (pure, so tests check every flag
// without writing anything), then run(), which reads the password file and writes the set.

#include "cli/args.hpp"
#include "core/result.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace cli::certs_command {

struct Options {
  std::string out_dir;
  std::string bundle_id;
  std::string team_id;
  std::string key_id;
  // Exactly one of the two: the password, or the file whose first line it is.
  std::optional<std::string> p12_password;
  std::optional<std::string> p12_password_file;
  std::uint64_t days = 365;
  std::optional<std::uint64_t> now; // unix seconds; else the time it runs
  bool force = false;
  bool json = false;
};

// The words after `voipsim certs`, split by the command's flags.
core::Result<Args> args_of(const std::vector<std::string>& words);
// Every flag checked; the error says which one and why. Reads no file.
core::Result<Options> options_of(const Args& args);
// Writes the set; returns the exit status (1 could not generate or write, 2 an unreadable
// password file or values the PKI refuses).
int run(const Options& options);

} // namespace cli::certs_command
