#pragma once
// ES256 (ECDSA over P-256 with SHA-256) as JWTs use it (RFC 7518 §3.4).

#include "core/result.hpp"
#include "pki/keys.hpp"

#include <string>
#include <string_view>

namespace pki {

// Signs `data`; the signature is in JOSE form: r and s, 32 bytes each.
core::Result<std::string> es256_sign(std::string_view private_key_pem, std::string_view data);
// True when `signature` over `data` verifies. Accepts JOSE r||s (64 bytes) and DER
// SEQUENCE{r, s}: both occur in working APNs clients (apns-provider-api.md §6.2).
bool es256_verify(const PublicKey& key, std::string_view data, std::string_view signature);

core::Result<std::string> ecdsa_der_to_jose(std::string_view der);
core::Result<std::string> ecdsa_jose_to_der(std::string_view jose);

} // namespace pki
