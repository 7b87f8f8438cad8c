#pragma once
// A folder written by `voipsim certs` as the mock uses it: its CA bundle to trust provider
// certificates, its server certificate, and its provider token key and team (issue #4, --pki).
#include "core/clock.hpp"
#include "core/result.hpp"
#include "mock_apns/provider_keys.hpp"
#include "pki/certificate_authority.hpp"

#include <chrono>
#include <filesystem>
#include <optional>
#include <string>

namespace mock_apns {

struct ServerOptions;

struct PkiDir {
  std::filesystem::path dir;
  std::string server_certificate_file; // server.pem
  std::string server_key_file;         // server.key
  std::string ca_bundle_file;          // ca-bundle.pem
  std::string bundle_id;               // the app the set was made for
  std::string team_id;
  ProviderKeySpec key; // the .p8's public half, a team key valid in both environments
};

// Reads manifest.json and the files it names; errors say which file is missing or wrong.
core::Result<PkiDir> load_pki_dir(const std::filesystem::path& dir);

// Writes a fresh set into `dir` (for com.example.imapp, team TEAMA12345, key KB00000001, the
// .p12 files protected by `p12_password`), valid from an hour before `now` for `validity`, and
// loads it.
core::Result<PkiDir> make_pki_dir(const std::filesystem::path& dir, core::TimePoint now,
                                  const std::string& p12_password,
                                  std::chrono::hours validity = std::chrono::hours(24 * 365));

// make_pki_dir into a fresh folder under $TMPDIR (voipsim-mock-XXXXXX); the caller removes
// `dir` when done. The folder's `owner` file names this process; each call first removes the
// folders whose owner no longer runs (a mock that was killed or crashed leaves its keys behind
// only until the next one starts).
core::Result<PkiDir> make_temporary_pki_dir(core::TimePoint now, const std::string& p12_password,
                                            std::chrono::hours validity = std::chrono::hours(24 *
                                                                                             365));

// The folder's fake WWDR CA (wwdr-ca.pem and wwdr-ca.key), which issues provider certificates
// as the developer portal does; the error names the missing file.
core::Result<pki::CertificateAuthority> load_wwdr_ca(const PkiDir& pki);

// What a provider token says besides its time, when not the folder's own (a token the mock must
// refuse, say: another kid or team).
struct TokenClaims {
  std::optional<std::string> key_id;  // the header's kid; default the folder's key
  std::optional<std::string> team_id; // the iss claim; default the folder's team
};
// A provider token (JWT) signed with the folder's .p8 key, issued at `issued_at`.
core::Result<std::string> provider_token(const PkiDir& pki, core::TimePoint issued_at,
                                         const TokenClaims& claims = {});

// The folder's TLS files as the mock's: its server certificate and key, and the CA bundle client
// certificates must chain to.
void use_tls_files(const PkiDir& pki, ServerOptions& options);

// Registers the key and the team's bundle id with a running or starting mock.
core::Result<void> register_pki_dir(const PkiDir& pki, ProviderKeys& keys);

} // namespace mock_apns
