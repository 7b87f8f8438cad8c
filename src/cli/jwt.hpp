#pragma once
// voipsim jwt, in two steps: its flags read into Options (pure), then run(), which reads the
// PKI folder's .p8 key and prints a provider token (apns-provider-api.md §6).

#include "cli/args.hpp"
#include "core/result.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace cli::jwt_command {

struct Options {
  std::string pki_dir;                // a folder written by `voipsim certs` or the mock
  std::optional<std::string> key_id;  // the header's kid; default: the folder's key
  std::optional<std::string> team_id; // the iss claim; default: the folder's team
  std::optional<std::uint64_t> iat;   // unix seconds; else the time it runs
  bool header = false;                // print "authorization: bearer <token>"
};

// The words after `voipsim jwt`, split by the command's flags.
core::Result<Args> args_of(const std::vector<std::string>& words);
// Every flag checked; the error says which one and why. Reads no file.
core::Result<Options> options_of(const Args& args);
// Prints the token; returns the exit status (1 the folder or its key cannot be read).
int run(const Options& options);

} // namespace cli::jwt_command
