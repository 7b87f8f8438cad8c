#include "pki/pkcs12.hpp"

#include "pki/openssl_util.hpp"

#include <openssl/pem.h>

namespace pki {
namespace {

struct CertStackDeleter {
  void operator()(STACK_OF(X509) * s) const { sk_X509_pop_free(s, X509_free); }
};
using CertStackPtr = std::unique_ptr<STACK_OF(X509), CertStackDeleter>;

constexpr std::size_t kMaxP12Bytes = 1 << 20;

} // namespace

core::Result<std::string> make_pkcs12(const Pkcs12Contents& contents, std::string_view password) {
  auto cert = detail::parse_certificate(contents.certificate_pem);
  if (!cert) return core::Unexpected(cert.error());
  auto key = detail::parse_private_key(contents.private_key_pem);
  if (!key) return core::Unexpected(key.error());
  if (X509_check_private_key(cert->get(), key->get()) != 1)
    return detail::fail(Errc::InvalidInput, "the private key does not belong to the certificate");
  CertStackPtr chain(sk_X509_new_null());
  for (const auto& pem : contents.chain_pems) {
    auto ca = detail::parse_certificate(pem);
    if (!ca) return core::Unexpected(ca.error());
    if (sk_X509_push(chain.get(), ca->get()) <= 0)
      return detail::fail(Errc::CryptoFailure, "out of memory");
    static_cast<void>(ca->release()); // the chain owns it now
  }
  const std::string pass(password);
  const std::string name = contents.friendly_name;
  // Defaults of OpenSSL 3: AES-256-CBC with PBKDF2 and a SHA-256 MAC.
  detail::P12Ptr p12(PKCS12_create(pass.c_str(), name.empty() ? nullptr : name.c_str(), key->get(),
                                   cert->get(), chain.get(), 0, 0, 0, 0, 0));
  if (!p12) return detail::fail(Errc::CryptoFailure, "cannot build the PKCS#12 file");
  unsigned char* der = nullptr;
  const int len = i2d_PKCS12(p12.get(), &der);
  if (len <= 0) return detail::fail(Errc::CryptoFailure, "cannot encode the PKCS#12 file");
  std::string out(reinterpret_cast<const char*>(der), static_cast<std::size_t>(len));
  OPENSSL_free(der);
  return out;
}

core::Result<Pkcs12Contents> read_pkcs12(std::string_view der, std::string_view password) {
  if (der.size() > kMaxP12Bytes)
    return core::fail(Errc::Malformed, "PKCS#12 file larger than 1 MiB");
  const auto* p = reinterpret_cast<const unsigned char*>(der.data());
  detail::P12Ptr p12(d2i_PKCS12(nullptr, &p, static_cast<long>(der.size())));
  if (!p12) return detail::fail(Errc::Malformed, "not a PKCS#12 file");
  const std::string pass(password);
  // PKCS12_parse treats an empty password as "no password or the empty one"; check the MAC
  // first so that a wrong password is told apart from a damaged file.
  if (PKCS12_mac_present(p12.get()) == 1) {
    const bool ok = pass.empty() ? (PKCS12_verify_mac(p12.get(), nullptr, 0) == 1 ||
                                    PKCS12_verify_mac(p12.get(), "", 0) == 1)
                                 : PKCS12_verify_mac(p12.get(), pass.c_str(),
                                                     static_cast<int>(pass.size())) == 1;
    if (!ok) {
      detail::take_openssl_errors();
      return core::fail(Errc::WrongPassword, "the password does not open this PKCS#12 file");
    }
  }
  EVP_PKEY* key = nullptr;
  X509* cert = nullptr;
  STACK_OF(X509)* ca = nullptr;
  if (PKCS12_parse(p12.get(), pass.c_str(), &key, &cert, &ca) != 1)
    return detail::fail(Errc::Malformed, "cannot read the PKCS#12 contents");
  detail::PkeyPtr key_owner(key);
  detail::X509Ptr cert_owner(cert);
  CertStackPtr ca_owner(ca);
  // Key first: without one, OpenSSL may file the certificate under the CA list instead.
  if (!key) return core::fail(Errc::NoPrivateKey, "the PKCS#12 file holds no private key");
  if (!cert) return core::fail(Errc::NoCertificate, "the PKCS#12 file holds no certificate");
  Pkcs12Contents contents;
  contents.certificate_pem = detail::certificate_pem(cert);
  contents.private_key_pem = detail::private_key_pem(key);
  for (int i = 0; ca && i < sk_X509_num(ca); ++i)
    contents.chain_pems.push_back(detail::certificate_pem(sk_X509_value(ca, i)));
  int alias_len = 0;
  if (const unsigned char* alias = X509_alias_get0(cert, &alias_len))
    contents.friendly_name.assign(reinterpret_cast<const char*>(alias),
                                  static_cast<std::size_t>(alias_len));
  return contents;
}

} // namespace pki
