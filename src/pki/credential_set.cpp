#include "pki/credential_set.hpp"

#include "core/encoding.hpp"
#include "pki/certificate_authority.hpp"
#include "pki/classify.hpp"
#include "pki/credential_manifest.hpp"
#include "pki/error.hpp"
#include "pki/keys.hpp"
#include "pki/pkcs12.hpp"

#include <cerrno>
#include <cstring>
#include <future>
#include <optional>

#include <fcntl.h>
#include <nlohmann/json.hpp>
#include <sys/stat.h>
#include <unistd.h>

namespace pki {
namespace {

using std::chrono::hours;

constexpr CertificateKind kProviderKinds[] = {
    CertificateKind::ApnsDevelopment, CertificateKind::ApnsProduction,
    CertificateKind::ApplePushServices, CertificateKind::VoipServices};

std::string kind_description(CertificateKind kind) {
  switch (kind) {
  case CertificateKind::ApnsDevelopment:
    return "legacy APNs development certificate (sandbox only)";
  case CertificateKind::ApnsProduction:
    return "legacy APNs production certificate (production only)";
  case CertificateKind::ApplePushServices:
    return "Apple Push Services certificate (both environments; topics app, .voip, .complication)";
  case CertificateKind::VoipServices:
    return "VoIP Services certificate (both environments; topic <bundle>.voip): the one the IM "
           "console takes";
  default:
    return "client certificate";
  }
}

// Adds name.pem, name.key and, with a password, name.p12 and name-legacy.p12 for one issued
// certificate.
core::Result<void> add_provider_files(std::vector<CredentialFile>& files, const std::string& name,
                                      const std::string& what, const IssuedCertificate& issued,
                                      const std::string& chain_pem, const std::string* password) {
  files.push_back({name + ".pem", name + "-certificate", what, issued.certificate_pem, false});
  files.push_back({name + ".key", name + "-key", "private key of " + name + ".pem (PKCS#8 PEM)",
                   issued.private_key_pem, true});
  if (!password) return {};
  auto p12 =
      make_pkcs12({issued.certificate_pem, issued.private_key_pem, {chain_pem}, name}, *password);
  if (!p12) return core::Unexpected(p12.error());
  files.push_back({name + ".p12", name + "-p12",
                   name + ".pem with its key and the WWDR certificate, "
                          "protected by the --p12-password",
                   std::move(*p12), true});
  auto legacy = make_pkcs12({issued.certificate_pem, issued.private_key_pem, {}, name}, *password,
                            Pkcs12Form::LegacyLeafOnly);
  if (!legacy) return core::Unexpected(legacy.error());
  files.push_back({name + "-legacy.p12", name + "-p12-legacy",
                   name +
                       ".pem with its key only, in the legacy form Keychain Access exports "
                       "(3DES, SHA-1 MAC), protected by the --p12-password: for Go tools "
                       "(sideshow/apns2) and others that cannot read " +
                       name + ".p12",
                   std::move(*legacy), true});
  return {};
}

// What a provider certificate contains; nullopt for one that is not Apple-shaped.
std::optional<ManifestCertificate> certificate_details(const std::string& pem) {
  auto id = read_provider_identity(pem);
  if (!id) return std::nullopt;
  ManifestCertificate details{std::string(kind_name(id->kind)),
                              id->common_name,
                              id->uid,
                              {},
                              id->topics,
                              core::unix_seconds(id->not_before),
                              core::unix_seconds(id->not_after)};
  if (id->development) details.environments.push_back(core::ApnsEnvironment::Sandbox);
  if (id->production) details.environments.push_back(core::ApnsEnvironment::Production);
  return details;
}

// Creates `path` (replacing it only with `replace`), never following a symlink. Secrets are
// 0600 from the first byte even when an older, wider file is replaced; public files get 0644
// less the umask.
core::Result<void> write_file(const std::filesystem::path& path, const std::string& contents,
                              bool secret, bool replace) {
  const int flags = O_WRONLY | O_CREAT | O_CLOEXEC | O_NOFOLLOW | (replace ? O_TRUNC : O_EXCL);
  const int fd = ::open(path.c_str(), flags, secret ? 0600 : 0644);
  if (fd < 0)
    return core::fail(std::error_code(errno, std::generic_category()),
                      "cannot write " + path.string());
  int error = 0;
  if (secret && ::fchmod(fd, 0600) != 0) error = errno;
  for (std::size_t done = 0; error == 0 && done < contents.size();) {
    const ssize_t n = ::write(fd, contents.data() + done, contents.size() - done);
    if (n > 0)
      done += static_cast<std::size_t>(n);
    else if (n < 0 && errno != EINTR)
      error = errno;
    else if (n == 0)
      error = EIO;
  }
  if (::close(fd) != 0 && error == 0) error = errno;
  if (error != 0)
    return core::fail(std::error_code(error, std::generic_category()),
                      "cannot write " + path.string());
  return {};
}

} // namespace

core::Result<std::vector<CredentialFile>> make_credential_set(const CredentialSetOptions& o) {
  // Checked before any key is generated, and so before anything could be written.
  if (!is_bundle_id(o.bundle_id))
    return core::fail(Errc::InvalidInput, "bundle id '" + core::printable(o.bundle_id) +
                                              "' must be letters, digits, '.' and '-'");
  if (!is_apple_id(o.team_id))
    return core::fail(Errc::InvalidInput, "team id '" + core::printable(o.team_id) +
                                              "' must be 10 upper-case letters or digits");
  if (!is_apple_id(o.key_id))
    return core::fail(Errc::InvalidInput, "key id '" + core::printable(o.key_id) +
                                              "' must be 10 upper-case letters or digits");
  if (o.p12_password.empty())
    return core::fail(Errc::InvalidInput,
                      "a .p12 password is required: the IM console refuses .p12 files without one");
  const core::TimePoint from = o.now - hours(1);
  const core::TimePoint until = o.now + o.validity;

  auto root = CertificateAuthority::create_root(
      {"voipsim Fake Apple Root CA", "voipsim (not Apple Inc.)", "test only", "US"}, from,
      until + hours(24));
  if (!root) return core::Unexpected(root.error());
  auto wwdr =
      root->issue_intermediate({"Apple Worldwide Developer Relations Certification Authority",
                                "voipsim (not Apple Inc.)", "G4", "US"},
                               from, until + hours(24));
  if (!wwdr) return core::Unexpected(wwdr.error());
  auto server = root->issue_server(default_server_names(), from, until);
  if (!server) return core::Unexpected(server.error());

  std::vector<CredentialFile> files{
      {"root-ca.pem", "root-ca-certificate",
       "fake Apple root CA: trust it for the mock's server certificate", root->certificate_pem(),
       false},
      {"root-ca.key", "root-ca-key", "private key of root-ca.pem", root->private_key_pem(), true},
      {"wwdr-ca.pem", "wwdr-ca-certificate",
       "fake Apple WWDR intermediate CA: issues the provider certificates", wwdr->certificate_pem(),
       false},
      {"wwdr-ca.key", "wwdr-ca-key", "private key of wwdr-ca.pem", wwdr->private_key_pem(), true},
      {"ca-bundle.pem", "ca-bundle",
       "root and WWDR CA together: the CA the mock trusts for provider certificates (it loads it "
       "from this folder: voipsim mock-apns --pki DIR) and the clients' CA file (curl --cacert, "
       "voipsim pipeline --ca)",
       root->certificate_pem() + wwdr->certificate_pem(), false},
      {"server.pem", "server-certificate",
       "the mock's TLS certificate: localhost, 127.0.0.1, ::1 and Apple's APNs host names",
       server->certificate_pem, false},
      {"server.key", "server-key", "private key of server.pem", server->private_key_pem, true},
  };

  // Six RSA keys: most of the set's time, one core each (ProviderCertificateSpec order below).
  std::vector<ProviderCertificateSpec> specs;
  for (CertificateKind kind : kProviderKinds)
    specs.push_back({kind, o.bundle_id, o.team_id, "voipsim Example Inc.", from, until});
  specs.push_back({CertificateKind::VoipServices, o.bundle_id, o.team_id, "voipsim Example Inc.",
                   o.now - hours(24 * 400), o.now - hours(24)}); // expired
  specs.push_back(
      {CertificateKind::PlainClient, o.bundle_id, o.team_id, "voipsim Example Inc.", from, until});
  std::vector<std::future<core::Result<IssuedCertificate>>> issuing;
  for (const auto& spec : specs)
    issuing.push_back(
        std::async(std::launch::async, [&wwdr, &spec] { return wwdr->issue_provider(spec); }));
  std::vector<IssuedCertificate> issued;
  std::optional<core::Error> failure;
  for (auto& f : issuing) {
    auto one = f.get(); // every task is waited for: they use `specs` and `wwdr`
    if (one)
      issued.push_back(std::move(*one));
    else if (!failure)
      failure = one.error();
  }
  if (failure) return core::Unexpected(*failure);

  std::size_t next = 0;
  for (CertificateKind kind : kProviderKinds) {
    const IssuedCertificate& cert = issued[next++];
    const std::string name(kind_name(kind));
    if (auto added = add_provider_files(files, name, kind_description(kind), cert,
                                        wwdr->certificate_pem(), &o.p12_password);
        !added)
      return core::Unexpected(added.error());
    if (kind == CertificateKind::VoipServices) {
      auto bare = make_pkcs12(
          {cert.certificate_pem, cert.private_key_pem, {wwdr->certificate_pem()}, name}, "");
      if (!bare) return core::Unexpected(bare.error());
      files.push_back(
          {"voip-services-no-password.p12", "voip-services-p12-without-password",
           "voip-services.p12 exported with an empty password: the IM console must refuse it "
           "(P12_PASSWORD_REQUIRED)",
           std::move(*bare), true});
    }
  }
  if (auto added =
          add_provider_files(files, "voip-services-expired",
                             "VoIP Services certificate that expired a day before generation "
                             "(CERT_EXPIRED at the console, refused by the mock)",
                             issued[next++], wwdr->certificate_pem(), &o.p12_password);
      !added)
    return core::Unexpected(added.error());
  if (auto added = add_provider_files(files, "plain-client",
                                      "client certificate from the WWDR CA without Apple's fields "
                                      "(APNs answers 403 BadCertificate)",
                                      issued[next++], wwdr->certificate_pem(), nullptr);
      !added)
    return core::Unexpected(added.error());

  auto p8 = generate_private_key(KeyType::EcP256);
  if (!p8) return core::Unexpected(p8.error());
  auto p8_public = public_key_pem_of(*p8);
  if (!p8_public) return core::Unexpected(p8_public.error());
  const std::string auth_key = "AuthKey_" + o.key_id;
  files.push_back({auth_key + ".p8", "provider-token-key",
                   "provider token signing key (EC P-256, PKCS#8 PEM) for key id " + o.key_id +
                       ", team " + o.team_id,
                   std::move(*p8), true});
  files.push_back({auth_key + ".pub.pem", "provider-token-public-key",
                   "public half of " + auth_key + ".p8: register it with the mock",
                   std::move(*p8_public), false});
  return files;
}

std::string credential_manifest(const std::vector<CredentialFile>& files,
                                const CredentialSetOptions& o) {
  CredentialManifest manifest;
  manifest.bundle_id = o.bundle_id;
  manifest.team_id = o.team_id;
  manifest.key_id = o.key_id;
  manifest.generated_at = core::unix_seconds(o.now);
  for (const auto& f : files) {
    ManifestFile entry{f.name, f.role, f.description, f.secret, std::nullopt};
    // Provider certificates are described by what they contain; CAs and the server's are not
    // Apple-shaped, so they get no details.
    if (f.contents.starts_with("-----BEGIN CERTIFICATE-----"))
      entry.certificate = certificate_details(f.contents);
    manifest.files.push_back(std::move(entry));
  }
  return to_json(manifest).dump(2, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
}

core::Result<std::vector<std::filesystem::path>>
write_credential_set(const std::vector<CredentialFile>& files, const std::string& manifest,
                     const std::filesystem::path& dir, bool force) {
  std::vector<std::pair<std::filesystem::path, const std::string*>> targets;
  std::vector<bool> secret;
  for (const auto& f : files) {
    targets.emplace_back(dir / f.name, &f.contents);
    secret.push_back(f.secret);
  }
  targets.emplace_back(dir / "manifest.json", &manifest);
  secret.push_back(false);

  if (!force) {
    std::vector<std::string> existing;
    for (const auto& [path, contents] : targets) {
      std::error_code ec;
      if (std::filesystem::exists(path, ec)) existing.push_back(path.filename().string());
    }
    if (!existing.empty()) {
      std::string names;
      for (std::size_t i = 0; i < existing.size() && i < 3; ++i)
        names += (i ? ", " : "") + existing[i];
      if (existing.size() > 3) names += " and " + std::to_string(existing.size() - 3) + " more";
      return core::fail(Errc::InvalidInput, "refusing to overwrite " + names + " in " +
                                                dir.string() + " (use --force to replace them)");
    }
  }
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec) return core::fail(ec, "cannot create " + dir.string());
  std::vector<std::filesystem::path> written;
  for (std::size_t i = 0; i < targets.size(); ++i) {
    if (auto ok = write_file(targets[i].first, *targets[i].second, secret[i], force); !ok) {
      // Without --force every file here is ours: take them back rather than leave half a set
      // that the next run would refuse to overwrite.
      if (!force)
        for (const auto& path : written)
          std::filesystem::remove(path, ec);
      return core::Unexpected(ok.error());
    }
    written.push_back(targets[i].first);
  }
  return written;
}

} // namespace pki
