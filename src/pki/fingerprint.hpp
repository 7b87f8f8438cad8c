#pragma once
// A certificate's SHA-256 fingerprint: how the mock names a client certificate it refuses at
// the TLS handshake (mock_apns/refused_certificates.hpp), computed as the listener does.

#include "core/result.hpp"

#include <string>
#include <string_view>

namespace pki {

// Lower-case hex of the SHA-256 of the DER of `certificate` (PEM or DER; of a PEM bundle, the
// first certificate: the leaf, as a .p12's export lists it). Error: Malformed.
core::Result<std::string> certificate_sha256(std::string_view certificate);

} // namespace pki
