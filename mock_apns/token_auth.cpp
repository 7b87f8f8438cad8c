// Spec: docs/spec/apns-provider-api.md
#include "mock_apns/token_auth.hpp"

#include "core/encoding.hpp"
#include "mock_apns/cause_text.hpp"
#include "mock_apns/provider_keys.hpp"
#include "mock_apns/settings.hpp"
#include "pki/error.hpp"
#include "pki/es256.hpp"
#include "pki/provider_token.hpp"

#include <chrono>

namespace mock_apns {
namespace {

// One request's provider token against the connection's binding; rejects on the first failed
// check, in the spec's precedence order (§5.4 notes). Writes into the caller's outcome, which is
// returned without a copy or move: this runs on every push.
class TokenAuthenticator {
public:
  TokenAuthenticator(ConnectionAuth& auth, const ValidationContext& ctx, TokenAuthOutcome& outcome)
      : auth_(auth), ctx_(ctx), settings_(*ctx.settings), outcome_(outcome) {}

  // False when rejected: outcome_ says why.
  bool check(std::optional<std::string_view> authorization) {
    std::string_view value = authorization.value_or(std::string_view{});
    const std::size_t space = value.find(' ');
    std::string_view scheme = value.substr(0, space);
    std::string_view jwt =
        space == std::string_view::npos ? std::string_view{} : value.substr(space);
    while (!jwt.empty() && jwt.front() == ' ') {
      jwt.remove_prefix(1);
    }
    // Apple writes "bearer"; the scheme word is taken case-insensitively
    // (apns-provider-api.md §4.2).
    constexpr std::string_view kBearer = "bearer";
    const bool bearer = core::equal_ignoring_case(scheme, kBearer);
    if (!bearer || jwt.empty()) {
      return reject(Reason::MissingProviderToken,
                    !authorization ? "no client certificate and no authorization header; send "
                                     "\"authorization: bearer <provider token JWT>\""
                                   : "authorization header is not \"bearer <JWT>\"");
    }
    if (!ctx_.token_auth) {
      return reject(Reason::InvalidProviderToken,
                    "this mock serves certificate auth only (--auth cert): no provider token is "
                    "accepted; connect with the app's APNs certificate");
    }
    TokenBinding* bound = auth_.binding ? &*auth_.binding : nullptr;
    if (bound != nullptr && jwt == bound->current_jwt) {
      return reused_token(*bound);
    }
    return new_token(jwt, bound);
  }

private:
  bool reject(Reason reason, std::string cause) {
    outcome_.reason = reason;
    outcome_.cause = std::move(cause);
    return false;
  }

  bool reused_token(TokenBinding& bound) {
    if (bound.current_key->revoked()) {
      return reject(Reason::InvalidProviderToken,
                    "key " + bound.current_key->spec().key_id +
                        " was revoked; sign with another key and open a new connection");
    }
    if (!token_time_ok(bound.current_issued_at)) {
      return false;
    }
    outcome_.team_id = bound.team_id;
    return true;
  }

  bool token_time_ok(std::int64_t issued_at) {
    const pki::TokenTimeRules rules{settings_.token_max_age, settings_.token_max_future_skew};
    auto checked = pki::check_token_time(issued_at, ctx_.now, rules);
    if (checked) {
      return true;
    }
    if (checked.error().code == pki::Errc::TokenExpired) {
      return reject(Reason::ExpiredProviderToken, "provider token " + checked.error().detail +
                                                      "; make a new one at least every 60 minutes");
    }
    return reject(Reason::InvalidProviderToken,
                  "provider token " + checked.error().detail + "; check the provider's clock");
  }

