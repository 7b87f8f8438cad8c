#pragma once
// PKCS#12 (.p12) files, as Keychain exports a certificate with its private key and as the IM
// console takes them. Values only.

#include "core/result.hpp"

#include <string>
#include <string_view>
#include <vector>

namespace pki {

struct Pkcs12Contents {
  std::string certificate_pem;
  std::string private_key_pem;         // PKCS#8
  std::vector<std::string> chain_pems; // CA certificates stored alongside
  std::string friendly_name;           // the alias Keychain shows
};

// DER bytes of a .p12 protecting `contents` with `password`. An empty password still encrypts
// (with the empty string), as Keychain does when the field is left blank: that file "has no
// password" and the console must refuse it (spec im-voip-flow.md, Note 2).
core::Result<std::string> make_pkcs12(const Pkcs12Contents& contents, std::string_view password);

// Opens a .p12. Errors: Malformed (damaged, a key that is not the certificate's, or a key
// derivation cost beyond reason), NoPassword (given a password, but the file opens without one:
// empty password, or no MAC and no encryption), WrongPassword, NoPrivateKey, NoCertificate.
// With an empty `password` a password-less file opens normally.
core::Result<Pkcs12Contents> read_pkcs12(std::string_view der, std::string_view password);

} // namespace pki
