#include "cli/args.hpp"

#include "core/parse_number.hpp"

#include <algorithm>

namespace cli {

core::Result<Args> Args::parse(const std::vector<std::string>& words,
                               const std::vector<std::string>& value_options,
                               const std::vector<std::string>& flags) {
  auto known = [](const std::vector<std::string>& list, const std::string& name) {
    return std::find(list.begin(), list.end(), name) != list.end();
  };
  Args args;
  for (std::size_t i = 0; i < words.size(); ++i) {
    const std::string& word = words[i];
    if (word.rfind("--", 0) != 0 || word == "--") {
      args.positional_.push_back(word);
      continue;
    }
    std::string name = word.substr(2);
    std::optional<std::string> value;
    if (const auto eq = name.find('='); eq != std::string::npos) {
      value = name.substr(eq + 1);
      name.resize(eq);
    }
    if (known(flags, name)) {
      if (value) return core::fail(core::Errc::InvalidArgument, "--" + name + " takes no value");
      args.values_[name] = "true";
    } else if (known(value_options, name)) {
      if (!value) {
        if (i + 1 >= words.size())
          return core::fail(core::Errc::InvalidArgument, "--" + name + " needs a value");
        value = words[++i];
      }
      args.values_[name] = *value;
      args.every_[name].push_back(*value);
    } else {
      return core::fail(core::Errc::InvalidArgument, "unknown option --" + name);
    }
  }
  return args;
}

std::vector<std::string> Args::every(const std::string& name) const {
  const auto it = every_.find(name);
  return it == every_.end() ? std::vector<std::string>() : it->second;
}

std::string Args::get(const std::string& name, const std::string& fallback) const {
  const auto it = values_.find(name);
  return it == values_.end() ? fallback : it->second;
}

std::optional<std::string> Args::find(const std::string& name) const {
  const auto it = values_.find(name);
  return it == values_.end() ? std::nullopt : std::optional<std::string>(it->second);
}

core::Result<std::uint64_t> Args::number(const std::string& name, std::uint64_t fallback,
                                         std::uint64_t min, std::uint64_t max) const {
  const auto it = values_.find(name);
  if (it == values_.end()) return fallback;
  const auto value = core::parse_whole<std::uint64_t>(it->second);
  if (!value || *value < min || *value > max) {
    return core::fail(core::Errc::InvalidArgument,
                      "--" + name + " must be a whole number from " + std::to_string(min) + " to " +
                          std::to_string(max) + ", not '" + it->second + "'");
  }
  return *value;
}

core::Result<std::optional<std::uint64_t>>
Args::optional_number(const std::string& name, std::uint64_t min, std::uint64_t max) const {
  if (!has(name)) return std::optional<std::uint64_t>();
  auto value = number(name, 0, min, max);
  if (!value) return core::Unexpected(value.error());
  return std::optional<std::uint64_t>(*value);
}

core::Result<HostPort> Args::host_port(const std::string& name, const std::string& fallback) const {
  return parse_host_port(get(name, fallback), name);
}

core::Result<void> Args::require(std::initializer_list<const char*> names,
                                 const std::string& why) const {
  for (const char* name : names)
    if (!has(name))
      return core::fail(core::Errc::InvalidArgument,
                        std::string("--") + name + " is required" + why);
  return {};
}

core::Result<HostPort> parse_host_port(const std::string& text, const std::string& flag) {
  const auto colon = text.rfind(':');
  std::string host = colon == std::string::npos ? "" : text.substr(0, colon);
  if (host.size() >= 2 && host.front() == '[' && host.back() == ']') {
    host = host.substr(1, host.size() - 2);
  }
  const auto port =
      colon == std::string::npos
          ? std::nullopt
          : core::parse_whole<std::uint16_t>(std::string_view(text).substr(colon + 1));
  if (!port) {
    return core::fail(core::Errc::InvalidArgument,
                      "--" + flag +
                          " needs HOST:PORT (e.g. 127.0.0.1:2197, port 0 for a free one), got '" +
                          text + "'");
  }
  return HostPort{host.empty() ? "127.0.0.1" : host, *port};
}

std::string address(const std::string& host, std::uint16_t port) {
  return (host.find(':') != std::string::npos ? "[" + host + "]" : host) + ":" +
         std::to_string(port);
}

core::TimePoint time_or_now(const std::optional<std::uint64_t>& unix_seconds) {
  return core::from_unix_seconds(unix_seconds ? static_cast<std::int64_t>(*unix_seconds)
                                              : core::unix_seconds(core::SystemClock().now()));
}

core::Result<void> no_positional(const Args& args) {
  if (args.positional().empty()) return {};
  return core::fail(core::Errc::InvalidArgument,
                    "unexpected argument '" + args.positional().front() + "'");
}

} // namespace cli
