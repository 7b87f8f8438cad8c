#pragma once
// A small command-line parser shared by the subcommands: `--name value`, `--name=value` and
// boolean `--flag`. Unknown options and bad values are errors that say what was expected.

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace cli {

class Args {
public:
  // `value_options` take a value; `flags` do not. Anything else starting with "--" is an error;
  // other words are positional.
  static std::optional<Args> parse(const std::vector<std::string>& words,
                                   const std::vector<std::string>& value_options,
                                   const std::vector<std::string>& flags, std::string& error);

  bool has(const std::string& name) const { return values_.count(name) != 0; }
  // The last value given for `name`; every() has them all, in order (a repeatable option).
  std::string get(const std::string& name, const std::string& fallback) const;
  std::vector<std::string> every(const std::string& name) const;
  // A whole number in [min, max]; sets `error` and returns nullopt otherwise.
  std::optional<std::uint64_t> number(const std::string& name, std::uint64_t fallback,
                                      std::uint64_t min, std::uint64_t max,
                                      std::string& error) const;
  const std::vector<std::string>& positional() const { return positional_; }

private:
  std::map<std::string, std::string> values_;
  std::map<std::string, std::vector<std::string>> every_;
  std::vector<std::string> positional_;
};

// A listening or connecting address given as HOST:PORT ("[::1]:PORT" for IPv6; an empty host
// is 127.0.0.1).
struct HostPort {
  std::string host;
  std::uint16_t port = 0;
};
// Sets `error` naming --`flag` and the expected form when `text` is not HOST:PORT.
std::optional<HostPort> parse_host_port(const std::string& text, std::string& error,
                                        const std::string& flag);
// "HOST:PORT", with brackets around an IPv6 host.
std::string address(const std::string& host, std::uint16_t port);

} // namespace cli
