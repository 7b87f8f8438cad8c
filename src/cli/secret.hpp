#pragma once
// The bearer secret of a JSON API (the mock's admin API, the pipeline's API) as the subcommands
// take it: from a file named by a flag, or from an environment variable; never as a flag's
// value, which `ps` shows to every user of the machine.

#include "core/result.hpp"

#include <optional>
#include <string>

namespace cli {

// The secret of `file` (given as --`file_flag` FILE; its trailing newline trimmed), else of
// `env`, else "" (no secret). An error when the file cannot be read, either source is empty, or
// the secret cannot travel in an Authorization header. The file wins when both are given.
core::Result<std::string> read_secret(const std::optional<std::string>& file,
                                      const std::string& file_flag, const char* env);

// Prints a {"event":"warning","message":..} line to stdout when an API listens beyond loopback
// with no secret (anyone who can reach the port can use it). `api` names it ("the admin API");
// `env` is the variable that gives it a secret besides `file_flag`.
void warn_if_exposed(const std::string& api, const std::string& host, const std::string& secret,
                     const std::string& file_flag, const char* env);

} // namespace cli
