#pragma once
// Reading a client certificate the way APNs does: who issued it, is it valid now, which
// environments and topics it allows (spec apns-provider-api.md §7).

#include "core/clock.hpp"
#include "core/result.hpp"
#include "pki/certificate.hpp"

#include <memory>
#include <string_view>

struct x509_store_st; // OpenSSL's X509_STORE

namespace pki {

// The CA certificates provider certificates must chain to (the fake Apple root and WWDR
// intermediate). Built once; shared and used from several threads at once.
class TrustStore {
public:
  // One or more PEM certificates. A trusted intermediate is enough on its own: clients send
  // only their leaf certificate in some set-ups. The same text twice in a row gives the same
  // store (read once).
  static core::Result<TrustStore> from_pem(std::string_view pem_bundle);
  x509_store_st* native() const { return store_.get(); }

private:
  static core::Result<TrustStore> read_bundle(std::string_view pem_bundle);
  explicit TrustStore(std::shared_ptr<x509_store_st> store) : store_(std::move(store)) {}
  std::shared_ptr<x509_store_st> store_;
};

// Classifies `certificate` (PEM or DER) at time `now`. Errors, checked in this order:
// Malformed; Expired / NotYetValid / UntrustedIssuer (chain and validity against `trust`);
// NotAppleShaped (neither an environment extension nor a subject UID).
core::Result<ProviderIdentity> classify_certificate(std::string_view certificate,
                                                    const TrustStore& trust, core::TimePoint now);

// DER bytes of a PEM certificate (what the TLS layer hands over as the peer certificate).
core::Result<std::string> certificate_pem_to_der(std::string_view pem);

// The same reading of the certificate's fields, without chain or time checks (for tools and
// tests that show what a certificate claims). Fails only on Malformed and NotAppleShaped.
core::Result<ProviderIdentity> read_provider_identity(std::string_view certificate);

} // namespace pki
