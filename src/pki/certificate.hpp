#pragma once
// Apple push certificates as voipsim issues and reads them (spec apns-provider-api.md §7).

#include "core/clock.hpp"
#include "pki/keys.hpp"

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace pki {

enum class CertificateKind {
  ApnsDevelopment,   // "Apple Development IOS Push Services: <bundle>"; sandbox only (.6.3.1)
  ApnsProduction,    // "Apple Production IOS Push Services: <bundle>"; production only (.6.3.2)
  ApplePushServices, // "Apple Push Services: <bundle>"; both; topics in .6.3.6
  VoipServices,      // "VoIP Services: <bundle>"; both; VoIP topic in .6.3.4, UID <bundle>.voip
  PlainClient,       // no Apple fields at all: APNs answers such a certificate with BadCertificate
  Other,             // read back only: Apple fields, but a subject CN of no kind above
};

// Apple's team ids and key ids: exactly 10 upper-case letters or digits.
bool is_apple_id(std::string_view id);
// A bundle id as the portal accepts it: letters, digits, '.' and '-', at most 155 characters.
bool is_bundle_id(std::string_view id);

// Stable lower-case name for files, manifests and messages ("voip-services").
std::string_view kind_name(CertificateKind kind);
std::optional<CertificateKind> parse_certificate_kind(std::string_view name); // by kind_name()
std::string certificate_kind_words(); // "apns-development, apns-production, ... or other"
// The subject CN before the bundle id ("VoIP Services: "); empty for PlainClient and Other.
std::string_view common_name_prefix(CertificateKind kind);

struct ProviderCertificateSpec {
  CertificateKind kind = CertificateKind::VoipServices;
  std::string bundle_id;                             // e.g. com.example.imapp
  std::string team_id;                               // subject OU, 10 characters
  std::string organization = "voipsim Example Inc."; // subject O
  core::TimePoint not_before;
  core::TimePoint not_after;
  KeyType key_type = KeyType::Rsa2048;
};

// What a client certificate allows, read from its fields (apns-provider-api.md §7.2–§7.4).
struct ProviderIdentity {
  CertificateKind kind = CertificateKind::Other;
  bool development = false; // .6.3.1: may connect to the sandbox
  bool production = false;  // .6.3.2: may connect to production
  std::string bundle_id;    // CN suffix, else UID without ".voip"
  std::string uid;          // subject UID: the default topic
  std::string team_id;      // subject OU
  std::string common_name;
  // Exactly the topics it may push to: the .6.3.6 list, else the .6.3.4 list, else the UID.
  std::vector<std::string> topics;
  core::TimePoint not_before;
  core::TimePoint not_after;
};

} // namespace pki