  bool new_token(std::string_view jwt, TokenBinding* bound) {
    auto parsed = pki::parse_provider_token(jwt);
    if (!parsed) {
      return reject(Reason::InvalidProviderToken,
                    "provider token is not a JWT APNs can read: " + parsed.error().message());
    }
    if (parsed->algorithm != "ES256") {
      return reject(Reason::InvalidProviderToken, "provider token alg is " +
                                                      shown(parsed->algorithm) +
                                                      "; APNs accepts only ES256");
    }
    std::shared_ptr<const ProviderKey> key = ctx_.keys->find(parsed->key_id);
    if (key == nullptr) {
      return reject(Reason::InvalidProviderToken,
                    "provider token kid " + shown(parsed->key_id) +
                        " is not a key this mock knows; register the key (.p8) first");
    }
    if (key->revoked()) {
      return reject(Reason::InvalidProviderToken,
                    "key " + parsed->key_id + " was revoked; sign with another key");
    }
    if (parsed->team_id != key->spec().team_id) {
      return reject(Reason::InvalidProviderToken, "provider token iss " + shown(parsed->team_id) +
                                                      " is not the team of key " + parsed->key_id +
                                                      " (" + key->spec().team_id + ")");
    }
    if (!pki::es256_verify(key->public_key(), parsed->signing_input, parsed->signature)) {
      return reject(Reason::InvalidProviderToken,
                    "provider token signature does not verify with key " + parsed->key_id +
                        "; sign with that key's .p8 (ES256)");
    }
    if (!token_time_ok(parsed->issued_at)) {
      return false;
    }
    if (bound != nullptr && parsed->team_id != bound->team_id) {
      return reject(Reason::InvalidProviderToken,
                    "this connection is bound to team " + bound->team_id +
                        " by its first push; a token of team " + parsed->team_id +
                        " needs its own connection");
    }
    if (!key->allows(ctx_.environment)) {
      return reject(Reason::BadEnvironmentKeyIdInToken,
                    "key " + parsed->key_id + " is restricted to " +
                        (ctx_.environment == Environment::Sandbox ? "production" : "the sandbox") +
                        ", but the request came to the " + host_of(ctx_.environment) +
                        " listener; use a key for this environment");
    }
    if (bound == nullptr) {
      auth_.binding = TokenBinding{
          parsed->team_id,   key,     key, ctx_.keys->bundles_of(parsed->team_id), std::string(jwt),
          parsed->issued_at, ctx_.now};
      outcome_.first_token = true;
      outcome_.team_id = auth_.binding->team_id;
      return true;
    }
    if (!related(*bound->first_key, *key)) {
      return reject(Reason::UnrelatedKeyIdInToken,
                    "this connection was bound to key " + bound->first_key->spec().key_id + " (" +
                        std::string(key_kind_name(bound->first_key->spec().kind)) +
                        " key) by its first push; key " + parsed->key_id +
                        " is not related to it; open a new connection for it");
    }
    const auto since = ctx_.now - bound->jwt_first_seen;
    if (since < settings_.token_refresh_interval) {
      return reject(
          Reason::TooManyProviderTokenUpdates,
          "a new provider token " +
              std::to_string(std::chrono::duration_cast<std::chrono::seconds>(since).count()) +
              " s after the previous one on this connection; reuse a token for at "
              "least 20 minutes (do not make one per request)");
    }
    bound->current_key = key;
    bound->current_jwt.assign(jwt);
    bound->current_issued_at = parsed->issued_at;
    bound->jwt_first_seen = ctx_.now;
    outcome_.team_id = bound->team_id;
    return true;
  }

  // apns-provider-api.md §6.4: after a team-scoped key, any team-scoped key of the team; after a
  // topic-specific key K, only K and its related key.
  static bool related(const ProviderKey& first, const ProviderKey& next) {
    const auto& a = first.spec();
    const auto& b = next.spec();
    if (a.kind == KeyKind::TeamScoped) {
      return b.kind == KeyKind::TeamScoped;
    }
    return b.key_id == a.key_id || b.key_id == a.related_key_id || b.related_key_id == a.key_id;
  }

  ConnectionAuth& auth_;
  const ValidationContext& ctx_;
  const Settings& settings_;
  TokenAuthOutcome& outcome_;
};

} // namespace

TokenAuthOutcome authenticate_token(std::optional<std::string_view> authorization,
                                    ConnectionAuth& auth, const ValidationContext& ctx) {
  TokenAuthOutcome outcome;
  (void)TokenAuthenticator(auth, ctx, outcome).check(authorization);
  return outcome;
}

} // namespace mock_apns
