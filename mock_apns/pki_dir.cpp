#include "mock_apns/pki_dir.hpp"

#include "core/error.hpp"
#include "core/file.hpp"
#include "pki/credential_set.hpp"
#include "pki/provider_token.hpp"

#include <cstdlib>

#include <nlohmann/json.hpp>

namespace mock_apns {
namespace {} // namespace

core::Result<PkiDir> load_pki_dir(const std::filesystem::path& dir) {
  const auto manifest_path = dir / "manifest.json";
  auto text = core::read_file(manifest_path);
  if (!text) {
    return core::fail(core::Errc::InvalidArgument,
                      "cannot read " + manifest_path.string() +
                          ": is it a folder written by 'voipsim certs'?");
  }
  const auto manifest = nlohmann::json::parse(*text, nullptr, false);
  if (!manifest.is_object() || !manifest.value("team_id", nlohmann::json()).is_string() ||
      !manifest.value("key_id", nlohmann::json()).is_string() ||
      !manifest.value("bundle_id", nlohmann::json()).is_string()) {
    return core::fail(core::Errc::InvalidArgument,
                      manifest_path.string() + " lacks team_id, key_id or bundle_id");
  }
  PkiDir pki;
  pki.dir = dir;
  pki.team_id = manifest["team_id"];
  pki.bundle_id = manifest["bundle_id"];
  pki.server_certificate_file = (dir / "server.pem").string();
  pki.server_key_file = (dir / "server.key").string();
  pki.ca_bundle_file = (dir / "ca-bundle.pem").string();
  for (const auto& file : {pki.server_certificate_file, pki.server_key_file, pki.ca_bundle_file}) {
    if (!std::filesystem::is_regular_file(file)) {
      return core::fail(core::Errc::InvalidArgument, file + " is missing");
    }
  }
  pki.key.key_id = manifest["key_id"];
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
  const char* base = std::getenv("TMPDIR");
  std::string pattern = std::string(base && *base ? base : "/tmp") + "/voipsim-mock-XXXXXX";
  if (mkdtemp(pattern.data()) == nullptr) {
    return core::fail(core::Errc::InvalidArgument,
                      "cannot create a temporary folder like " + pattern);
  }
  auto pki = make_pki_dir(pattern, now, p12_password, validity);
  if (!pki) {
    std::error_code ignored;
    std::filesystem::remove_all(pattern, ignored);
  }
  return pki;
}

core::Result<std::string> provider_token(const PkiDir& pki, core::TimePoint issued_at) {
  auto key = core::read_file(pki.dir / ("AuthKey_" + pki.key.key_id + ".p8"));
  if (!key) {
    return core::fail(key.error().code, key.error().detail);
  }
  return pki::make_provider_token(*key, pki.key.key_id, pki.team_id, issued_at);
}

core::Result<void> register_pki_dir(const PkiDir& pki, ProviderKeys& keys) {
  if (auto added = keys.add(pki.key); !added) {
    return added;
  }
  return keys.add_bundle(pki.team_id, pki.bundle_id);
}

} // namespace mock_apns
