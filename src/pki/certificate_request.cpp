// Spec: docs/spec/apns-provider-api.md
#include "pki/certificate_request.hpp"

#include "pki/openssl_util.hpp"

#include <openssl/pem.h>
#include <openssl/rsa.h>

namespace pki {
namespace {

using RequestPtr = std::unique_ptr<X509_REQ, detail::Deleter<X509_REQ_free>>;

// Apple's help asks for RSA 2048 (§7.4a); a larger RSA key is as good.
constexpr int kMinimumRsaBits = 2048;

constexpr const char* kHowToMakeOne =
    "make the request with `openssl req -new -newkey rsa:2048 -nodes -keyout my.key "
    "-subj \"/emailAddress=you@example.com/CN=Your Name\" -out my.csr` or with Keychain "
    "Access (Certificate Assistant > Request a Certificate From a Certificate Authority, "
    "saved to disk)";

core::Result<RequestPtr> parse_request(std::string_view pem_or_der) {
  if (pem_or_der.empty())
    return core::fail(Errc::Malformed, std::string("the request file is empty: ") + kHowToMakeOne);
  auto bio = detail::memory_bio(pem_or_der);
  if (!bio) return core::fail(Errc::Malformed, "the request is larger than 1 MiB");
  RequestPtr request;
  if (pem_or_der.find("-----BEGIN") != std::string_view::npos) {
    // Reads "CERTIFICATE REQUEST" and the older "NEW CERTIFICATE REQUEST" armour alike.
    request.reset(PEM_read_bio_X509_REQ(bio.get(), nullptr, nullptr, nullptr));
  } else {
    const auto* p = reinterpret_cast<const unsigned char*>(pem_or_der.data());
    request.reset(d2i_X509_REQ(nullptr, &p, static_cast<long>(pem_or_der.size())));
  }
  if (!request)
    return detail::fail(Errc::Malformed,
                        std::string("the portal could not read this file as a Certificate Signing "
                                    "Request (PKCS#10, PEM or DER): ") +
                            kHowToMakeOne);
  return request;
}

} // namespace

core::Result<CertificateRequest> read_certificate_request(std::string_view pem_or_der) {
  const detail::ErrorQueueGuard clean_error_queue;
  auto request = parse_request(pem_or_der);
  if (!request) return core::Unexpected(request.error());
  X509_REQ* req = request->get();

  // Checked before the signature: with an unsupported key the signature cannot be judged, and
  // the key is what the developer must change.
  EVP_PKEY* key = X509_REQ_get0_pubkey(req);
  if (!key) return detail::fail(Errc::Malformed, "the request carries no readable public key");
  const int bits = EVP_PKEY_get_bits(key);
  if (EVP_PKEY_get_base_id(key) != EVP_PKEY_RSA)
    return core::fail(Errc::InvalidInput,
                      std::string("the portal accepts RSA 2048-bit keys, and this request's key is "
                                  "not RSA (") +
                          OBJ_nid2sn(EVP_PKEY_get_base_id(key)) + "): " + kHowToMakeOne);
  if (bits < kMinimumRsaBits)
    return core::fail(Errc::InvalidInput, "the portal accepts RSA 2048-bit keys, and this "
                                          "request's key has " +
                                              std::to_string(bits) + " bits: " + kHowToMakeOne);
  if (X509_REQ_verify(req, key) != 1)
    return detail::fail(Errc::InvalidInput,
                        std::string("the request's signature does not verify (the file was "
                                    "changed after it was made, or its key is not the one it "
                                    "names): make a new request; ") +
                            kHowToMakeOne);

  X509_NAME* subject = X509_REQ_get_subject_name(req);
  CertificateRequest out;
  out.key_bits = bits;
  out.email_address = detail::name_entry(subject, NID_pkcs9_emailAddress);
  out.common_name = detail::name_entry(subject, NID_commonName);
  if (out.email_address.empty() || out.common_name.empty())
    return core::fail(Errc::InvalidInput,
                      std::string("the request's subject needs an email address and a common name "
                                  "(Keychain Access: \"User Email Address\" and \"Common "
                                  "Name\"): ") +
                          kHowToMakeOne);
  out.public_key_pem = detail::public_key_pem(key);
  if (out.public_key_pem.empty())
    return detail::fail(Errc::CryptoFailure, "cannot encode the request's public key");
  return out;
}

core::Result<std::string> make_certificate_request(std::string_view private_key_pem,
                                                   const std::string& email_address,
                                                   const std::string& common_name) {
  const detail::ErrorQueueGuard clean_error_queue;
  auto key = detail::parse_private_key(private_key_pem);
  if (!key) return core::Unexpected(key.error());
  RequestPtr request(X509_REQ_new());
  if (!request) return detail::fail(Errc::CryptoFailure, "out of memory");
  X509_NAME* subject = X509_REQ_get_subject_name(request.get());
  for (const auto& [field, value] :
       {std::pair{"emailAddress", &email_address}, std::pair{"CN", &common_name}})
    if (!value->empty() &&
        X509_NAME_add_entry_by_txt(subject, field, MBSTRING_UTF8,
                                   reinterpret_cast<const unsigned char*>(value->c_str()), -1, -1,
                                   0) != 1)
      return detail::fail(Errc::InvalidInput, std::string("bad subject ") + field);
  if (X509_REQ_set_pubkey(request.get(), key->get()) != 1 ||
      X509_REQ_sign(request.get(), key->get(), EVP_sha256()) <= 0)
    return detail::fail(Errc::CryptoFailure, "cannot sign the request");
  detail::BioPtr out(BIO_new(BIO_s_mem()));
  if (!out || PEM_write_bio_X509_REQ(out.get(), request.get()) != 1)
    return detail::fail(Errc::CryptoFailure, "cannot encode the request");
  return detail::bio_text(out.get());
}

} // namespace pki
