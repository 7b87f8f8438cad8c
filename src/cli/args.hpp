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
  std::string get(const std::string& name, const std::string& fallback) const;
  // A whole number in [min, max]; sets `error` and returns nullopt otherwise.
  std::optional<std::uint64_t> number(const std::string& name, std::uint64_t fallback,
                                      std::uint64_t min, std::uint64_t max,
                                      std::string& error) const;
  const std::vector<std::string>& positional() const { return positional_; }

private:
  std::map<std::string, std::string> values_;
  std::vector<std::string> positional_;
};

} // namespace cli
