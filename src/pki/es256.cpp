#include "pki/es256.hpp"

#include "pki/openssl_util.hpp"

#include <openssl/ecdsa.h>

namespace pki {
namespace {

constexpr std::size_t kCoordinateBytes = 32;

bool digest_verify(EVP_PKEY* key, std::string_view data, std::string_view der) {
  detail::MdCtxPtr ctx(EVP_MD_CTX_new());
  const bool ok =
      ctx && EVP_DigestVerifyInit(ctx.get(), nullptr, EVP_sha256(), nullptr, key) == 1 &&
      EVP_DigestVerify(ctx.get(), reinterpret_cast<const unsigned char*>(der.data()), der.size(),
                       reinterpret_cast<const unsigned char*>(data.data()), data.size()) == 1;
  detail::take_openssl_errors();
  return ok;
}

} // namespace

core::Result<std::string> ecdsa_der_to_jose(std::string_view der) {
  const detail::ErrorQueueGuard clean_error_queue;
  const auto* p = reinterpret_cast<const unsigned char*>(der.data());
  detail::EcdsaSigPtr sig(d2i_ECDSA_SIG(nullptr, &p, static_cast<long>(der.size())));
  if (!sig || p != reinterpret_cast<const unsigned char*>(der.data()) + der.size())
    return detail::fail(Errc::Malformed, "not a DER ECDSA signature");
  std::string jose(2 * kCoordinateBytes, '\0');
  auto* out = reinterpret_cast<unsigned char*>(jose.data());
  if (BN_bn2binpad(ECDSA_SIG_get0_r(sig.get()), out, kCoordinateBytes) < 0 ||
      BN_bn2binpad(ECDSA_SIG_get0_s(sig.get()), out + kCoordinateBytes, kCoordinateBytes) < 0)
    return core::fail(Errc::Malformed, "ECDSA signature values larger than P-256 allows");
  return jose;
}

core::Result<std::string> ecdsa_jose_to_der(std::string_view jose) {
  const detail::ErrorQueueGuard clean_error_queue;
  if (jose.size() != 2 * kCoordinateBytes)
    return core::fail(Errc::Malformed,
                      "a JOSE ES256 signature is 64 bytes, not " + std::to_string(jose.size()));
  const auto* in = reinterpret_cast<const unsigned char*>(jose.data());
  detail::BnPtr r(BN_bin2bn(in, kCoordinateBytes, nullptr));
  detail::BnPtr s(BN_bin2bn(in + kCoordinateBytes, kCoordinateBytes, nullptr));
  detail::EcdsaSigPtr sig(ECDSA_SIG_new());
  if (!r || !s || !sig || ECDSA_SIG_set0(sig.get(), r.get(), s.get()) != 1)
    return detail::fail(Errc::CryptoFailure, "out of memory");
  static_cast<void>(r.release()); // the signature owns both now
  static_cast<void>(s.release());
  unsigned char* der = nullptr;
  const int len = i2d_ECDSA_SIG(sig.get(), &der);
  if (len <= 0) return detail::fail(Errc::CryptoFailure, "cannot encode the signature");
  std::string out(reinterpret_cast<const char*>(der), static_cast<std::size_t>(len));
  OPENSSL_free(der);
  return out;
}

core::Result<std::string> es256_sign(std::string_view private_key_pem, std::string_view data) {
  const detail::ErrorQueueGuard clean_error_queue;
  auto key = detail::parse_private_key(private_key_pem);
  if (!key) return core::Unexpected(key.error());
  if (!detail::is_ec_p256(key->get()))
    return core::fail(Errc::InvalidInput, "ES256 needs an EC P-256 key");
  detail::MdCtxPtr ctx(EVP_MD_CTX_new());
  std::size_t len = 0;
  if (!ctx || EVP_DigestSignInit(ctx.get(), nullptr, EVP_sha256(), nullptr, key->get()) != 1 ||
      EVP_DigestSign(ctx.get(), nullptr, &len, reinterpret_cast<const unsigned char*>(data.data()),
                     data.size()) != 1)
    return detail::fail(Errc::CryptoFailure, "cannot start signing");
  std::string der(len, '\0');
  if (EVP_DigestSign(ctx.get(), reinterpret_cast<unsigned char*>(der.data()), &len,
                     reinterpret_cast<const unsigned char*>(data.data()), data.size()) != 1)
    return detail::fail(Errc::CryptoFailure, "signing failed");
  der.resize(len);
  return ecdsa_der_to_jose(der);
}

bool es256_verify(const PublicKey& key, std::string_view data, std::string_view signature) {
  const detail::ErrorQueueGuard clean_error_queue;
  if (!key.native()) return false;
  if (signature.size() == 2 * kCoordinateBytes) {
    auto der = ecdsa_jose_to_der(signature);
    return der && digest_verify(key.native(), data, *der);
  }
  // Anything else must be a DER SEQUENCE; re-encoding rejects trailing bytes and other slack.
  auto jose = ecdsa_der_to_jose(signature);
  if (!jose) return false;
  auto canonical = ecdsa_jose_to_der(*jose);
  return canonical && *canonical == signature && digest_verify(key.native(), data, signature);
}

} // namespace pki
