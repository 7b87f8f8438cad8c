#include "pki/openssl_util.hpp"

#include <openssl/core_names.h>
#include <openssl/err.h>
#include <openssl/pem.h>

namespace pki::detail {

std::string take_openssl_errors() {
  std::string text;
  char buf[256];
  while (const unsigned long e = ERR_get_error()) {
    ERR_error_string_n(e, buf, sizeof buf);
    if (!text.empty()) text += "; ";
    // "error:0A000086:SSL routines::certificate verify failed": keep the readable tail.
    std::string_view line(buf);
    const auto colon = line.rfind(':');
    text += colon == std::string_view::npos ? line : line.substr(colon + 1);
  }
  return text;
}

core::Unexpected<core::Error> fail(Errc code, std::string what) {
  const std::string openssl = take_openssl_errors();
  if (!openssl.empty()) what += " (" + openssl + ")";
  return core::fail(code, std::move(what));
}

namespace {
// Passed instead of a null callback: OpenSSL's default asks for a passphrase on the terminal,
// which would block the thread on an encrypted key. We never decrypt PEM keys.
int no_passphrase(char*, int, int, void*) {
  return -1;
}
} // namespace

BioPtr memory_bio(std::string_view bytes) {
  if (bytes.size() > kMaxInputBytes) return nullptr;
  // An empty buffer with length 0 is fine; a negative length would make OpenSSL use strlen.
  return BioPtr(BIO_new_mem_buf(bytes.data(), static_cast<int>(bytes.size())));
}

std::string bio_text(BIO* bio) {
  char* data = nullptr;
  const long len = BIO_get_mem_data(bio, &data);
  return len > 0 ? std::string(data, static_cast<std::size_t>(len)) : std::string();
}

core::Result<X509Ptr> parse_certificate(std::string_view pem_or_der) {
  auto bio = memory_bio(pem_or_der);
  if (!bio) return core::fail(Errc::Malformed, "certificate larger than 1 MiB");
  X509Ptr cert;
  if (pem_or_der.find("-----BEGIN") != std::string_view::npos) {
    cert.reset(PEM_read_bio_X509(bio.get(), nullptr, no_passphrase, nullptr));
  } else {
    const auto* p = reinterpret_cast<const unsigned char*>(pem_or_der.data());
    cert.reset(d2i_X509(nullptr, &p, static_cast<long>(pem_or_der.size())));
  }
  if (!cert) return fail(Errc::Malformed, "not an X.509 certificate");
  return cert;
}

core::Result<PkeyPtr> parse_private_key(std::string_view pem) {
  auto bio = memory_bio(pem);
  if (!bio) return core::fail(Errc::Malformed, "key larger than 1 MiB");
  PkeyPtr key(PEM_read_bio_PrivateKey(bio.get(), nullptr, no_passphrase, nullptr));
  if (!key) return fail(Errc::Malformed, "not an unencrypted PEM private key");
  return key;
}

core::Result<PkeyPtr> parse_public_key(std::string_view pem) {
  auto bio = memory_bio(pem);
  if (!bio) return core::fail(Errc::Malformed, "key larger than 1 MiB");
  PkeyPtr key(PEM_read_bio_PUBKEY(bio.get(), nullptr, no_passphrase, nullptr));
  if (!key) {
    // A private key PEM carries its public half too.
    ERR_clear_error();
    auto again = memory_bio(pem);
    key.reset(PEM_read_bio_PrivateKey(again.get(), nullptr, no_passphrase, nullptr));
  }
  if (!key) return fail(Errc::Malformed, "not a PEM public key or unencrypted private key");
  return key;
}

std::string certificate_pem(X509* cert) {
  BioPtr bio(BIO_new(BIO_s_mem()));
  PEM_write_bio_X509(bio.get(), cert);
  return bio_text(bio.get());
}

std::string certificate_der(X509* cert) {
  unsigned char* der = nullptr;
  const int len = i2d_X509(cert, &der);
  if (len <= 0) return {};
  std::string out(reinterpret_cast<const char*>(der), static_cast<std::size_t>(len));
  OPENSSL_free(der);
  return out;
}

std::string private_key_pem(EVP_PKEY* key) {
  BioPtr bio(BIO_new(BIO_s_mem()));
  PEM_write_bio_PrivateKey(bio.get(), key, nullptr, nullptr, 0, nullptr, nullptr);
  return bio_text(bio.get());
}

std::string public_key_pem(EVP_PKEY* key) {
  BioPtr bio(BIO_new(BIO_s_mem()));
  PEM_write_bio_PUBKEY(bio.get(), key);
  return bio_text(bio.get());
}

core::TimePoint to_time_point(const ASN1_TIME* t) {
  struct tm parts {};
  if (!t || ASN1_TIME_to_tm(t, &parts) != 1) return {};
  return core::from_unix_seconds(static_cast<std::int64_t>(timegm(&parts)));
}

bool is_ec_p256(EVP_PKEY* key) {
  if (!key || EVP_PKEY_get_base_id(key) != EVP_PKEY_EC) return false;
  char group[64] = {};
  std::size_t len = 0;
  if (EVP_PKEY_get_utf8_string_param(key, OSSL_PKEY_PARAM_GROUP_NAME, group, sizeof group, &len) !=
      1)
    return false;
  return std::string_view(group, len) == "prime256v1";
}

std::string name_entry(X509_NAME* name, int nid) {
  const int index = X509_NAME_get_index_by_NID(name, nid, -1);
  if (index < 0) return {};
  const ASN1_STRING* data = X509_NAME_ENTRY_get_data(X509_NAME_get_entry(name, index));
  unsigned char* utf8 = nullptr;
  const int len = ASN1_STRING_to_UTF8(&utf8, data);
  if (len < 0) return {};
  std::string out(reinterpret_cast<const char*>(utf8), static_cast<std::size_t>(len));
  OPENSSL_free(utf8);
  return out;
}

} // namespace pki::detail
