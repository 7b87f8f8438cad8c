#pragma once
// A Certificate Signing Request as the Apple Developer portal takes it (spec
// apns-provider-api.md §7.4a): PKCS#10, self-signed, RSA of at least 2048 bits, a subject with
// an email address and a common name. A value; thread-safe.

#include "core/result.hpp"

#include <string>
#include <string_view>

namespace pki {

struct CertificateRequest {
  std::string public_key_pem; // SubjectPublicKeyInfo: the key the issued certificate carries
  int key_bits = 0;
  std::string email_address; // subject emailAddress ("User Email Address" in Keychain Access)
  std::string common_name;   // subject CN ("Common Name" in Keychain Access)
};

// Reads a PEM or DER PKCS#10 request and checks it as the portal does. A refusal says what the
// portal would say and how to make a request it accepts.
core::Result<CertificateRequest> read_certificate_request(std::string_view pem_or_der);

// A PEM request for `private_key_pem` (PKCS#8) with that subject, signed with SHA-256, as
// `openssl req -new -subj "/emailAddress=EMAIL/CN=NAME"` makes it.
core::Result<std::string> make_certificate_request(std::string_view private_key_pem,
                                                   const std::string& email_address,
                                                   const std::string& common_name);

} // namespace pki
