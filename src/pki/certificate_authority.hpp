#pragma once
// A certificate authority that issues what voipsim needs: a fake Apple root and WWDR
// intermediate, provider certificates shaped like Apple's, and the mock's server certificate.
// A value (PEM strings); thread-safe.

#include "core/result.hpp"
#include "pki/certificate.hpp"

#include <string>
#include <string_view>
#include <vector>

namespace pki {

struct Subject {
  std::string common_name;
  std::string organization;
  std::string organizational_unit;
  std::string country = "US";
};

struct IssuedCertificate {
  std::string certificate_pem;
  std::string private_key_pem; // PKCS#8
};

class CertificateAuthority {
public:
  // A new self-signed root with an EC P-256 key.
  static core::Result<CertificateAuthority>
  create_root(const Subject& subject, core::TimePoint not_before, core::TimePoint not_after);
  // An existing CA; fails when the key does not belong to the certificate.
  static core::Result<CertificateAuthority> load(std::string certificate_pem,
                                                 std::string private_key_pem);

  // A CA signed by this one that may not sign further CAs (pathlen 0).
  core::Result<CertificateAuthority> issue_intermediate(const Subject& subject,
                                                        core::TimePoint not_before,
                                                        core::TimePoint not_after) const;
  // A TLS client certificate shaped like Apple's for `spec.kind` (subject UID, CN, OU, O, C and
  // the 1.2.840.113635.100.6.3.x extensions).
  core::Result<IssuedCertificate> issue_provider(const ProviderCertificateSpec& spec) const;
  // The same certificate for a key its holder keeps (a CSR's, apns-provider-api.md §7.4a): the
  // certificate PEM only. spec.key_type is ignored: the key is `public_key_pem`.
  core::Result<std::string> issue_provider_for_key(const ProviderCertificateSpec& spec,
                                                   std::string_view public_key_pem) const;
  // A TLS server certificate for `names` (DNS names or IP addresses, all in the SAN).
  core::Result<IssuedCertificate> issue_server(const std::vector<std::string>& names,
                                               core::TimePoint not_before,
                                               core::TimePoint not_after) const;

  const std::string& certificate_pem() const { return certificate_pem_; }
  const std::string& private_key_pem() const { return private_key_pem_; }

private:
  CertificateAuthority(std::string certificate_pem, std::string private_key_pem)
      : certificate_pem_(std::move(certificate_pem)), private_key_pem_(std::move(private_key_pem)) {
  }
  std::string certificate_pem_;
  std::string private_key_pem_;
};

// The names the mock's server certificate covers by default: loopback and Apple's APNs hosts.
std::vector<std::string> default_server_names();

} // namespace pki
