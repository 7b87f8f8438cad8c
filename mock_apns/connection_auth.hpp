#pragma once
// What one APNs connection is authenticated as, decided by its TLS handshake and first push:
// a client certificate (apns-provider-api.md §7), or provider tokens bound to a team and key at the
// first valid one (apns-provider-api.md §6.4). Owned by the connection; used from its I/O thread
// only.
#include "core/clock.hpp"
#include "core/result.hpp"
#include "mock_apns/provider_keys.hpp"
#include "pki/certificate.hpp"

#include <cstdint>
#include <memory>
#include <optional>
#include <string>

namespace mock_apns {

// The state of a token connection after its first valid provider token (apns-provider-api.md §6.4).
struct TokenBinding {
  std::string team_id;
  std::shared_ptr<const ProviderKey> first_key;   // decides which later keys are related
  std::shared_ptr<const ProviderKey> current_key; // signed `current_jwt`
  std::shared_ptr<const TeamBundles> bundles;     // the team's bundle ids when it bound
  std::string current_jwt;
  std::int64_t current_issued_at = 0;
  core::TimePoint jwt_first_seen; // when `current_jwt` was first accepted here
};

class ConnectionAuth {
public:
  // A connection without a client certificate: provider tokens.
  static ConnectionAuth token_based() { return ConnectionAuth(); }
  // A connection with a client certificate, as pki::classify_certificate read it; a
  // classification error makes every request BadCertificate.
  static ConnectionAuth certificate_based(core::Result<pki::ProviderIdentity> identity);

  bool uses_certificate() const { return uses_certificate_; }
  // Null on token connections and for certificates APNs would not accept.
  const pki::ProviderIdentity* identity() const { return identity_ ? &*identity_ : nullptr; }
  // Why the certificate was refused (empty when it was accepted).
  const std::string& certificate_problem() const { return certificate_problem_; }

  std::optional<TokenBinding> binding; // token connections, after the first valid token

private:
  ConnectionAuth() = default;
  bool uses_certificate_ = false;
  std::optional<pki::ProviderIdentity> identity_;
  std::string certificate_problem_;
};

} // namespace mock_apns
