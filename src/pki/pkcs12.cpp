#include "pki/pkcs12.hpp"

#include "core/kept_results.hpp"
#include "pki/openssl_util.hpp"

#include <optional>

#include <openssl/pem.h>

namespace pki {
namespace {

struct CertStackDeleter {
  void operator()(STACK_OF(X509) * s) const { sk_X509_pop_free(s, X509_free); }
};
using CertStackPtr = std::unique_ptr<STACK_OF(X509), CertStackDeleter>;

// Keychain and OpenSSL use 1 to 2048 rounds; a million is generous and still quick.
constexpr long kMaxMacIterations = 1'000'000;

// Whether the MAC verifies with `password`; an empty one is tried both ways OpenSSL encodes it.
bool mac_verifies(PKCS12* p12, const std::string& password) {
  if (password.empty())
    return PKCS12_verify_mac(p12, nullptr, 0) == 1 || PKCS12_verify_mac(p12, "", 0) == 1;
  return PKCS12_verify_mac(p12, password.c_str(), static_cast<int>(password.size())) == 1;
}

struct Parsed {
  detail::PkeyPtr key;
  detail::X509Ptr cert;
  CertStackPtr ca;
};

// PKCS12_parse with ownership; nullopt when it fails (e.g. bags that do not decrypt).
std::optional<Parsed> parse(PKCS12* p12, const std::string& password) {
  EVP_PKEY* key = nullptr;
  X509* cert = nullptr;
  STACK_OF(X509)* ca = nullptr;
  const bool ok = PKCS12_parse(p12, password.c_str(), &key, &cert, &ca) == 1;
  Parsed parsed{detail::PkeyPtr(key), detail::X509Ptr(cert), CertStackPtr(ca)};
  if (!ok) return std::nullopt;
  return parsed;
}

// The last successful reads, by file and password. A scenario run uploads the run's same .p12
// files in every scenario, and a read derives three keys at the file's iteration count (2,048 in
// OpenSSL's and Keychain's exports): most of an upload's CPU. A read is a function of its two
// inputs, so an earlier answer is the answer. Refusals are not kept (they are rare and a
// repeated wrong password should cost what it costs). The kept answers hold passwords and
// private keys in memory for the life of the process, as the pipeline's store does anyway.
// Never destroyed, as the other kept parses (no OpenSSL object is kept here, but one rule).
core::KeptResults<Pkcs12Contents>& recent_reads() {
  static auto* reads = new core::KeptResults<Pkcs12Contents>(16); // a run's PKI has a handful
  return *reads;
}

// The file and the password as one key: the password's length first, so no two pairs meet.
std::string read_key(std::string_view der, std::string_view password) {
  std::string key = std::to_string(password.size()) + ":";
  key += password;
  key += der;
  return key;
}

core::Result<Pkcs12Contents> read_pkcs12_now(std::string_view der, std::string_view password);

} // namespace

core::Result<Pkcs12Contents> read_pkcs12(std::string_view der, std::string_view password) {
  const std::string key = read_key(der, password);
  if (auto known = recent_reads().find(key)) return std::move(*known);
  auto read = read_pkcs12_now(der, password);
  if (read) recent_reads().keep(key, *read);
  return read;
}

core::Result<std::string> make_pkcs12(const Pkcs12Contents& contents, std::string_view password,
                                      Pkcs12Form form) {
  const bool legacy = form == Pkcs12Form::LegacyLeafOnly;
  const detail::ErrorQueueGuard clean_error_queue;
  auto cert = detail::parse_certificate(contents.certificate_pem);
  if (!cert) return core::Unexpected(cert.error());
  detail::PkeyPtr key; // none: the certificate alone, as `openssl pkcs12 -export -nokeys`
  if (!contents.private_key_pem.empty()) {
    auto parsed = detail::parse_private_key(contents.private_key_pem);
    if (!parsed) return core::Unexpected(parsed.error());
    key = std::move(*parsed);
    if (X509_check_private_key(cert->get(), key.get()) != 1)
      return detail::fail(Errc::InvalidInput, "the private key does not belong to the certificate");
  }
  CertStackPtr chain(sk_X509_new_null());
  for (const auto& pem : legacy ? std::vector<std::string>() : contents.chain_pems) {
    auto ca = detail::parse_certificate(pem);
    if (!ca) return core::Unexpected(ca.error());
    if (sk_X509_push(chain.get(), ca->get()) <= 0)
      return detail::fail(Errc::CryptoFailure, "out of memory");
    static_cast<void>(ca->release()); // the chain owns it now
  }
  const std::string pass(password);
  const std::string name = contents.friendly_name;
  // Modern: the defaults of OpenSSL 3 (AES-256-CBC with PBKDF2, a SHA-256 MAC). Legacy: 3DES,
  // and no MAC from PKCS12_create (its default digest is SHA-256), then a SHA-1 one.
  constexpr int kLegacyIterations = 2048; // what OpenSSL's -legacy export uses
  const int pbe = legacy ? NID_pbe_WithSHA1And3_Key_TripleDES_CBC : 0;
  detail::P12Ptr p12(PKCS12_create(pass.c_str(), name.empty() ? nullptr : name.c_str(), key.get(),
                                   cert->get(), chain.get(), pbe, pbe,
                                   legacy ? kLegacyIterations : 0, legacy ? -1 : 0, 0));
  if (!p12) return detail::fail(Errc::CryptoFailure, "cannot build the PKCS#12 file");
  if (legacy &&
      PKCS12_set_mac(p12.get(), pass.c_str(), -1, nullptr, 0, kLegacyIterations, EVP_sha1()) != 1)
    return detail::fail(Errc::CryptoFailure, "cannot add the PKCS#12 file's SHA-1 MAC");
  unsigned char* der = nullptr;
  const int len = i2d_PKCS12(p12.get(), &der);
  if (len <= 0) return detail::fail(Errc::CryptoFailure, "cannot encode the PKCS#12 file");
  std::string out(reinterpret_cast<const char*>(der), static_cast<std::size_t>(len));
  OPENSSL_free(der);
  return out;
}

namespace {

core::Result<Pkcs12Contents> read_pkcs12_now(std::string_view der, std::string_view password) {
  const detail::ErrorQueueGuard clean_error_queue;
  if (der.size() > detail::kMaxInputBytes)
    return core::fail(Errc::Malformed, "PKCS#12 file larger than 1 MiB");
  const auto* p = reinterpret_cast<const unsigned char*>(der.data());
  detail::P12Ptr p12(d2i_PKCS12(nullptr, &p, static_cast<long>(der.size())));
  if (!p12) return detail::fail(Errc::Malformed, "not a PKCS#12 file");

  const bool has_mac = PKCS12_mac_present(p12.get()) == 1;
  if (has_mac) {
    // The file sets its own key-derivation cost; an upload must not tie up a core for hours.
    const ASN1_INTEGER* iterations = nullptr;
    PKCS12_get0_mac(nullptr, nullptr, nullptr, &iterations, p12.get());
    const long n = iterations ? ASN1_INTEGER_get(iterations) : 1;
    if (n < 1 || n > kMaxMacIterations)
      return core::fail(Errc::Malformed, "PKCS#12 MAC iteration count " + std::to_string(n) +
                                             " is outside 1.." + std::to_string(kMaxMacIterations));
  }
  const std::string pass(password);
  // Each MAC check derives a key at the file's iteration count (most of a read's cost), so the
  // empty password is tried only when the given one fails: a MAC that verifies with a password
  // cannot also verify without one (the two derived keys would have to collide).
  const bool mac_ok = has_mac && mac_verifies(p12.get(), pass);
  const bool opens_without_password =
      !pass.empty() && !mac_ok &&
      (has_mac ? mac_verifies(p12.get(), "") : parse(p12.get(), "").has_value());
  if (opens_without_password)
    return core::fail(Errc::NoPassword, "the PKCS#12 file opens without a password");
  if (has_mac && !mac_ok)
    return core::fail(Errc::WrongPassword, "the password does not open this PKCS#12 file");

  auto parsed = parse(p12.get(), pass);
  if (!parsed) {
    // Without a MAC a wrong password only shows as undecryptable contents.
    if (!has_mac)
      return core::fail(Errc::WrongPassword,
                        "the password does not open this PKCS#12 file (or it is damaged)");
    return detail::fail(Errc::Malformed, "cannot read the PKCS#12 contents");
  }
  // Key first: without one, OpenSSL may file the certificate under the CA list instead.
  if (!parsed->key) return core::fail(Errc::NoPrivateKey, "the PKCS#12 file holds no private key");
  if (!parsed->cert)
    return core::fail(Errc::NoCertificate, "the PKCS#12 file holds no certificate");
  if (X509_check_private_key(parsed->cert.get(), parsed->key.get()) != 1)
    return core::fail(Errc::Malformed,
                      "the private key in the PKCS#12 file does not belong to its certificate");

  Pkcs12Contents contents;
  contents.certificate_pem = detail::certificate_pem(parsed->cert.get());
  contents.private_key_pem = detail::private_key_pem(parsed->key.get());
  for (int i = 0; parsed->ca && i < sk_X509_num(parsed->ca.get()); ++i)
    contents.chain_pems.push_back(detail::certificate_pem(sk_X509_value(parsed->ca.get(), i)));
  int alias_len = 0;
  if (const unsigned char* alias = X509_alias_get0(parsed->cert.get(), &alias_len))
    contents.friendly_name.assign(reinterpret_cast<const char*>(alias),
                                  static_cast<std::size_t>(alias_len));
  return contents;
}

} // namespace

} // namespace pki
