#include "mock_apns/connection_auth.hpp"

namespace mock_apns {

ConnectionAuth ConnectionAuth::certificate_based(core::Result<pki::ProviderIdentity> identity) {
  ConnectionAuth auth;
  auth.uses_certificate_ = true;
  if (identity) {
    auth.identity_ = std::move(*identity);
  } else {
    auth.certificate_problem_ = identity.error().message();
  }
  return auth;
}

} // namespace mock_apns
