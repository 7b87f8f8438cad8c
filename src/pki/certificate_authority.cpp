#include "pki/certificate_authority.hpp"

#include "pki/apple_extensions.hpp"
#include "pki/openssl_util.hpp"

#include <algorithm>
#include <cctype>

#include <openssl/bn.h>
#include <openssl/rand.h>

namespace pki {
namespace {

using detail::PkeyPtr;
using detail::X509Ptr;

struct NameEntry {
  const char* field; // "UID", "CN", "OU", "O", "C"
  std::string value;
};

struct CustomExtension {
  const char* oid;
  std::string der; // the extension value
};

// Everything that differs between the certificates we issue.
struct Blueprint {
  std::vector<NameEntry> subject;
  KeyType key_type = KeyType::EcP256;
  core::TimePoint not_before;
  core::TimePoint not_after;
  std::vector<std::pair<int, std::string>> standard; // NID and its OpenSSL config text
  std::vector<CustomExtension> custom;
};

core::Result<void> add_standard_extension(X509* cert, X509* issuer, int nid,
                                          const std::string& value) {
  X509V3_CTX ctx;
  X509V3_set_ctx(&ctx, issuer, cert, nullptr, nullptr, 0);
  detail::ExtensionPtr ext(X509V3_EXT_conf_nid(nullptr, &ctx, nid, value.c_str()));
  if (!ext || X509_add_ext(cert, ext.get(), -1) != 1)
    return detail::fail(Errc::CryptoFailure,
                        std::string("cannot add ") + OBJ_nid2sn(nid) + " = " + value);
  return {};
}

core::Result<void> add_custom_extension(X509* cert, const CustomExtension& custom) {
  std::unique_ptr<ASN1_OBJECT, detail::Deleter<ASN1_OBJECT_free>> obj(OBJ_txt2obj(custom.oid, 1));
  std::unique_ptr<ASN1_OCTET_STRING, detail::Deleter<ASN1_OCTET_STRING_free>> value(
      ASN1_OCTET_STRING_new());
  if (!obj || !value ||
      ASN1_OCTET_STRING_set(value.get(), reinterpret_cast<const unsigned char*>(custom.der.data()),
                            static_cast<int>(custom.der.size())) != 1)
    return detail::fail(Errc::CryptoFailure, std::string("cannot encode extension ") + custom.oid);
  detail::ExtensionPtr ext(X509_EXTENSION_create_by_OBJ(nullptr, obj.get(), 0, value.get()));
  if (!ext || X509_add_ext(cert, ext.get(), -1) != 1)
    return detail::fail(Errc::CryptoFailure, std::string("cannot add extension ") + custom.oid);
  return {};
}

bool set_time(ASN1_TIME* field, core::TimePoint t) {
  return ASN1_TIME_set(field, static_cast<time_t>(core::unix_seconds(t))) != nullptr;
}

// Issues `bp` signed by (issuer_cert, issuer_key), or self-signed when both are null. The
// certificate carries `holder_key` when given (its holder keeps the private half: the result has
// no private key), else a fresh key of bp.key_type.
core::Result<IssuedCertificate> issue(const Blueprint& bp, X509* issuer_cert, EVP_PKEY* issuer_key,
                                      EVP_PKEY* holder_key = nullptr) {
  if (bp.not_after <= bp.not_before)
    return core::fail(Errc::InvalidInput, "not_after must be after not_before");
  std::string key_pem;
  PkeyPtr fresh_key;
  if (!holder_key) {
    auto generated = generate_private_key(bp.key_type);
    if (!generated) return core::Unexpected(generated.error());
    auto parsed = detail::parse_private_key(*generated);
    if (!parsed) return core::Unexpected(parsed.error());
    key_pem = std::move(*generated);
    fresh_key = std::move(*parsed);
  }
  EVP_PKEY* subject_key = holder_key ? holder_key : fresh_key.get();

  X509Ptr cert(X509_new());
  detail::NamePtr name(X509_NAME_new());
  detail::BnPtr serial(BN_new());
  if (!cert || !name || !serial) return detail::fail(Errc::CryptoFailure, "out of memory");
  // A random positive 127-bit serial: unique without bookkeeping (RFC 5280 allows 20 octets).
  if (BN_rand(serial.get(), 127, BN_RAND_TOP_ANY, BN_RAND_BOTTOM_ANY) != 1 ||
      !BN_to_ASN1_INTEGER(serial.get(), X509_get_serialNumber(cert.get())) ||
      X509_set_version(cert.get(), X509_VERSION_3) != 1 ||
      X509_set_pubkey(cert.get(), subject_key) != 1)
    return detail::fail(Errc::CryptoFailure, "cannot start certificate");
  for (const auto& entry : bp.subject) {
    if (entry.value.empty()) continue;
    if (X509_NAME_add_entry_by_txt(name.get(), entry.field, MBSTRING_UTF8,
                                   reinterpret_cast<const unsigned char*>(entry.value.c_str()), -1,
                                   -1, 0) != 1)
      return detail::fail(Errc::InvalidInput,
                          std::string("bad subject ") + entry.field + " '" + entry.value + "'");
  }
  X509* signer_cert = issuer_cert ? issuer_cert : cert.get();
  EVP_PKEY* signer_key = issuer_key ? issuer_key : subject_key;
  if (X509_set_subject_name(cert.get(), name.get()) != 1 ||
      X509_set_issuer_name(cert.get(), X509_get_subject_name(signer_cert)) != 1 ||
      !set_time(X509_getm_notBefore(cert.get()), bp.not_before) ||
      !set_time(X509_getm_notAfter(cert.get()), bp.not_after))
    return detail::fail(Errc::CryptoFailure, "cannot set names or validity");
  for (const auto& [nid, value] : bp.standard)
    if (auto added = add_standard_extension(cert.get(), signer_cert, nid, value); !added)
      return core::Unexpected(added.error());
  for (const auto& custom : bp.custom)
    if (auto added = add_custom_extension(cert.get(), custom); !added)
      return core::Unexpected(added.error());
  if (X509_sign(cert.get(), signer_key, EVP_sha256()) <= 0)
    return detail::fail(Errc::CryptoFailure, "signing failed");
  return IssuedCertificate{detail::certificate_pem(cert.get()), std::move(key_pem)};
}

// The Apple extensions of each kind (apns-provider-api.md §7.2; fixtures C_DEV, C_PROD, C_UNIV,
// C_VOIP).
core::Result<std::vector<CustomExtension>> apple_extensions(CertificateKind kind,
                                                            const std::string& bundle) {
  const CustomExtension dev{kOidDevelopment, der_null()};
  const CustomExtension prod{kOidProduction, der_null()};
  switch (kind) {
  case CertificateKind::ApnsDevelopment:
    return std::vector{dev};
  case CertificateKind::ApnsProduction:
    return std::vector{prod};
  case CertificateKind::ApplePushServices: {
    auto topics = encode_topics_extension(
        {{bundle, "app"}, {bundle + ".voip", "voip"}, {bundle + ".complication", "complication"}});
    if (!topics) return core::Unexpected(topics.error());
    return std::vector{dev, prod, CustomExtension{kOidTopics, std::move(*topics)}};
  }
  case CertificateKind::VoipServices: {
    auto suffix = der_utf8_string(bundle);
    auto voip = der_utf8_string(bundle + ".voip");
    if (!suffix || !voip) return core::fail(Errc::CryptoFailure, "cannot encode VoIP extensions");
    return std::vector{dev, prod, CustomExtension{kOidAppIdSuffix, std::move(*suffix)},
                       CustomExtension{kOidVoipTopics, std::move(*voip)},
                       CustomExtension{kOidVoipMarker, der_null()}};
  }
  case CertificateKind::PlainClient:
  case CertificateKind::Other:
    return std::vector<CustomExtension>{};
  }
  return std::vector<CustomExtension>{};
}

std::vector<std::pair<int, std::string>> ca_extensions(bool root) {
  return {{NID_basic_constraints, root ? "critical,CA:TRUE" : "critical,CA:TRUE,pathlen:0"},
          {NID_key_usage, "critical,keyCertSign,cRLSign"},
          {NID_subject_key_identifier, "hash"},
          {NID_authority_key_identifier, "keyid:always"}};
}

// A CA's own certificate: self-signed root, or intermediate that may sign no further CAs.
Blueprint ca_blueprint(const Subject& subject, core::TimePoint not_before,
                       core::TimePoint not_after, bool root) {
  return Blueprint{{{"CN", subject.common_name},
                    {"OU", subject.organizational_unit},
                    {"O", subject.organization},
                    {"C", subject.country}},
                   KeyType::EcP256,
                   not_before,
                   not_after,
                   ca_extensions(root),
                   {}};
}

// Issues `bp` signed by the CA whose PEM material is given (the class keeps only text).
core::Result<IssuedCertificate> issue_signed_by(const Blueprint& bp,
                                                const std::string& ca_certificate_pem,
                                                const std::string& ca_private_key_pem,
                                                EVP_PKEY* holder_key = nullptr) {
  auto cert = detail::parse_certificate(ca_certificate_pem);
  auto key = detail::parse_private_key(ca_private_key_pem);
  if (!cert || !key) return core::fail(Errc::CryptoFailure, "CA material no longer parses");
  return issue(bp, cert->get(), key->get(), holder_key);
}

// What a provider certificate of `spec.kind` carries (apns-provider-api.md §7.2-§7.3), whoever
// holds the key.
core::Result<Blueprint> provider_blueprint(const ProviderCertificateSpec& spec) {
  if (spec.kind == CertificateKind::Other)
    return core::fail(Errc::InvalidInput, "kind 'other' is only a classification result");
  if (!is_bundle_id(spec.bundle_id))
    return core::fail(Errc::InvalidInput,
                      "bundle id '" + spec.bundle_id + "' must be letters, digits, '.' and '-'");
  const bool apple = spec.kind != CertificateKind::PlainClient;
  if (apple && !is_apple_id(spec.team_id))
    return core::fail(Errc::InvalidInput,
                      "team id '" + spec.team_id + "' must be 10 upper-case letters or digits");
  auto custom = apple_extensions(spec.kind, spec.bundle_id);
  if (!custom) return core::Unexpected(custom.error());

  Blueprint bp;
  if (apple) {
    const std::string uid =
        spec.kind == CertificateKind::VoipServices ? spec.bundle_id + ".voip" : spec.bundle_id;
    bp.subject = {{"UID", uid},
                  {"CN", std::string(common_name_prefix(spec.kind)) + spec.bundle_id},
                  {"OU", spec.team_id},
                  {"O", spec.organization},
                  {"C", "US"}};
  } else {
    bp.subject = {{"CN", "Example Client"}, {"O", spec.organization}, {"C", "US"}};
  }
  bp.key_type = spec.key_type;
  bp.not_before = spec.not_before;
  bp.not_after = spec.not_after;
  bp.standard = {{NID_basic_constraints, "CA:FALSE"},
                 {NID_key_usage, "critical,digitalSignature"},
                 {NID_ext_key_usage, "clientAuth"},
                 {NID_subject_key_identifier, "hash"},
                 {NID_authority_key_identifier, "keyid:always"}};
  bp.custom = std::move(*custom);
  return bp;
}

} // namespace

core::Result<CertificateAuthority> CertificateAuthority::create_root(const Subject& subject,
                                                                     core::TimePoint not_before,
                                                                     core::TimePoint not_after) {
  const detail::ErrorQueueGuard clean_error_queue;
  auto issued = issue(ca_blueprint(subject, not_before, not_after, true), nullptr, nullptr);
  if (!issued) return core::Unexpected(issued.error());
  return CertificateAuthority(std::move(issued->certificate_pem),
                              std::move(issued->private_key_pem));
}

core::Result<CertificateAuthority> CertificateAuthority::load(std::string certificate_pem,
                                                              std::string private_key_pem) {
  const detail::ErrorQueueGuard clean_error_queue;
  auto cert = detail::parse_certificate(certificate_pem);
  if (!cert) return core::Unexpected(cert.error());
  auto key = detail::parse_private_key(private_key_pem);
  if (!key) return core::Unexpected(key.error());
  if (X509_check_private_key(cert->get(), key->get()) != 1)
    return detail::fail(Errc::InvalidInput, "the CA key does not belong to the CA certificate");
  return CertificateAuthority(std::move(certificate_pem), std::move(private_key_pem));
}

core::Result<CertificateAuthority>
CertificateAuthority::issue_intermediate(const Subject& subject, core::TimePoint not_before,
                                         core::TimePoint not_after) const {
  const detail::ErrorQueueGuard clean_error_queue;
  auto issued = issue_signed_by(ca_blueprint(subject, not_before, not_after, false),
                                certificate_pem_, private_key_pem_);
  if (!issued) return core::Unexpected(issued.error());
  return CertificateAuthority(std::move(issued->certificate_pem),
                              std::move(issued->private_key_pem));
}

core::Result<IssuedCertificate>
CertificateAuthority::issue_provider(const ProviderCertificateSpec& spec) const {
  const detail::ErrorQueueGuard clean_error_queue;
  auto bp = provider_blueprint(spec);
  if (!bp) return core::Unexpected(bp.error());
  return issue_signed_by(*bp, certificate_pem_, private_key_pem_);
}

core::Result<std::string>
CertificateAuthority::issue_provider_for_key(const ProviderCertificateSpec& spec,
                                             std::string_view public_key_pem) const {
  const detail::ErrorQueueGuard clean_error_queue;
  auto holder_key = detail::parse_public_key(public_key_pem);
  if (!holder_key) return core::Unexpected(holder_key.error());
  auto bp = provider_blueprint(spec);
  if (!bp) return core::Unexpected(bp.error());
  auto issued = issue_signed_by(*bp, certificate_pem_, private_key_pem_, holder_key->get());
  if (!issued) return core::Unexpected(issued.error());
  return std::move(issued->certificate_pem);
}

core::Result<IssuedCertificate>
CertificateAuthority::issue_server(const std::vector<std::string>& names,
                                   core::TimePoint not_before, core::TimePoint not_after) const {
  const detail::ErrorQueueGuard clean_error_queue;
  if (names.empty())
    return core::fail(Errc::InvalidInput, "a server certificate needs at least one name");
  std::string san;
  for (const auto& n : names) {
    if (n.empty() || n.find(',') != std::string::npos)
      return core::fail(Errc::InvalidInput, "bad server name '" + n + "'");
    // OpenSSL's own parser decides what is an IP literal (v4 or v6).
    ASN1_OCTET_STRING* ip = a2i_IPADDRESS(n.c_str());
    const bool is_ip = ip != nullptr;
    ASN1_OCTET_STRING_free(ip);
    if (!san.empty()) san += ",";
    san += (is_ip ? "IP:" : "DNS:") + n;
  }
  detail::take_openssl_errors(); // a2i_IPADDRESS queues an error for every DNS name
  Blueprint bp{{{"CN", names.front()}, {"O", "voipsim mock APNs"}, {"C", "US"}},
               KeyType::EcP256,
               not_before,
               not_after,
               {{NID_basic_constraints, "CA:FALSE"},
                {NID_key_usage, "critical,digitalSignature"},
                {NID_ext_key_usage, "serverAuth"},
                {NID_subject_alt_name, san},
                {NID_subject_key_identifier, "hash"},
                {NID_authority_key_identifier, "keyid:always"}},
               {}};
  return issue_signed_by(bp, certificate_pem_, private_key_pem_);
}

std::vector<std::string> default_server_names() {
  return {"localhost",
          "127.0.0.1",
          "::1",
          "api.sandbox.push.apple.com",
          "api.development.push.apple.com",
          "api.push.apple.com"};
}

} // namespace pki
