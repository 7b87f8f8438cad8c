// Spec: docs/spec/apns-provider-api.md
#include "pki/developer_portal.hpp"

#include "core/names.hpp"
#include "pki/certificate_request.hpp"
#include "pki/openssl_util.hpp"

#include <algorithm>
#include <array>
#include <chrono>
#include <iterator>

namespace pki {
namespace {

constexpr CertificateKind kPortalKinds[] = {
    CertificateKind::VoipServices, CertificateKind::ApnsDevelopment,
    CertificateKind::ApnsProduction, CertificateKind::ApplePushServices};

// Apple issues push certificates for a year (§7.1).
constexpr std::chrono::hours kValidity{24 * 365};

bool is_portal_kind(CertificateKind kind) {
  return std::find(std::begin(kPortalKinds), std::end(kPortalKinds), kind) !=
         std::end(kPortalKinds);
}

} // namespace

std::optional<CertificateKind> portal_kind(std::string_view name) {
  const auto kind = parse_certificate_kind(name);
  if (kind && is_portal_kind(*kind)) return kind;
  return std::nullopt;
}

std::string portal_kind_words() {
  std::array<std::string_view, std::size(kPortalKinds)> words;
  for (std::size_t i = 0; i < words.size(); ++i)
    words[i] = kind_name(kPortalKinds[i]);
  return core::or_list(words);
}

std::string_view download_name(CertificateKind kind) {
  switch (kind) {
  case CertificateKind::VoipServices:
    return "voip_services.cer";
  case CertificateKind::ApnsDevelopment:
    return "aps_development.cer";
  case CertificateKind::ApnsProduction:
    return "aps.cer";
  case CertificateKind::ApplePushServices:
    // Apple names this one aps.cer too; a name of its own keeps it from replacing the
    // production certificate when both are issued into one folder.
    return "aps_sandbox_production.cer";
  case CertificateKind::PlainClient:
  case CertificateKind::Other:
    return "certificate.cer";
  }
  return "certificate.cer";
}

core::Result<std::string> issue_from_csr(const CertificateAuthority& wwdr,
                                         const PortalOrder& order) {
  if (!is_portal_kind(order.kind))
    return core::fail(Errc::InvalidInput, "the portal does not issue '" +
                                              std::string(kind_name(order.kind)) +
                                              "' certificates");
  auto request = read_certificate_request(order.csr);
  if (!request) return core::Unexpected(request.error());
  ProviderCertificateSpec spec;
  spec.kind = order.kind;
  spec.bundle_id = order.bundle_id;
  spec.team_id = order.team_id;
  spec.not_before = order.now;
  spec.not_after = order.now + kValidity;
  auto pem = wwdr.issue_provider_for_key(spec, request->public_key_pem);
  if (!pem) return core::Unexpected(pem.error());
  const detail::ErrorQueueGuard clean_error_queue;
  auto cert = detail::parse_certificate(*pem);
  if (!cert) return core::Unexpected(cert.error());
  return detail::certificate_der(cert->get());
}

} // namespace pki
