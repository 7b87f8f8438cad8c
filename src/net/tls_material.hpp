#pragma once
// Certificates, private keys and trust anchors parsed from PEM, kept by their text so that every
// context made from the same files shares one parse. Private to src/net.
//
// Why: OpenSSL 3 decodes each key and each certificate's public key through its provider
// decoders, ~15 million instructions per listener context. A `voipsim run` starts two listeners
// and several clients per scenario from the run's one set of files; parsing them again for each
// was a fifth of a scenario's CPU. Contexts stay separate (their own session caches and
// callbacks): only the immutable parsed objects are shared, and OpenSSL counts their references.
// The texts are kept as the cache's keys (private keys among them) for the life of the process.

#include "core/result.hpp"

#include <memory>
#include <string>
#include <vector>

#include <openssl/ssl.h>

namespace net {

// What a file is read as; only that is parsed from it.
enum class PemRole {
  Chain,        // a certificate file: its certificates, the leaf first (at least one)
  PrivateKey,   // a key file: its first private key (an encrypted one is refused, never prompted)
  TrustAnchors, // a CA file: its certificates and CRLs (at least one), and the subjects
};

struct TlsMaterial {
  TlsMaterial() = default;
  TlsMaterial(const TlsMaterial&) = delete;
  TlsMaterial& operator=(const TlsMaterial&) = delete;
  ~TlsMaterial();

  std::vector<X509*> certificates;          // Chain and TrustAnchors, in file order
  EVP_PKEY* private_key = nullptr;          // PrivateKey
  X509_STORE* trust = nullptr;              // TrustAnchors
  STACK_OF(X509_NAME) * subjects = nullptr; // TrustAnchors: the certificates' subjects, each once
};

// The reason of OpenSSL's newest queued error ("key values mismatch"); the queue is emptied.
std::string take_openssl_reason();

// `pem` read as `role`. `what` names it in errors ("server certificate 'server.pem'").
core::Result<std::shared_ptr<const TlsMaterial>>
tls_material_from_pem(PemRole role, const std::string& pem, const std::string& what);
// The same for a file, read each time (a changed file is parsed again).
core::Result<std::shared_ptr<const TlsMaterial>>
tls_material_from_file(PemRole role, const std::string& path, const std::string& what);

} // namespace net
