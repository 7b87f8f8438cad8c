#pragma once
// Everything a team needs to run voipsim with certificates: a fake Apple root and WWDR CA, the
// mock's server certificate, one provider certificate of each kind (PEM, key, .p12), the FAQ's
// broken ones (a .p12 without password, an expired VoIP certificate, a non-Apple client
// certificate) and a provider token key (.p8), described by a manifest.json.

#include "core/clock.hpp"
#include "core/result.hpp"

#include <chrono>
#include <filesystem>
#include <string>
#include <vector>

namespace pki {

struct CredentialSetOptions {
  std::string bundle_id;    // e.g. com.example.imapp
  std::string team_id;      // 10 characters, upper-case letters and digits
  std::string key_id;       // 10 characters: the provider token key's id
  std::string p12_password; // protects every .p12 but the deliberately password-less one
  core::TimePoint now;      // certificates are valid from an hour before this
  std::chrono::hours validity{24 * 365};
};

struct CredentialFile {
  std::string name;        // file name inside the output directory
  std::string role;        // stable machine-readable role, e.g. "voip-services-p12"
  std::string description; // what it is for, for people
  std::string contents;    // the bytes to write
  bool secret = false;     // private key or .p12: written readable by the owner only
};

// Makes every file in memory (keys are generated, so two calls differ).
core::Result<std::vector<CredentialFile>> make_credential_set(const CredentialSetOptions& options);

// manifest.json: the options (never the password), and per file its role, description and,
// for certificates, kind, environments, topics and validity read back from the file itself.
std::string credential_manifest(const std::vector<CredentialFile>& files,
                                const CredentialSetOptions& options);

// Writes `files` plus manifest.json into `dir` (created if missing). Without `force`, refuses
// when any of those files exists, naming them; nothing is written then.
core::Result<std::vector<std::filesystem::path>>
write_credential_set(const std::vector<CredentialFile>& files, const std::string& manifest,
                     const std::filesystem::path& dir, bool force);

} // namespace pki
