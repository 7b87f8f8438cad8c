#include "pki/keys.hpp"

#include "pki/openssl_util.hpp"

#include <openssl/ec.h>

namespace pki {

using detail::PkeyPtr;

core::Result<std::string> generate_private_key(KeyType type) {
  const detail::ErrorQueueGuard clean_error_queue;
  PkeyPtr key(type == KeyType::EcP256 ? EVP_EC_gen("P-256") : EVP_RSA_gen(2048));
  if (!key) return detail::fail(Errc::CryptoFailure, "key generation failed");
  return detail::private_key_pem(key.get());
}

core::Result<std::string> public_key_pem_of(std::string_view key_pem) {
  const detail::ErrorQueueGuard clean_error_queue;
  auto key = detail::parse_public_key(key_pem);
  if (!key) return core::Unexpected(key.error());
  return detail::public_key_pem(key->get());
}

core::Result<PublicKey> PublicKey::from_pem(std::string_view pem) {
  const detail::ErrorQueueGuard clean_error_queue;
  auto key = detail::parse_public_key(pem);
  if (!key) return core::Unexpected(key.error());
  return PublicKey(std::shared_ptr<evp_pkey_st>(key->release(), EVP_PKEY_free));
}

bool PublicKey::is_ec_p256() const {
  const detail::ErrorQueueGuard clean_error_queue;
  return detail::is_ec_p256(key_.get());
}

} // namespace pki
