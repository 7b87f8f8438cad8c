#include "net/bearer_auth.hpp"

#include "net/json_api.hpp"

#include <algorithm>

#include <openssl/crypto.h>

namespace net {

namespace {

// RFC 6750 §3: the challenge names the realm; a presented but wrong secret also says
// error="invalid_token" (RFC 6750 §3.1); a request with no credentials gets no error code.
constexpr const char* kChallenge = R"(Bearer realm="voipsim")";
constexpr const char* kInvalidChallenge = R"(Bearer realm="voipsim", error="invalid_token")";

Http1Response unauthorized(const BearerAuth& auth, const std::string& what, bool presented) {
  std::string message = what + "; send \"Authorization: Bearer <secret>\"";
  if (!auth.hint.empty()) message += " with " + auth.hint;
  Http1Response refusal = error_response({"UNAUTHORIZED", std::move(message), 401});
  refusal.headers.emplace_back("WWW-Authenticate", presented ? kInvalidChallenge : kChallenge);
  return refusal;
}

std::string_view path_of(std::string_view target) {
  return target.substr(0, target.find('?'));
}

bool is_bearer_scheme(std::string_view scheme) {
  // Auth schemes are case-insensitive (RFC 9110 §11.1).
  constexpr std::string_view kBearer = "bearer";
  return scheme.size() == kBearer.size() &&
         std::equal(scheme.begin(), scheme.end(), kBearer.begin(),
                    [](char a, char b) { return static_cast<char>(a | 0x20) == b; });
}

} // namespace

std::optional<Http1Response> check_bearer(const BearerAuth& auth, const Http1Request& request) {
  if (auth.secret.empty()) return std::nullopt;
  if (request.method == "GET" && std::find(auth.open_paths.begin(), auth.open_paths.end(),
                                           path_of(request.target)) != auth.open_paths.end())
    return std::nullopt;
  const std::string_view header = request.authorization;
  if (header.empty())
    return unauthorized(auth,
                        "this API needs a bearer secret and the request has no "
                        "Authorization header",
                        false);
  const auto space = header.find(' ');
  std::string_view given = space == std::string_view::npos ? "" : header.substr(space);
  given.remove_prefix(std::min(given.find_first_not_of(' '), given.size()));
  if (!is_bearer_scheme(header.substr(0, space)) || given.empty())
    return unauthorized(auth, "the Authorization header is not \"Bearer <secret>\"", false);
  if (!equal_in_constant_time(given, auth.secret))
    return unauthorized(auth, "the bearer secret is not the one this API was started with", true);
  return std::nullopt;
}

bool equal_in_constant_time(std::string_view given, std::string_view secret) {
  // Compare against the secret itself when the lengths differ, so the time is the same.
  const std::string_view compared = given.size() == secret.size() ? given : secret;
  const bool same_bytes = CRYPTO_memcmp(compared.data(), secret.data(), secret.size()) == 0;
  return same_bytes && given.size() == secret.size();
}

core::Result<void> check_secret_text(std::string_view secret) {
  if (secret.empty()) return core::fail(core::Errc::InvalidArgument, "the secret is empty");
  for (std::size_t i = 0; i < secret.size(); ++i) {
    const auto c = static_cast<unsigned char>(secret[i]);
    if (c <= 0x20 || c >= 0x7f) {
      return core::fail(core::Errc::InvalidArgument,
                        "the secret has a space, control or non-ASCII byte at position " +
                            std::to_string(i + 1) +
                            "; use visible ASCII only (e.g. the output of 'openssl rand -hex 32')");
    }
  }
  return {};
}

} // namespace net
