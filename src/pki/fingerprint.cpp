#include "pki/fingerprint.hpp"

#include "core/encoding.hpp"
#include "pki/openssl_util.hpp"

namespace pki {

core::Result<std::string> certificate_sha256(std::string_view certificate) {
  detail::ErrorQueueGuard guard;
  auto cert = detail::parse_certificate(certificate);
  if (!cert) return core::Unexpected(cert.error());
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  if (X509_digest(cert->get(), EVP_sha256(), md, &len) != 1)
    return detail::fail(Errc::CryptoFailure, "cannot compute the certificate's SHA-256");
  return core::hex_encode({reinterpret_cast<const char*>(md), len});
}

} // namespace pki
