#pragma once
// Certificates, private keys and trust anchors parsed from PEM, kept by their text so that every
// context made from the same files shares one parse. Private to src/net.
//
// Why: OpenSSL 3 decodes each key and each certificate's public key through its provider
// decoders, ~15 million instructions per listener context. A `voipsim run` starts two listeners
// and several clients per scenario from the run's one set of files; parsing them again for each
// was a fifth of a scenario's CPU. Contexts stay separate (their own session caches and
// callbacks): only the immutable parsed objects are shared, and OpenSSL counts their references.

#include "core/result.hpp"

#include <memory>
#include <string>
#include <vector>

#include <openssl/ssl.h>

namespace net {

struct TlsMaterial {
  TlsMaterial() = default;
  TlsMaterial(const TlsMaterial&) = delete;
  TlsMaterial& operator=(const TlsMaterial&) = delete;
  ~TlsMaterial();

  std::vector<X509*> certificates;          // in file order (a chain: the leaf first)
  EVP_PKEY* private_key = nullptr;          // the first key in the text, if any
  X509_STORE* trust = nullptr;              // the certificates and CRLs as trust anchors
  STACK_OF(X509_NAME) * subjects = nullptr; // the certificates' subjects, each once
};

// What a certificate file, key file or CA file holds. `what` names it in errors ("server
// certificate 'server.pem'"). Errors when the text holds no certificate and no key.
core::Result<std::shared_ptr<const TlsMaterial>> tls_material_from_pem(const std::string& pem,
                                                                       const std::string& what);
// The same for a file, read each time (a changed file is parsed again).
core::Result<std::shared_ptr<const TlsMaterial>> tls_material_from_file(const std::string& path,
                                                                        const std::string& what);

} // namespace net
