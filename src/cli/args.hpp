#pragma once
// A small command-line parser shared by the subcommands: `--name value`, `--name=value` and
// boolean `--flag`. Unknown options and bad values are errors that say what was expected.

#include "core/clock.hpp"
#include "core/result.hpp"

#include <cstdint>
#include <initializer_list>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace cli {

// Where a server listens when its flag is left out: a free port on loopback.
inline constexpr const char* kAnyLoopbackPort = "127.0.0.1:0";

// A listening or connecting address given as HOST:PORT ("[::1]:PORT" for IPv6; an empty host
// is 127.0.0.1).
struct HostPort {
  std::string host;
  std::uint16_t port = 0;
};

class Args {
public:
  // `value_options` take a value; `flags` do not. Anything else starting with "--" is an error;
  // other words are positional.
  static core::Result<Args> parse(const std::vector<std::string>& words,
                                  const std::vector<std::string>& value_options,
                                  const std::vector<std::string>& flags);

  bool has(const std::string& name) const { return values_.count(name) != 0; }
  // The last value given for `name`; every() has them all, in order (a repeatable option).
  std::string get(const std::string& name, const std::string& fallback) const;
  // The last value given for `name`, if it was given (a file's name, say).
  std::optional<std::string> find(const std::string& name) const;
  std::vector<std::string> every(const std::string& name) const;
  // A whole number in [min, max], or an error naming the flag and the range.
  core::Result<std::uint64_t> number(const std::string& name, std::uint64_t fallback,
                                     std::uint64_t min, std::uint64_t max) const;
  // The same for a flag without a default: nullopt when it was not given (the command then
  // leaves the setting as it is, or decides when it runs, as "now" does).
  core::Result<std::optional<std::uint64_t>>
  optional_number(const std::string& name, std::uint64_t min, std::uint64_t max) const;
  // The HOST:PORT of --`name`, else of `fallback`; an error naming the flag and the form.
  core::Result<HostPort> host_port(const std::string& name, const std::string& fallback) const;
  // An error for the first of `names` that was not given: "--NAME is required" and `why`.
  core::Result<void> require(std::initializer_list<const char*> names,
                             const std::string& why = "") const;
  const std::vector<std::string>& positional() const { return positional_; }

private:
  std::map<std::string, std::string> values_;
  std::map<std::string, std::vector<std::string>> every_;
  std::vector<std::string> positional_;
};

// An error naming --`flag` and the expected form when `text` is not HOST:PORT.
core::Result<HostPort> parse_host_port(const std::string& text, const std::string& flag);
// "HOST:PORT", with brackets around an IPv6 host.
std::string address(const std::string& host, std::uint16_t port);

// The time a `--now UNIX_SECONDS` flag gave (Args::optional_number), else the current time in
// whole seconds, as a certificate states it.
core::TimePoint time_or_now(const std::optional<std::uint64_t>& unix_seconds);

// A subcommand's words to its options: the command's flag split (`args_of`), then
// `options_of`. Either error is a usage error.
template <class Options>
core::Result<Options> options_from(const std::vector<std::string>& words,
                                   core::Result<Args> (*args_of)(const std::vector<std::string>&),
                                   core::Result<Options> (*options_of)(const Args&)) {
  auto args = args_of(words);
  if (!args) return core::Unexpected(args.error());
  return options_of(*args);
}

// The error for the first positional word of a command that takes none, if there is one.
core::Result<void> no_positional(const Args& args);

} // namespace cli
