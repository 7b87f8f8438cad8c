#include "mock_apns/pki_dir.hpp"

#include "core/error.hpp"
#include "core/file.hpp"
#include "core/json_parse.hpp"
#include "core/parse_number.hpp"
#include "mock_apns/server.hpp"
#include "pki/credential_manifest.hpp"
#include "pki/credential_set.hpp"
#include "pki/provider_token.hpp"

#include <cerrno>
#include <cstdlib>
#include <fstream>
#include <sstream>

#include <nlohmann/json.hpp>
#include <signal.h>
#include <unistd.h>

namespace mock_apns {
namespace {

constexpr const char* kTemporaryPrefix = "voipsim-mock-";
constexpr const char* kOwnerFile = "owner"; // "<pid> <start time>" of the process that made it

// The kernel's start time of process `pid` (field 22 of /proc/PID/stat, in clock ticks since
// boot), which tells a live owner from a later process that reuses its pid. Empty when there
// is no such process.
std::string start_time_of(pid_t pid) {
  std::ifstream stat("/proc/" + std::to_string(pid) + "/stat");
  std::string text((std::istreambuf_iterator<char>(stat)), std::istreambuf_iterator<char>());
  // The command name (field 2) is in parentheses and may hold spaces: count after its end.
  const auto close = text.rfind(')');
  if (close == std::string::npos) return {};
  std::istringstream fields(text.substr(close + 2));
  std::string field;
  for (int i = 3; i <= 22 && fields >> field; ++i) {
    if (i == 22) return field;
  }
  return {};
}

std::string owner_of_this_process() {
  return std::to_string(getpid()) + " " + start_time_of(getpid());
}

// True when the folder's owner file names a process that no longer runs. A folder without one
// (being made right now, or made before owners were recorded) is left alone.
bool owner_is_gone(const std::filesystem::path& dir) {
  const auto text = core::read_file(dir / kOwnerFile);
  if (!text) return false;
  // One line, "<pid> <start time>\n", as make_temporary_dir writes it.
  const std::string_view owner = std::string_view(*text).substr(0, text->find('\n'));
  const auto space = owner.find(' ');
  if (space == std::string_view::npos) return false;
  const auto pid = core::parse_whole<pid_t>(owner.substr(0, space));
  if (!pid || *pid <= 0) return false;
  const std::string_view started = owner.substr(space + 1);
  if (kill(*pid, 0) != 0 && errno == ESRCH) return true;
  const std::string now = start_time_of(*pid);
  return !now.empty() && now != started;
}

// Removes the temporary folders (private keys included) of mocks that ended without removing
// their own: killed, or crashed.
void remove_orphaned_temporary_dirs(const std::filesystem::path& base) {
  std::error_code ec;
  for (const auto& entry : std::filesystem::directory_iterator(base, ec)) {
    const std::string name = entry.path().filename().string();
    if (!name.starts_with(kTemporaryPrefix) || !entry.is_directory(ec)) continue;
    if (owner_is_gone(entry.path())) std::filesystem::remove_all(entry.path(), ec);
  }
}

} // namespace

core::Result<PkiDir> load_pki_dir(const std::filesystem::path& dir) {
  const auto manifest_path = dir / "manifest.json";
  auto text = core::read_file(manifest_path);
  if (!text) {
    return core::fail(core::Errc::InvalidArgument,
                      "cannot read " + manifest_path.string() +
                          ": is it a folder written by 'voipsim certs'?");
  }
  const auto parsed = core::parse_json(*text);
  if (!parsed)
    return core::fail(core::Errc::InvalidArgument,
                      manifest_path.string() + " is " + parsed.error().detail);
  // Read by pki's own reader, the one beside the writer `voipsim certs` uses.
  const auto manifest = pki::credential_manifest_from_json(*parsed);
  if (!manifest)
    return core::fail(core::Errc::InvalidArgument,
                      manifest_path.string() +
                          " is not a manifest 'voipsim certs' wrote: " + manifest.error().detail);
  PkiDir pki;
  pki.team_id = manifest->team_id;
  pki.key.key_id = manifest->key_id;
  pki.bundle_id = manifest->bundle_id;
  pki.dir = dir;
  pki.server_certificate_file = (dir / "server.pem").string();
  pki.server_key_file = (dir / "server.key").string();
  pki.ca_bundle_file = (dir / "ca-bundle.pem").string();
  for (const auto& file : {pki.server_certificate_file, pki.server_key_file, pki.ca_bundle_file}) {
    if (!std::filesystem::is_regular_file(file)) {
      return core::fail(core::Errc::InvalidArgument, file + " is missing");
    }
  }
  pki.key.team_id = pki.team_id;
  const auto key_file = dir / ("AuthKey_" + pki.key.key_id + ".pub.pem");
  auto key = core::read_file(key_file);
  if (!key) {
    return core::fail(core::Errc::InvalidArgument, key.error().detail);
  }
  pki.key.public_key_pem = std::move(*key);
  return pki;
}

core::Result<PkiDir> make_pki_dir(const std::filesystem::path& dir, core::TimePoint now,
                                  const std::string& p12_password, std::chrono::hours validity) {
  pki::CredentialSetOptions options{"com.example.imapp", "TEAMA12345", "KB00000001",
                                    p12_password,        now,          validity};
  auto files = pki::make_credential_set(options);
  if (!files) {
    return core::fail(files.error().code, files.error().detail);
  }
  auto written =
      pki::write_credential_set(*files, pki::credential_manifest(*files, options), dir, false);
  if (!written) {
    return core::fail(written.error().code, written.error().detail);
  }
  return load_pki_dir(dir);
}

core::Result<PkiDir> make_temporary_pki_dir(core::TimePoint now, const std::string& p12_password,
                                            std::chrono::hours validity) {
  const char* tmpdir = std::getenv("TMPDIR");
  const std::string base = tmpdir && *tmpdir ? tmpdir : "/tmp";
  remove_orphaned_temporary_dirs(base);
  std::string pattern = base + "/" + kTemporaryPrefix + "XXXXXX";
  if (mkdtemp(pattern.data()) == nullptr) {
    return core::fail(core::Errc::InvalidArgument,
                      "cannot create a temporary folder like " + pattern);
  }
  std::ofstream(std::filesystem::path(pattern) / kOwnerFile) << owner_of_this_process() << "\n";
  auto pki = make_pki_dir(pattern, now, p12_password, validity);
  if (!pki) {
    std::error_code ignored;
    std::filesystem::remove_all(pattern, ignored);
  }
  return pki;
}

core::Result<pki::CertificateAuthority> load_wwdr_ca(const PkiDir& pki) {
  auto certificate = core::read_file(pki.dir / "wwdr-ca.pem");
  auto key = core::read_file(pki.dir / "wwdr-ca.key");
  if (!certificate || !key)
    return core::fail(core::Errc::InvalidArgument,
                      (pki.dir / (certificate ? "wwdr-ca.key" : "wwdr-ca.pem")).string() +
                          " is missing or unreadable: the portal signs with the folder's WWDR CA");
  return pki::CertificateAuthority::load(std::move(*certificate), std::move(*key));
}

core::Result<std::string> provider_token(const PkiDir& pki, core::TimePoint issued_at,
                                         const TokenClaims& claims) {
  auto key = core::read_file(pki.dir / ("AuthKey_" + pki.key.key_id + ".p8"));
  if (!key) {
    return core::fail(key.error().code, key.error().detail);
  }
  return pki::make_provider_token(*key, claims.key_id.value_or(pki.key.key_id),
                                  claims.team_id.value_or(pki.team_id), issued_at);
}

void use_tls_files(const PkiDir& pki, ServerOptions& options) {
  options.certificate_chain_file = pki.server_certificate_file;
  options.private_key_file = pki.server_key_file;
  options.client_ca_file = pki.ca_bundle_file;
}

core::Result<void> register_pki_dir(const PkiDir& pki, ProviderKeys& keys) {
  if (auto added = keys.add(pki.key); !added) {
    return added;
  }
  return keys.add_bundle(pki.team_id, pki.bundle_id);
}

} // namespace mock_apns
