#include "fake_device/app_config.hpp"

#include "core/names.hpp"

namespace fake_device {
namespace {

// The words scenarios (app.registry, app.token_reporting) write these choices as.
constexpr core::Names<RegistryCreation, 4> kRegistryCreationNames{{
    {RegistryCreation::AtLaunch, "at_launch"},
    {RegistryCreation::AfterConsent, "after_consent"},
    {RegistryCreation::AfterLogin, "after_login"},
    {RegistryCreation::Never, "never"},
}};

constexpr core::Names<TokenReporting, 3> kTokenReportingNames{{
    {TokenReporting::AfterLogin, "after_login"},
    {TokenReporting::OnTokenOnly, "on_token_only"},
    {TokenReporting::Never, "never"},
}};

} // namespace

std::string_view to_string(RegistryCreation creation) {
  return core::name_of(kRegistryCreationNames, creation);
}

std::optional<RegistryCreation> parse_registry_creation(std::string_view text) {
  return core::value_named(kRegistryCreationNames, text);
}

std::string registry_creation_words() {
  return core::words_of(kRegistryCreationNames);
}

std::string_view to_string(TokenReporting reporting) {
  return core::name_of(kTokenReportingNames, reporting);
}

std::optional<TokenReporting> parse_token_reporting(std::string_view text) {
  return core::value_named(kTokenReportingNames, text);
}

std::string token_reporting_words() {
  return core::words_of(kTokenReportingNames);
}

} // namespace fake_device
