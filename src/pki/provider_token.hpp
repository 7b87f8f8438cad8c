#pragma once
// APNs provider authentication tokens: JWTs signed with ES256, header {alg, kid}, claims
// {iss, iat} (spec apns-provider-api.md §6).

#include "core/clock.hpp"
#include "core/result.hpp"
#include "pki/keys.hpp"

#include <chrono>
#include <cstdint>
#include <map>
#include <string>
#include <string_view>

namespace pki {

// A token taken apart, not yet verified.
struct ProviderToken {
  std::string algorithm;      // header alg
  std::string key_id;         // header kid
  std::string team_id;        // claims iss
  std::int64_t issued_at = 0; // claims iat, seconds since the UNIX epoch
  std::string signing_input;  // "<header>.<claims>" exactly as sent
  std::string signature;      // decoded bytes, JOSE or DER
};

// Signs a token the way Apple asks: {"alg":"ES256","kid":...}.{"iss":...,"iat":...}.
core::Result<std::string> make_provider_token(std::string_view private_key_pem,
                                              std::string_view key_id, std::string_view team_id,
                                              core::TimePoint issued_at);

// Splits and decodes without verifying. TokenMalformed unless: three base64url parts, header
// and claims JSON objects, string alg and kid, string iss, integer iat.
core::Result<ProviderToken> parse_provider_token(std::string_view jwt);

struct TokenTimeRules {
  std::chrono::seconds max_age{3600};        // older is TokenExpired (§6.3: > 3600 s)
  std::chrono::seconds max_future_skew{300}; // further ahead is TokenIssuedInFuture (mock rule)
};

// TokenExpired or TokenIssuedInFuture when `issued_at` is outside the rules at `now`.
core::Result<void> check_token_time(std::int64_t issued_at, core::TimePoint now,
                                    const TokenTimeRules& rules);

// Verifies tokens against registered keys. Errors, checked in this order: TokenMalformed,
// TokenWrongAlgorithm, TokenUnknownKeyId, TokenBadSignature, TokenTeamMismatch, TokenExpired,
// TokenIssuedInFuture. add_key() before use; verify() may then run on many threads at once.
class ProviderTokenVerifier {
public:
  explicit ProviderTokenVerifier(TokenTimeRules rules = {}) : rules_(rules) {}

  // `public_key_pem` may also be the .p8 itself (its public half is used).
  core::Result<void> add_key(std::string key_id, std::string team_id,
                             std::string_view public_key_pem);
  core::Result<ProviderToken> verify(std::string_view jwt, core::TimePoint now) const;

private:
  struct Key {
    std::string team_id;
    PublicKey public_key;
  };
  TokenTimeRules rules_;
  std::map<std::string, Key, std::less<>> keys_;
};

} // namespace pki
