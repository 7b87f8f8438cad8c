// Spec: docs/spec/apns-provider-api.md
#include "pki/provider_token.hpp"

#include "core/encoding.hpp"
#include "core/json_fields.hpp"
#include "core/json_parse.hpp"
#include "pki/error.hpp"
#include "pki/es256.hpp"
#include "pki/openssl_util.hpp"

#include <nlohmann/json.hpp>

namespace pki {
namespace {

constexpr std::size_t kMaxTokenBytes = 8192; // APNs' header list limit is 8000 bytes (§3.1)

core::Unexpected<core::Error> malformed(std::string why) {
  return core::fail(Errc::TokenMalformed, std::move(why));
}

// A JSON object from one base64url part, or nullopt.
std::optional<nlohmann::json> decode_part(std::string_view part) {
  auto bytes = core::base64url_decode(part);
  if (!bytes) return std::nullopt;
  auto json = core::parse_json(*bytes);
  if (!json || !json->is_object()) return std::nullopt;
  return std::move(*json);
}

} // namespace

core::Result<std::string> make_provider_token(std::string_view private_key_pem,
                                              std::string_view key_id, std::string_view team_id,
                                              core::TimePoint issued_at) {
  // Apple's ids are 10 upper-case letters or digits; anything printable is allowed here so tests
  // can make odd tokens, but not what JSON could not carry.
  if (key_id.empty() || team_id.empty() || core::printable(key_id, key_id.size()) != key_id ||
      core::printable(team_id, team_id.size()) != team_id)
    return core::fail(Errc::InvalidInput, "key id and team id must be non-empty printable ASCII");
  const nlohmann::json header = {{"alg", "ES256"}, {"kid", std::string(key_id)}};
  const nlohmann::json claims = {{"iss", std::string(team_id)},
                                 {"iat", core::unix_seconds(issued_at)}};
  std::string token =
      core::base64url_encode(header.dump()) + "." + core::base64url_encode(claims.dump());
  auto signature = es256_sign(private_key_pem, token);
  if (!signature) return core::Unexpected(signature.error());
  return token + "." + core::base64url_encode(*signature);
}

core::Result<ProviderToken> parse_provider_token(std::string_view jwt) {
  if (jwt.size() > kMaxTokenBytes)
    return malformed("token longer than " + std::to_string(kMaxTokenBytes) + " bytes");
  const auto first = jwt.find('.');
  const auto second = first == std::string_view::npos ? first : jwt.find('.', first + 1);
  if (second == std::string_view::npos || jwt.find('.', second + 1) != std::string_view::npos)
    return malformed("a JWT is three base64url parts separated by dots");
  const auto header = decode_part(jwt.substr(0, first));
  if (!header) return malformed("header is not base64url-encoded JSON object");
  const auto claims = decode_part(jwt.substr(first + 1, second - first - 1));
  if (!claims) return malformed("claims are not a base64url-encoded JSON object");
  auto signature = core::base64url_decode(jwt.substr(second + 1));
  if (!signature || signature->empty()) return malformed("signature is not base64url");

  const auto alg = core::json_field_if_any<std::string>(*header, "alg");
  const auto kid = core::json_field_if_any<std::string>(*header, "kid");
  const auto iss = core::json_field_if_any<std::string>(*claims, "iss");
  if (!alg || !kid) return malformed("header needs string 'alg' and 'kid'");
  if (!iss) return malformed("claims need a string 'iss' (the team id)");
  // Not JsonFields: it would refuse an iat past int64 as malformed, where this clamps it on
  // purpose, so that the token is judged by its (absurd) time, as APNs judges it.
  const auto iat = claims->find("iat");
  if (iat == claims->end() || !iat->is_number_integer())
    return malformed("claims need an integer 'iat' in seconds");

  ProviderToken token;
  token.algorithm = *alg;
  token.key_id = *kid;
  token.team_id = *iss;
  token.issued_at =
      iat->is_number_unsigned()
          ? static_cast<std::int64_t>(std::min<std::uint64_t>(iat->get<std::uint64_t>(), INT64_MAX))
          : iat->get<std::int64_t>();
  token.signing_input = std::string(jwt.substr(0, second));
  token.signature = std::move(*signature);
  return token;
}

core::Result<void> check_token_time(std::int64_t issued_at, core::TimePoint now,
                                    const TokenTimeRules& rules) {
  const std::int64_t now_s = core::unix_seconds(now);
  // Compared as differences in 128 bits: iat may be anything a client sends.
  const __int128 age = static_cast<__int128>(now_s) - issued_at;
  // For messages only: an absurd iat is reported as "more than a year".
  auto seconds = [](__int128 s) {
    return s > __int128{366} * 86400 ? std::string("more than a year")
                                     : std::to_string(static_cast<long long>(s)) + " s";
  };
  if (age > rules.max_age.count())
    return core::fail(Errc::TokenExpired, "issued " + seconds(age) + " ago; tokens are valid for " +
                                              std::to_string(rules.max_age.count()) + " s");
  if (-age > rules.max_future_skew.count())
    return core::fail(Errc::TokenIssuedInFuture, "issued " + seconds(-age) + " in the future");
  return {};
}

core::Result<void> ProviderTokenVerifier::add_key(std::string key_id, std::string team_id,
                                                  std::string_view public_key_pem) {
  const detail::ErrorQueueGuard clean_error_queue;
  auto key = PublicKey::from_pem(public_key_pem);
  if (!key) return core::Unexpected(key.error());
  if (!key->is_ec_p256()) return core::fail(Errc::InvalidInput, "provider token keys are EC P-256");
  keys_.insert_or_assign(std::move(key_id), Key{std::move(team_id), std::move(*key)});
  return {};
}

core::Result<ProviderToken> ProviderTokenVerifier::verify(std::string_view jwt,
                                                          core::TimePoint now) const {
  const detail::ErrorQueueGuard clean_error_queue;
  auto token = parse_provider_token(jwt);
  if (!token) return token;
  if (token->algorithm != "ES256")
    return core::fail(Errc::TokenWrongAlgorithm, "alg is '" + core::printable(token->algorithm) +
                                                     "'; APNs accepts only ES256");
  const auto key = keys_.find(token->key_id);
  if (key == keys_.end())
    return core::fail(Errc::TokenUnknownKeyId,
                      "no key with id '" + core::printable(token->key_id) + "'");
  if (!es256_verify(key->second.public_key, token->signing_input, token->signature))
    return core::fail(Errc::TokenBadSignature, "signature does not verify with key '" +
                                                   core::printable(token->key_id) + "'");
  if (token->team_id != key->second.team_id)
    return core::fail(Errc::TokenTeamMismatch,
                      "iss '" + core::printable(token->team_id) + "' but key '" + token->key_id +
                          "' belongs to team '" + key->second.team_id + "'");
  if (auto time = check_token_time(token->issued_at, now, rules_); !time)
    return core::Unexpected(time.error());
  return token;
}

} // namespace pki
