#include "pki/classify.hpp"

#include "core/kept_results.hpp"
#include "pki/apple_extensions.hpp"
#include "pki/openssl_util.hpp"

#include <openssl/pem.h>

namespace pki {
namespace {

using detail::X509Ptr;

constexpr CertificateKind kPrefixedKinds[] = {
    CertificateKind::ApnsDevelopment, CertificateKind::ApnsProduction,
    CertificateKind::ApplePushServices, CertificateKind::VoipServices};

// The DER value of extension `oid`, or nullopt when the certificate lacks it.
std::optional<std::string> extension_value(X509* cert, const char* oid) {
  std::unique_ptr<ASN1_OBJECT, detail::Deleter<ASN1_OBJECT_free>> obj(OBJ_txt2obj(oid, 1));
  const int index = obj ? X509_get_ext_by_OBJ(cert, obj.get(), -1) : -1;
  if (index < 0) return std::nullopt;
  const ASN1_OCTET_STRING* value = X509_EXTENSION_get_data(X509_get_ext(cert, index));
  return std::string(reinterpret_cast<const char*>(ASN1_STRING_get0_data(value)),
                     static_cast<std::size_t>(ASN1_STRING_length(value)));
}

core::Result<ProviderIdentity> read_fields(X509* cert) {
  ProviderIdentity id;
  X509_NAME* subject = X509_get_subject_name(cert);
  id.common_name = detail::name_entry(subject, NID_commonName);
  id.uid = detail::name_entry(subject, NID_userId);
  id.team_id = detail::name_entry(subject, NID_organizationalUnitName);
  id.development = extension_value(cert, kOidDevelopment).has_value();
  id.production = extension_value(cert, kOidProduction).has_value();
  id.not_before = detail::to_time_point(X509_get0_notBefore(cert));
  id.not_after = detail::to_time_point(X509_get0_notAfter(cert));
  if (!id.development && !id.production && id.uid.empty())
    return core::fail(Errc::NotAppleShaped,
                      "certificate '" + id.common_name +
                          "' has no APNs environment extension and no subject UID");

  for (CertificateKind kind : kPrefixedKinds) {
    const std::string_view prefix = common_name_prefix(kind);
    if (std::string_view(id.common_name).substr(0, prefix.size()) == prefix) {
      id.kind = kind;
      id.bundle_id = id.common_name.substr(prefix.size());
      break;
    }
  }
  if (id.bundle_id.empty()) {
    id.bundle_id = id.uid;
    if (id.bundle_id.size() > 5 && id.bundle_id.ends_with(".voip"))
      id.bundle_id.resize(id.bundle_id.size() - 5);
  }

  // Allowed topics (apns-provider-api.md §7.4): the .6.3.6 list, else the .6.3.4 list, else the
  // UID.
  if (auto topics = extension_value(cert, kOidTopics)) {
    auto entries = decode_topics_extension(*topics);
    if (!entries) return core::Unexpected(entries.error());
    for (auto& e : *entries)
      id.topics.push_back(std::move(e.topic));
    if (id.topics.empty()) return core::fail(Errc::Malformed, "topics extension lists no topic");
  } else if (auto voip = extension_value(cert, kOidVoipTopics)) {
    auto text = decode_utf8_string(*voip);
    if (!text) return core::Unexpected(text.error());
    id.topics = split_topic_list(*text);
    if (id.topics.empty())
      return core::fail(Errc::Malformed, "VoIP topics extension lists no topic");
  } else if (!id.uid.empty()) {
    id.topics = {id.uid};
  }
  return id;
}

core::Unexpected<core::Error> verify_failure(int error, const std::string& common_name) {
  const std::string why = X509_verify_cert_error_string(error);
  switch (error) {
  case X509_V_ERR_CERT_HAS_EXPIRED:
    return core::fail(Errc::Expired, "certificate '" + common_name + "': " + why);
  case X509_V_ERR_CERT_NOT_YET_VALID:
    return core::fail(Errc::NotYetValid, "certificate '" + common_name + "': " + why);
  default:
    return core::fail(Errc::UntrustedIssuer, "certificate '" + common_name + "': " + why);
  }
}

} // namespace

core::Result<TrustStore> TrustStore::from_pem(std::string_view pem_bundle) {
  // The last bundle read, by its text: every pipeline a scenario run opens reads the run's one
  // CA bundle, and OpenSSL 3 decodes each certificate's key through its provider decoders. A
  // store is immutable once made, so the same one serves them all.
  // Never destroyed: OpenSSL's own exit handler may run before static destructors would.
  static auto* last = new core::KeptResults<TrustStore>(1);
  const std::string text(pem_bundle);
  if (auto earlier = last->find(text)) return *earlier;
  auto made = read_bundle(pem_bundle);
  if (made) last->keep(text, *made);
  return made;
}

core::Result<TrustStore> TrustStore::read_bundle(std::string_view pem_bundle) {
  const detail::ErrorQueueGuard clean_error_queue;
  std::shared_ptr<x509_store_st> store(X509_STORE_new(), X509_STORE_free);
  if (!store) return detail::fail(Errc::CryptoFailure, "out of memory");
  auto bio = detail::memory_bio(pem_bundle);
  int added = 0;
  if (!bio) return core::fail(Errc::Malformed, "CA bundle larger than 1 MiB");
  while (X509Ptr cert{PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr)}) {
    // The extension cache is filled at a certificate's first use and read later without a
    // lock: filled here, before the store is shared by checks on several threads.
    X509_check_purpose(cert.get(), -1, 0);
    if (X509_STORE_add_cert(store.get(), cert.get()) != 1)
      return detail::fail(Errc::CryptoFailure, "cannot add CA certificate");
    ++added;
  }
  // The read that ends the loop queues "no start line"; anything else is a damaged certificate,
  // and a half-loaded bundle would trust less than the file says.
  const unsigned long last = ERR_peek_last_error();
  if (last != 0 && ERR_GET_REASON(last) != PEM_R_NO_START_LINE)
    return detail::fail(Errc::Malformed, "certificate " + std::to_string(added + 1) +
                                             " of the CA bundle is damaged");
  if (added == 0) return core::fail(Errc::Malformed, "no PEM certificate in the CA bundle");
  X509_STORE_set_flags(store.get(), X509_V_FLAG_PARTIAL_CHAIN);
  return TrustStore(std::move(store));
}

