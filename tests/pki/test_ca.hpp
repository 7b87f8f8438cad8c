#pragma once
// A fake Apple root + WWDR CA and the fixture certificates of apns-provider-api.md §11.1 (C_UNIV,
// C_VOIP, C_DEV, C_PROD, C_BARE), made once per test process with src/pki itself.

#include "pki/certificate_authority.hpp"

namespace pki_test {

inline constexpr const char* kBundle = "com.example.imapp";
inline constexpr const char* kTeam = "TEAMA12345";
// apns-provider-api.md §11.1: NOW = 2026-01-01T00:00:00Z.
inline const core::TimePoint kNow = core::from_unix_seconds(1767225600);

struct TestCa {
  pki::CertificateAuthority root;
  pki::CertificateAuthority wwdr;
  std::string bundle_pem() const { return root.certificate_pem() + wwdr.certificate_pem(); }

  static const TestCa& get();
  // A provider certificate of `kind` for kBundle/kTeam, valid a year around kNow.
  pki::IssuedCertificate issue(pki::CertificateKind kind) const;
};

} // namespace pki_test
