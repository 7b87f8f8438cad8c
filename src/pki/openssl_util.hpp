#pragma once
// OpenSSL plumbing shared by src/pki's .cpp files: owning pointers, PEM/DER conversion, the
// error queue as text, time conversion. Private to src/pki.

#include "core/clock.hpp"
#include "core/result.hpp"
#include "pki/error.hpp"

#include <memory>
#include <string>
#include <string_view>

#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pkcs12.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

namespace pki::detail {

template <auto Free>
struct Deleter {
  template <class T>
  void operator()(T* p) const {
    if (p) Free(p);
  }
};
using PkeyPtr = std::unique_ptr<EVP_PKEY, Deleter<EVP_PKEY_free>>;
using X509Ptr = std::unique_ptr<X509, Deleter<X509_free>>;
using NamePtr = std::unique_ptr<X509_NAME, Deleter<X509_NAME_free>>;
using BioPtr = std::unique_ptr<BIO, Deleter<BIO_free_all>>;
using ExtensionPtr = std::unique_ptr<X509_EXTENSION, Deleter<X509_EXTENSION_free>>;
using StorePtr = std::unique_ptr<X509_STORE, Deleter<X509_STORE_free>>;
using StoreCtxPtr = std::unique_ptr<X509_STORE_CTX, Deleter<X509_STORE_CTX_free>>;
using P12Ptr = std::unique_ptr<PKCS12, Deleter<PKCS12_free>>;
using MdCtxPtr = std::unique_ptr<EVP_MD_CTX, Deleter<EVP_MD_CTX_free>>;
using PkeyCtxPtr = std::unique_ptr<EVP_PKEY_CTX, Deleter<EVP_PKEY_CTX_free>>;
using BnPtr = std::unique_ptr<BIGNUM, Deleter<BN_free>>;
using EcdsaSigPtr = std::unique_ptr<ECDSA_SIG, Deleter<ECDSA_SIG_free>>;

// Inputs larger than this are refused before any parsing (certificates, keys, bundles, .p12).
inline constexpr std::size_t kMaxInputBytes = std::size_t{1} << 20;

// Leaves the thread's OpenSSL error queue empty on the way out, whatever happened inside: pki
// runs on I/O threads, where a stale error could be taken for a TLS failure. One at the top of
// each public entry point; failures read the queue into their message before it is cleared.
class ErrorQueueGuard {
public:
  ErrorQueueGuard() { ERR_clear_error(); }
  ~ErrorQueueGuard() { ERR_clear_error(); }
  ErrorQueueGuard(const ErrorQueueGuard&) = delete;
  ErrorQueueGuard& operator=(const ErrorQueueGuard&) = delete;
};

// Drains OpenSSL's error queue into "reason; reason" (empty when nothing is queued).
std::string take_openssl_errors();
// A failure with `what` plus whatever OpenSSL queued.
core::Unexpected<core::Error> fail(Errc code, std::string what);

// A read-only BIO over `bytes`; null when `bytes` is over kMaxInputBytes or memory is short.
BioPtr memory_bio(std::string_view bytes);
std::string bio_text(BIO* bio);

core::Result<X509Ptr> parse_certificate(std::string_view pem_or_der);
core::Result<PkeyPtr> parse_private_key(std::string_view pem);
core::Result<PkeyPtr> parse_public_key(std::string_view pem);
std::string certificate_pem(X509* cert);
std::string certificate_der(X509* cert);
std::string private_key_pem(EVP_PKEY* key); // PKCS#8, unencrypted
std::string public_key_pem(EVP_PKEY* key);  // SubjectPublicKeyInfo

// The first `nid` entry of `name` as UTF-8; empty when there is none.
std::string name_entry(X509_NAME* name, int nid);

core::TimePoint to_time_point(const ASN1_TIME* t);
// An EC key on P-256 (prime256v1), the only curve ES256 allows.
bool is_ec_p256(EVP_PKEY* key);

} // namespace pki::detail
