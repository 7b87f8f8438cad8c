#pragma once
// Errors of src/pki: one category, one code per distinct failure a caller acts on differently
// (the mock maps the token ones to APNs reasons, the console the certificate ones to its own).

#include <system_error>

namespace pki {

enum class Errc {
  InvalidInput = 1, // an argument we cannot use (empty bundle id, bad key id length, ...)
  Malformed,        // bytes that are not the PEM/DER/PKCS#12 they should be
  CryptoFailure,    // OpenSSL failed where it should not (out of memory, ...)
  // Certificates
  NotAppleShaped,  // neither an APNs environment extension nor a subject UID
  Expired,         // not_after is before the check time
  NotYetValid,     // not_before is after the check time
  UntrustedIssuer, // does not chain to the configured CA
  // PKCS#12
  WrongPassword, // the password does not open the .p12
  NoPassword,    // the .p12 opens without a password (the console must refuse it)
  NoPrivateKey,  // the .p12 holds no private key
  NoCertificate, // the .p12 holds no certificate
  // Provider tokens (JWT)
  TokenMalformed,      // not three base64url parts of JSON with kid, iss and a numeric iat
  TokenWrongAlgorithm, // alg is not ES256
  TokenUnknownKeyId,   // kid is not a registered key
  TokenBadSignature,   // the signature does not verify with that key
  TokenTeamMismatch,   // iss is not the key's team
  TokenExpired,        // iat is older than the validity window
  TokenIssuedInFuture, // iat is further in the future than the allowed skew
};

const std::error_category& pki_category() noexcept;
std::error_code make_error_code(Errc e) noexcept;

} // namespace pki

template <>
struct std::is_error_code_enum<pki::Errc> : std::true_type {};
