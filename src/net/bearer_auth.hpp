#pragma once
// The optional bearer secret of voipsim's JSON APIs (the mock's admin API, the pipeline's API):
// one check for both, run by net::Http1Server before a request reaches its handler. The header
// is RFC 6750 §2.1's `Authorization: Bearer <secret>`; a refusal is 401 with the §3 challenge
// and the house error body {"error","message"}. Pure functions, callable from any thread.

#include "core/result.hpp"
#include "net/http1_message.hpp"

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace net {

struct BearerAuth {
  std::string secret; // empty: every request passes
  // GET on these exact paths (query aside) passes without the secret: readiness probes.
  std::vector<std::string> open_paths;
  // Where a client finds the secret, for the 401's message, e.g. "the file given to
  // 'voipsim mock-apns --admin-secret-file' or VOIPSIM_ADMIN_SECRET".
  std::string hint;
};

// nullopt when `request` may go on to the handler; otherwise the 401 to send instead.
std::optional<Http1Response> check_bearer(const BearerAuth& auth, const Http1Request& request);

// Equal contents, in a time that depends on `secret`'s length only, never on where the first
// difference is (a timing side channel would give the secret away byte by byte).
bool equal_in_constant_time(std::string_view given, std::string_view secret);

// A secret that can travel in the header: visible ASCII (no spaces or control characters), at
// least one character. The error says what is wrong, never the secret.
core::Result<void> check_secret_text(std::string_view secret);

} // namespace net
