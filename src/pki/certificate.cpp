#include "pki/certificate.hpp"

#include "core/names.hpp"

#include <algorithm>
#include <cctype>

namespace pki {
namespace {

// Stable names for files, manifests, scenarios and messages.
constexpr core::Names<CertificateKind, 6> kCertificateKindNames{{
    {CertificateKind::ApnsDevelopment, "apns-development"},
    {CertificateKind::ApnsProduction, "apns-production"},
    {CertificateKind::ApplePushServices, "apple-push-services"},
    {CertificateKind::VoipServices, "voip-services"},
    {CertificateKind::PlainClient, "plain-client"},
    {CertificateKind::Other, "other"},
}};

// The subject CN before the bundle id (apns-provider-api.md §7.3); none for the last two.
constexpr core::Names<CertificateKind, 6> kCommonNamePrefixes{{
    {CertificateKind::ApnsDevelopment, "Apple Development IOS Push Services: "},
    {CertificateKind::ApnsProduction, "Apple Production IOS Push Services: "},
    {CertificateKind::ApplePushServices, "Apple Push Services: "},
    {CertificateKind::VoipServices, "VoIP Services: "},
    {CertificateKind::PlainClient, ""},
    {CertificateKind::Other, ""},
}};

} // namespace

bool is_apple_id(std::string_view id) {
  return id.size() == 10 && std::all_of(id.begin(), id.end(), [](unsigned char c) {
           return std::isdigit(c) || std::isupper(c);
         });
}

bool is_bundle_id(std::string_view id) {
  return !id.empty() && id.size() <= 155 && std::all_of(id.begin(), id.end(), [](unsigned char c) {
    return std::isalnum(c) || c == '.' || c == '-';
  });
}

std::string_view kind_name(CertificateKind kind) {
  return core::name_of(kCertificateKindNames, kind);
}

std::optional<CertificateKind> parse_certificate_kind(std::string_view name) {
  return core::value_named(kCertificateKindNames, name);
}

std::string certificate_kind_words() {
  return core::words_of(kCertificateKindNames);
}

std::string_view common_name_prefix(CertificateKind kind) {
  return core::name_of(kCommonNamePrefixes, kind);
}

} // namespace pki
