#pragma once
// manifest.json, the description `voipsim certs` writes beside a credential set and the mock's
// --pki reads back (mock_apns/pki_dir.cpp): one type, written and read here, its owner.

#include "core/apns_environment.hpp"
#include "core/result.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json_fwd.hpp>

namespace pki {

// What a provider certificate of the set contains, read back from the certificate itself.
struct ManifestCertificate {
  std::string kind; // kind_name(): "voip-services", ...
  std::string subject_common_name;
  std::string subject_uid;
  std::vector<core::ApnsEnvironment> environments; // written "sandbox", "production"
  std::vector<std::string> topics;
  std::int64_t not_before = 0; // Unix seconds
  std::int64_t not_after = 0;
};

struct ManifestFile {
  std::string file;        // name inside the folder
  std::string role;        // stable machine-readable role, e.g. "voip-services-p12"
  std::string description; // for people
  bool secret = false;
  std::optional<ManifestCertificate> certificate; // provider certificates only
};

struct CredentialManifest {
  std::string generator = "voipsim certs";
  std::string bundle_id;
  std::string team_id;
  std::string key_id;
  std::int64_t generated_at = 0; // Unix seconds
  std::vector<ManifestFile> files;
};

nlohmann::json to_json(const CredentialManifest& manifest);
// Reads what to_json writes; every field is required ("certificate" only for provider
// certificates), an unknown one is an error naming it.
core::Result<CredentialManifest> credential_manifest_from_json(const nlohmann::json& json);

} // namespace pki