core::Result<ProviderIdentity> classify_certificate(std::string_view certificate,
                                                    const TrustStore& trust, core::TimePoint now) {
  const detail::ErrorQueueGuard clean_error_queue;
  auto cert = detail::parse_certificate(certificate);
  if (!cert) return core::Unexpected(cert.error());
  X509_NAME* subject = X509_get_subject_name(cert->get());
  const std::string common_name = detail::name_entry(subject, NID_commonName);

  detail::StoreCtxPtr ctx(X509_STORE_CTX_new());
  if (!ctx || X509_STORE_CTX_init(ctx.get(), trust.native(), cert->get(), nullptr) != 1)
    return detail::fail(Errc::CryptoFailure, "cannot start chain verification");
  // Validity is judged at the caller's clock (virtual in replays), not the machine's.
  X509_STORE_CTX_set_time(ctx.get(), 0, static_cast<time_t>(core::unix_seconds(now)));
  if (X509_verify_cert(ctx.get()) != 1) {
    const int error = X509_STORE_CTX_get_error(ctx.get());
    detail::take_openssl_errors();
    return verify_failure(error, common_name);
  }
  return read_fields(cert->get());
}

core::Result<std::string> certificate_pem_to_der(std::string_view pem) {
  const detail::ErrorQueueGuard clean_error_queue;
  auto cert = detail::parse_certificate(pem);
  if (!cert) return core::Unexpected(cert.error());
  return detail::certificate_der(cert->get());
}

core::Result<ProviderIdentity> read_provider_identity(std::string_view certificate) {
  const detail::ErrorQueueGuard clean_error_queue;
  auto cert = detail::parse_certificate(certificate);
  if (!cert) return core::Unexpected(cert.error());
  return read_fields(cert->get());
}

} // namespace pki
