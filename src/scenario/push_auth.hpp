#pragma once
// How a scenario's `push` step authenticates to the mock APNs (apns-provider-api.md §6, §7):
// the enum and the words scenario files (and recorded scenarios) write it as.

#include <optional>
#include <string>
#include <string_view>

namespace scenario {

enum class PushAuth {
  Token,       // a provider token (JWT) signed with the PKI's key
  Certificate, // a client certificate of the PKI (`credential`)
  None,        // neither: the mock refuses it
};

std::string_view to_string(PushAuth auth); // "token", "certificate", "none"
std::optional<PushAuth> parse_push_auth(std::string_view text);
std::string push_auth_words(); // "token, certificate or none"

} // namespace scenario
