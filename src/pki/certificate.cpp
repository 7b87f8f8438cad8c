#include "pki/certificate.hpp"

#include <algorithm>
#include <cctype>

namespace pki {

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
  switch (kind) {
  case CertificateKind::ApnsDevelopment:
    return "apns-development";
  case CertificateKind::ApnsProduction:
    return "apns-production";
  case CertificateKind::ApplePushServices:
    return "apple-push-services";
  case CertificateKind::VoipServices:
    return "voip-services";
  case CertificateKind::PlainClient:
    return "plain-client";
  case CertificateKind::Other:
    return "other";
  }
  return "other";
}

std::string_view common_name_prefix(CertificateKind kind) {
  switch (kind) {
  case CertificateKind::ApnsDevelopment:
    return "Apple Development IOS Push Services: ";
  case CertificateKind::ApnsProduction:
    return "Apple Production IOS Push Services: ";
  case CertificateKind::ApplePushServices:
    return "Apple Push Services: ";
  case CertificateKind::VoipServices:
    return "VoIP Services: ";
  case CertificateKind::PlainClient:
  case CertificateKind::Other:
    return "";
  }
  return "";
}

} // namespace pki
