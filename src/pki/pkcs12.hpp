#pragma once
// PKCS#12 (.p12) files, as Keychain exports a certificate with its private key and as the IM
// console takes them. Values only (read_pkcs12 keeps recent answers).

#include "core/result.hpp"

#include <string>
#include <string_view>
#include <vector>

namespace pki {

struct Pkcs12Contents {
  std::string certificate_pem;         // make_pkcs12 reads DER too
  std::string private_key_pem;         // PKCS#8; make_pkcs12 leaves the key out when empty
  std::vector<std::string> chain_pems; // CA certificates stored alongside
  std::string friendly_name;           // the alias Keychain shows
};

// How a .p12 is protected.
enum class Pkcs12Form {
  // OpenSSL 3's defaults: AES-256-CBC with PBKDF2, a SHA-256 MAC, the chain included.
  Modern,
  // What Keychain Access exports and most Go tools read (golang.org/x/crypto/pkcs12, used by
  // sideshow/apns2): 3DES (pbeWithSHAAnd3-KeyTripleDES-CBC) for key and certificate, a SHA-1
  // MAC, and exactly two bags, the certificate and its key (chain_pems is left out).
  LegacyLeafOnly,
};

// DER bytes of a .p12 protecting `contents` with `password`. An empty password still encrypts
// (with the empty string), as Keychain does when the field is left blank: that file "has no
// password" and the console must refuse it (spec im-voip-flow.md, Note 2).
core::Result<std::string> make_pkcs12(const Pkcs12Contents& contents, std::string_view password,
                                      Pkcs12Form form = Pkcs12Form::Modern);

// Opens a .p12. Errors: Malformed (damaged, a key that is not the certificate's, or a key
// derivation cost beyond reason), NoPassword (given a password, but the file opens without one:
// empty password, or no MAC and no encryption), WrongPassword, NoPrivateKey, NoCertificate.
// With an empty `password` a password-less file opens normally. The last few successful reads
// are remembered by file and password (pkcs12.cpp says why): thread-safe.
core::Result<Pkcs12Contents> read_pkcs12(std::string_view der, std::string_view password);

} // namespace pki
