#pragma once
// Private keys as PKCS#8 PEM (an APNs .p8 file is exactly that: an EC P-256 key), and a parsed
// public key for verifying signatures many times. Thread-safe: values only.

#include "core/result.hpp"

#include <memory>
#include <string>
#include <string_view>

struct evp_pkey_st; // OpenSSL's EVP_PKEY, kept out of this header

namespace pki {

enum class KeyType {
  EcP256,  // provider token keys (.p8), the CAs and the mock's server certificate
  Rsa2048, // provider certificates, as Apple issues them
};

// A new private key as unencrypted PKCS#8 PEM ("-----BEGIN PRIVATE KEY-----").
core::Result<std::string> generate_private_key(KeyType type);
// The SubjectPublicKeyInfo PEM of a private (or public) key PEM.
core::Result<std::string> public_key_pem_of(std::string_view key_pem);

// A public key parsed once. Cheap to copy; safe to use from several threads at once.
class PublicKey {
public:
  // Accepts a public key PEM, or a private key PEM (its public half is used).
  static core::Result<PublicKey> from_pem(std::string_view pem);
  bool is_ec_p256() const;
  evp_pkey_st* native() const { return key_.get(); }

private:
  explicit PublicKey(std::shared_ptr<evp_pkey_st> key) : key_(std::move(key)) {}
  std::shared_ptr<evp_pkey_st> key_;
};

} // namespace pki
