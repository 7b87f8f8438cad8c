#pragma once
// The certificate console's upload check (im-voip-flow.md §2.2): a .p12 with a name and a
// password becomes the values of a certificate record, or a refusal with the product's code.
// Pure: the caller supplies the trust anchors and the time.

#include "core/clock.hpp"
#include "pipeline/api_error.hpp"
#include "pipeline/records.hpp"

#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace pki {
class TrustStore;
}

namespace pipeline {

// Why the console refuses an upload (§2.2's table); to_string gives the product's code.
enum class ConsoleCode {
  P12PasswordRequired,
  P12BadPassword,
  P12NoPrivateKey,
  P12Invalid,
  CertNameInvalid,
  CertExpired,
  CertNotApple,
  CertNotVoip,
};
std::string_view to_string(ConsoleCode code); // P12_PASSWORD_REQUIRED, ...
std::optional<ConsoleCode> parse_console_code(std::string_view text);
std::string console_code_words(); // "P12_PASSWORD_REQUIRED, ... or CERT_NOT_VOIP"

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
// type. A refusal's code is a ConsoleCode's.
std::variant<AcceptedUpload, ApiError>
check_upload(const CertificateUpload& upload, const pki::TrustStore& apple_ca, core::TimePoint now);

} // namespace pipeline
