#pragma once
// The Apple Developer portal's certificate step, done locally (spec apns-provider-api.md §7.4a):
// a CSR and a chosen kind in, the certificate Apple would return out. Pure; thread-safe.

#include "core/clock.hpp"
#include "core/result.hpp"
#include "pki/certificate.hpp"
#include "pki/certificate_authority.hpp"

#include <optional>
#include <string>
#include <string_view>

namespace pki {

struct PortalOrder {
  std::string csr; // PEM or DER PKCS#10, as Keychain Access or `openssl req -new` writes it
  CertificateKind kind = CertificateKind::VoipServices;
  std::string bundle_id; // the App ID the certificate is for
  std::string team_id;   // subject OU
  core::TimePoint now;   // valid from now for one year (§7.1)
};

// The kinds the portal offers, by kind_name(): voip-services, apns-development,
// apns-production, apple-push-services. nullopt for any other name.
std::optional<CertificateKind> portal_kind(std::string_view name);
std::string portal_kind_words(); // "voip-services, apns-development, ... or apple-push-services"

// The file name Apple's download gives a certificate of `kind` (voip_services.cer, ...).
std::string_view download_name(CertificateKind kind);

// Checks the CSR as the portal does and issues, signed by `wwdr`, exactly what
// CertificateAuthority::issue_provider gives the kind, but for the CSR's key; DER, like Apple's
// download. The subject is the kind's (§7.3), never the CSR's.
core::Result<std::string> issue_from_csr(const CertificateAuthority& wwdr,
                                         const PortalOrder& order);

} // namespace pki
