#include "net/tls_material.hpp"

#include "core/file.hpp"
#include "core/kept_results.hpp"
#include "net/error.hpp"

#include <optional>

#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/x509v3.h>

namespace net {
namespace {

// Enough for every file a process uses at once (a run's PKI, each uploaded certificate's
// client); past it the oldest parse is dropped (its users keep their references).
constexpr std::size_t kKeptTexts = 64;

struct BioDeleter {
  void operator()(BIO* bio) const { BIO_free(bio); }
};

// True when the queue's newest error only says the text has no further PEM block of the kind.
bool reached_the_end() {
  const unsigned long e = ERR_peek_last_error();
  return e == 0 || ERR_GET_REASON(e) == PEM_R_NO_START_LINE;
}

std::unique_ptr<BIO, BioDeleter> read_only_bio(const std::string& pem) {
  return std::unique_ptr<BIO, BioDeleter>(
      BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())));
}

// Instead of a null callback: OpenSSL's default asks for a passphrase on the terminal, which
// would block the thread on an encrypted key. TLS files are never decrypted.
int no_passphrase(char*, int, int, void*) {
  return -1;
}

// Every certificate in `pem`, as SSL_CTX_use_certificate_chain_file reads them (trusted forms
// included); an error text when a block cannot be read.
std::optional<std::string> read_certificates(const std::string& pem, TlsMaterial& material) {
  auto bio = read_only_bio(pem);
  while (X509* cert = PEM_read_bio_X509_AUX(bio.get(), nullptr, no_passphrase, nullptr)) {
    // OpenSSL fills a certificate's extension cache at its first use, under the certificate's
    // lock, and reads it later without one: filled here, before the parse is shared, so that
    // handshakes on several threads only read it (ThreadSanitizer saw the race otherwise).
    X509_check_purpose(cert, -1, 0);
    material.certificates.push_back(cert);
  }
  if (reached_the_end()) {
    ERR_clear_error();
    return std::nullopt;
  }
  // Every block's base64 is decoded on the way, a key's too; only a certificate's DER is
  // parsed (ASN1_LIB when it is not a certificate).
  const bool der = ERR_GET_REASON(ERR_peek_last_error()) == ERR_R_ASN1_LIB;
  return (der ? "bad certificate: " : "bad PEM text: ") + take_openssl_reason();
}

// The certificates and CRLs as trust anchors, as X509_STORE_load_file adds them, and the
// certificates' subjects as SSL_load_client_CA_file lists them (each once, in file order).
std::optional<std::string> read_trust_anchors(const std::string& pem, TlsMaterial& material) {
  if (auto bad = read_certificates(pem, material)) return bad;
  material.trust = X509_STORE_new();
  material.subjects = sk_X509_NAME_new_null();
  if (!material.trust || !material.subjects) return "out of memory";
  int anchors = 0;
  for (X509* cert : material.certificates) {
    X509_STORE_add_cert(material.trust, cert); // takes its own reference
    ++anchors;
    X509_NAME* subject = X509_get_subject_name(cert);
    bool seen = false;
    for (int i = 0; i < sk_X509_NAME_num(material.subjects) && !seen; ++i)
      seen = X509_NAME_cmp(sk_X509_NAME_value(material.subjects, i), subject) == 0;
    if (!seen) sk_X509_NAME_push(material.subjects, X509_NAME_dup(subject));
  }
  ERR_clear_error(); // a certificate listed twice may queue "already in hash table"
  auto bio = read_only_bio(pem);
  while (X509_CRL* crl = PEM_read_bio_X509_CRL(bio.get(), nullptr, no_passphrase, nullptr)) {
    X509_STORE_add_crl(material.trust, crl);
    X509_CRL_free(crl);
    ++anchors;
  }
  if (!reached_the_end()) return "bad CRL: " + take_openssl_reason();
  ERR_clear_error();
  if (anchors == 0) return "no PEM certificate or CRL in it";
  return std::nullopt;
}

core::Result<std::shared_ptr<const TlsMaterial>> parse(PemRole role, const std::string& pem,
                                                       const std::string& what) {
  ERR_clear_error();
  auto material = std::make_shared<TlsMaterial>();
  std::optional<std::string> bad;
  switch (role) {
  case PemRole::Chain:
    bad = read_certificates(pem, *material);
    if (!bad && material->certificates.empty()) bad = "no PEM certificate in it";
    break;
  case PemRole::PrivateKey: {
    auto bio = read_only_bio(pem);
    material->private_key = PEM_read_bio_PrivateKey(bio.get(), nullptr, no_passphrase, nullptr);
    if (!material->private_key)
      bad = pem.find("PRIVATE KEY-----") == std::string::npos
                ? std::string("no PEM private key in it")
                : "bad private key (an encrypted one is not read): " + take_openssl_reason();
    break;
  }
  case PemRole::TrustAnchors:
    bad = read_trust_anchors(pem, *material);
    break;
  }
  ERR_clear_error();
  if (bad) return core::fail(Errc::InvalidOptions, what + ": " + *bad);
  return std::shared_ptr<const TlsMaterial>(std::move(material));
}

// Never destroyed: OpenSSL's own exit handler may run before static destructors would, and the
// parsed objects must not be freed after it. By role and text.
core::KeptResults<std::shared_ptr<const TlsMaterial>>& kept() {
  static auto* parses = new core::KeptResults<std::shared_ptr<const TlsMaterial>>(kKeptTexts);
  return *parses;
}

} // namespace

std::string take_openssl_reason() {
  const char* reason = ERR_reason_error_string(ERR_peek_last_error());
  ERR_clear_error();
  return reason ? reason : "OpenSSL gave no reason";
}

TlsMaterial::~TlsMaterial() {
  for (X509* cert : certificates)
    X509_free(cert);
  EVP_PKEY_free(private_key);
  X509_STORE_free(trust);
  sk_X509_NAME_pop_free(subjects, X509_NAME_free);
}

core::Result<std::shared_ptr<const TlsMaterial>>
tls_material_from_pem(PemRole role, const std::string& pem, const std::string& what) {
  const std::string key = static_cast<char>('0' + static_cast<int>(role)) + pem;
  if (auto earlier = kept().find(key)) return *earlier;
  auto parsed = parse(role, pem, what);
  if (parsed) kept().keep(key, *parsed);
  return parsed;
}

core::Result<std::shared_ptr<const TlsMaterial>>
tls_material_from_file(PemRole role, const std::string& path, const std::string& what) {
  auto pem = core::read_file(path);
  if (!pem)
    return core::fail(Errc::InvalidOptions, what + ": the file is missing or cannot be read");
  return tls_material_from_pem(role, *pem, what);
}

} // namespace net
