#include "core/apns_environment.hpp"

#include "core/names.hpp"

namespace core {

namespace {

constexpr Names<ApnsEnvironment, 2> kOutput{{
    {ApnsEnvironment::Sandbox, "sandbox"},
    {ApnsEnvironment::Production, "production"},
}};

constexpr Names<ApnsEnvironment, 2> kEntitlement{{
    {ApnsEnvironment::Sandbox, "development"},
    {ApnsEnvironment::Production, "production"},
}};

constexpr Names<ApnsEnvironment, 5> kInput{{
    {ApnsEnvironment::Sandbox, "sandbox"},
    {ApnsEnvironment::Sandbox, "development"},
    {ApnsEnvironment::Sandbox, "dev"},
    {ApnsEnvironment::Production, "production"},
    {ApnsEnvironment::Production, "prod"},
}};

} // namespace

std::string_view to_string(ApnsEnvironment environment) {
  return name_of(kOutput, environment);
}

std::string_view entitlement_value(ApnsEnvironment environment) {
  return name_of(kEntitlement, environment);
}

std::optional<ApnsEnvironment> parse_apns_environment(std::string_view text) {
  return value_named(kInput, text);
}

const std::vector<std::pair<std::string, ApnsEnvironment>>& apns_environment_spellings() {
  static const auto spellings = [] {
    std::vector<std::pair<std::string, ApnsEnvironment>> out;
    for (const auto& [value, name] : kInput)
      out.emplace_back(name, value);
    return out;
  }();
  return spellings;
}

std::string_view apns_host(ApnsEnvironment environment) {
  return environment == ApnsEnvironment::Sandbox ? "api.sandbox.push.apple.com"
                                                 : "api.push.apple.com";
}

std::string apns_environment_words() {
  return words_of(kInput);
}

Result<std::vector<ApnsEnvironment>>
parse_apns_environments(const std::vector<std::string>& words) {
  std::vector<ApnsEnvironment> out;
  for (const auto& word : words) {
    const auto environment = parse_apns_environment(word);
    if (!environment)
      return fail(Errc::InvalidArgument,
                  "\"environments\" holds \"" + word + "\"; use sandbox and/or production");
    out.push_back(*environment);
  }
  return out;
}

} // namespace core
