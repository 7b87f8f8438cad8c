#pragma once
// The client certificates the mock refuses at the TLS handshake, as APNs refuses a revoked one
// (apns-provider-api.md §5.4; im-voip-flow.md §5 Note 4): SHA-256 fingerprints of leaf
// certificates. The listeners ask during full handshakes only, never per request, so a refusal
// takes effect at the next connection; connections already open keep working, as does a client
// that resumes a TLS session from before the refusal.
// Thread-safe: the admin API and tests change the set while the listeners' threads read it.
#include "core/result.hpp"

#include <cstddef>
#include <set>
#include <shared_mutex>
#include <string>
#include <string_view>
#include <vector>

namespace mock_apns {

// 64 hex digits in either case, optionally in pairs split by ':' as `openssl x509 -fingerprint
// -sha256` prints them; read as lower-case hex, or an error saying what a fingerprint is.
core::Result<std::string> parse_certificate_fingerprint(std::string_view text);

class RefusedCertificates {
public:
  // True when it was not refused before; an error for text that is not a fingerprint.
  core::Result<bool> refuse(std::string_view fingerprint);
  // True when it was refused.
  bool allow(std::string_view fingerprint);
  // Stops refusing every one; returns how many were refused.
  std::size_t clear();
  // `sha256`: lower-case hex, as net::TlsServerConfig::refuse_client_certificate passes it.
  bool refuses(std::string_view sha256) const;
  std::vector<std::string> list() const; // in order
  std::size_t size() const;

private:
  mutable std::shared_mutex mutex_;
  std::set<std::string, std::less<>> fingerprints_;
};

} // namespace mock_apns
