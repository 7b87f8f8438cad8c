#include "pki/error.hpp"

#include <string>

namespace pki {
namespace {

class PkiCategory final : public std::error_category {
public:
  const char* name() const noexcept override { return "voipsim.pki"; }
  std::string message(int ev) const override {
    switch (static_cast<Errc>(ev)) {
    case Errc::InvalidInput:
      return "invalid input";
    case Errc::Malformed:
      return "malformed data";
    case Errc::CryptoFailure:
      return "cryptographic operation failed";
    case Errc::NotAppleShaped:
      return "not an Apple push certificate";
    case Errc::Expired:
      return "certificate expired";
    case Errc::NotYetValid:
      return "certificate not yet valid";
    case Errc::UntrustedIssuer:
      return "certificate not issued by the configured CA";
    case Errc::WrongPassword:
      return "wrong PKCS#12 password";
    case Errc::NoPassword:
      return "PKCS#12 file has no password";
    case Errc::NoPrivateKey:
      return "PKCS#12 holds no private key";
    case Errc::NoCertificate:
      return "PKCS#12 holds no certificate";
    case Errc::TokenMalformed:
      return "malformed provider token";
    case Errc::TokenWrongAlgorithm:
      return "provider token algorithm is not ES256";
    case Errc::TokenUnknownKeyId:
      return "provider token key id unknown";
    case Errc::TokenBadSignature:
      return "provider token signature does not verify";
    case Errc::TokenTeamMismatch:
      return "provider token issuer is not the key's team";
    case Errc::TokenExpired:
      return "provider token expired";
    case Errc::TokenIssuedInFuture:
      return "provider token issued in the future";
    }
    return "unknown pki error";
  }
};

} // namespace

const std::error_category& pki_category() noexcept {
  static const PkiCategory category;
  return category;
}

std::error_code make_error_code(Errc e) noexcept {
  return {static_cast<int>(e), pki_category()};
}

} // namespace pki
