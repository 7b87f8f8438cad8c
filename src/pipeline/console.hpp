#pragma once
// The certificate console's upload check (im-voip-flow.md §2.2): a .p12 with a name and a
// password becomes the values of a certificate record, or a refusal with the product's code.
// Pure: the caller supplies the trust anchors and the time.

#include "core/clock.hpp"
#include "pipeline/api_error.hpp"
#include "pipeline/records.hpp"

#include <string>
#include <variant>
#include <vector>

namespace pki {
class TrustStore;
}

namespace pipeline {

struct CertificateUpload {
  std::string name;
  std::string p12_der;
  std::string password;
  // Accept a push certificate of another type with a warning instead of CERT_NOT_VOIP: how a
  // test reproduces FAQ 2a″ ("bypassing the console warning").
  bool allow_other_types = false;
};

struct AcceptedUpload {
  CertificateRecord record; // without record_id and certificate IDs: the store assigns them
  std::vector<std::string> warnings; // e.g. a non-ASCII name, a universal certificate
};

// Checks in the order of §2.2's table: name, password, the .p12 itself, validity and issuer,
// type. Refusal codes: P12_PASSWORD_REQUIRED, P12_BAD_PASSWORD, P12_NO_PRIVATE_KEY, P12_INVALID,
// CERT_NAME_INVALID, CERT_EXPIRED, CERT_NOT_APPLE, CERT_NOT_VOIP.
std::variant<AcceptedUpload, ApiError>
check_upload(const CertificateUpload& upload, const pki::TrustStore& apple_ca, core::TimePoint now);

} // namespace pipeline
