#pragma once
// The one APNs environment type of voipsim (docs/spec/apns-provider-api.md §1): the mock's two
// listeners, a device's aps-environment entitlement, a certificate ID of the IM console all name
// one of these two. Written "sandbox" or "production" in every output; read from any of the
// spellings people and Apple use ("development" is the entitlement's word for the sandbox,
// "dev"/"prod" the IM console's).

#include "core/result.hpp"

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace core {

enum class ApnsEnvironment {
  Sandbox,    // api.sandbox.push.apple.com; aps-environment "development"
  Production, // api.push.apple.com; aps-environment "production"
};

std::string_view to_string(ApnsEnvironment environment); // "sandbox", "production"
// The aps-environment entitlement's own word, "development" or "production", for what shows the
// entitlement itself (a device's log); every other output says to_string's.
std::string_view entitlement_value(ApnsEnvironment environment);
// Apple's host name for the environment: api.sandbox.push.apple.com or api.push.apple.com
// (apns-provider-api.md §1); what a client sends as SNI and :authority, even to the mock.
std::string_view apns_host(ApnsEnvironment environment);
// sandbox, development or dev; production or prod.
std::optional<ApnsEnvironment> parse_apns_environment(std::string_view text);
// Every spelling parse_apns_environment accepts, with what it means, for parsers that list the
// words they take (the scenario loader).
const std::vector<std::pair<std::string, ApnsEnvironment>>& apns_environment_spellings();
// The same as a person reads them: "sandbox, development, dev, production or prod".
std::string apns_environment_words();
// A document's "environments" list, each word read by parse_apns_environment; the error quotes
// the first word that is none of them.
Result<std::vector<ApnsEnvironment>> parse_apns_environments(const std::vector<std::string>& words);

} // namespace core
