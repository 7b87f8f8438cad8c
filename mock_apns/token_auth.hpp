#pragma once
// Provider-token (JWT) authentication of one request on a token connection
// (apns-provider-api.md §6): the authorization header read, the token checked against the
// registered keys, the environment and the clock, and the connection bound to its team and key
// by its first valid token or moved to a refreshed one (§6.4). Called by validate() on the
// connection's I/O thread.
#include "mock_apns/connection_auth.hpp"
#include "mock_apns/reason.hpp"
#include "mock_apns/validate.hpp"

#include <optional>
#include <string>
#include <string_view>

namespace mock_apns {

struct TokenAuthOutcome {
  std::optional<Reason> reason; // empty: authenticated
  std::string cause;            // a rejection's plain-language cause and fix, for the journal
  std::string_view team_id;     // authenticated: the bound team (a view into auth.binding)
  bool first_token = false;     // this token bound the connection: raise its stream limit (§3.2)
};

// `authorization` is the header's value, empty when absent. Changes `auth.binding` and nothing
// else: set by the first valid token, its current key and token replaced by a valid refresh.
// Reads ctx.keys, ctx.settings, ctx.environment, ctx.now and ctx.token_auth.
TokenAuthOutcome authenticate_token(std::optional<std::string_view> authorization,
                                    ConnectionAuth& auth, const ValidationContext& ctx);

} // namespace mock_apns
