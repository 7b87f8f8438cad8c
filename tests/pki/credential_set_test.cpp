// The files `voipsim certs` writes: every one is read by the real openssl tool and shows the
// OIDs, UID and topics of apns-provider-api.md §7 (issue: PKI acceptance 1).

#include "pki/classify.hpp"
#include "pki/credential_manifest.hpp"
#include "pki/credential_set.hpp"
#include "pki/error.hpp"
#include "pki/pkcs12.hpp"
#include "pki/test_ca.hpp"
#include "support/child_process.hpp"
#include "support/temp_dir.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>
#include <sys/stat.h>

namespace {

using namespace std::chrono_literals;

const pki::CredentialSetOptions kOptions{"com.example.imapp", "TEAMA12345", "KB00000001",
                                         "Zq8-not-in-any-text", pki_test::kNow};

// One set for the whole test binary: generating RSA keys takes a moment.
struct WrittenSet {
  support::TempDir dir;
  std::vector<pki::CredentialFile> files;
  std::string manifest;
  WrittenSet()
      : files(pki::make_credential_set(kOptions).value()),
        manifest(pki::credential_manifest(files, kOptions)) {
    pki::write_credential_set(files, manifest, dir.path(), false).value();
  }
  static const WrittenSet& get() {
    static const WrittenSet set;
    return set;
  }
  std::string path(const std::string& name) const { return dir.file(name); }
  const pki::CredentialFile& file(const std::string& name) const {
    for (const auto& f : files)
      if (f.name == name) return f;
    throw std::runtime_error("no file " + name);
  }
};

support::ProcessResult openssl(std::vector<std::string> args) {
  args.insert(args.begin(), "openssl");
  return support::run_process(args, 30s);
}

TEST(CredentialSet, OpensslReadsEveryFile) {
  const auto& set = WrittenSet::get();
  for (const auto& f : set.files) {
    SCOPED_TRACE(f.name);
    support::ProcessResult r;
    if (f.name.ends_with(".p12")) {
      const std::string pass = f.role.find("without-password") != std::string::npos
                                   ? "pass:"
                                   : "pass:Zq8-not-in-any-text";
      r = openssl({"pkcs12", "-info", "-in", set.path(f.name), "-passin", pass, "-nokeys"});
    } else if (f.name.ends_with(".key") || f.name.ends_with(".p8")) {
      r = openssl({"pkey", "-in", set.path(f.name), "-noout", "-text"});
    } else if (f.name.ends_with(".pub.pem")) {
      r = openssl({"pkey", "-pubin", "-in", set.path(f.name), "-noout", "-text"});
    } else {
      r = openssl({"x509", "-in", set.path(f.name), "-noout", "-text"});
    }
    EXPECT_EQ(r.exit_code, 0) << r.describe();
  }
}

TEST(CredentialSet, VoipCertificateShowsAppleOidsUidAndTopic) {
  const auto r =
      openssl({"x509", "-in", WrittenSet::get().path("voip-services.pem"), "-noout", "-text"});
  ASSERT_EQ(r.exit_code, 0) << r.describe();
  for (const char* needle :
       {"UID = com.example.imapp.voip", "CN = VoIP Services: com.example.imapp", "OU = TEAMA12345",
        "1.2.840.113635.100.6.3.1:", "1.2.840.113635.100.6.3.2:", "1.2.840.113635.100.6.3.3:",
        "1.2.840.113635.100.6.3.4:", "1.2.840.113635.100.6.3.5:", "com.example.imapp.voip",
        "TLS Web Client Authentication",
        "Issuer: CN = Apple Worldwide Developer Relations Certification Authority, OU = G4, "
        "O = voipsim (not Apple Inc.), C = US"})
    EXPECT_NE(r.output.find(needle), std::string::npos) << needle << "\n" << r.output;
}

TEST(CredentialSet, ApplePushServicesCertificateListsItsTopics) {
  const auto r = openssl(
      {"x509", "-in", WrittenSet::get().path("apple-push-services.pem"), "-noout", "-text"});
  ASSERT_EQ(r.exit_code, 0) << r.describe();
  for (const char* needle :
       {"UID = com.example.imapp,", "1.2.840.113635.100.6.3.6:", "com.example.imapp.voip",
        "com.example.imapp.complication", "1.2.840.113635.100.6.3.1:", "1.2.840.113635.100.6.3.2:"})
    EXPECT_NE(r.output.find(needle), std::string::npos) << needle << "\n" << r.output;
}

TEST(CredentialSet, LegacyCertificatesCarryOneEnvironmentEach) {
  const auto dev =
      openssl({"x509", "-in", WrittenSet::get().path("apns-development.pem"), "-noout", "-text"});
  EXPECT_NE(dev.output.find("Apple Development IOS Push Services: com.example.imapp"),
            std::string::npos);
  EXPECT_NE(dev.output.find("1.2.840.113635.100.6.3.1:"), std::string::npos);
  EXPECT_EQ(dev.output.find("1.2.840.113635.100.6.3.2:"), std::string::npos);
  const auto prod =
      openssl({"x509", "-in", WrittenSet::get().path("apns-production.pem"), "-noout", "-text"});
  EXPECT_NE(prod.output.find("Apple Production IOS Push Services: com.example.imapp"),
            std::string::npos);
  EXPECT_EQ(prod.output.find("1.2.840.113635.100.6.3.1:"), std::string::npos);
  EXPECT_NE(prod.output.find("1.2.840.113635.100.6.3.2:"), std::string::npos);
}

TEST(CredentialSet, ServerCertificateCoversLoopbackAndApnsHosts) {
  const auto r = openssl(
      {"x509", "-in", WrittenSet::get().path("server.pem"), "-noout", "-ext", "subjectAltName"});
  ASSERT_EQ(r.exit_code, 0) << r.describe();
  for (const char* needle : {"DNS:localhost", "IP Address:127.0.0.1", "IP Address:0:0:0:0:0:0:0:1",
                             "DNS:api.sandbox.push.apple.com", "DNS:api.development.push.apple.com",
                             "DNS:api.push.apple.com"})
    EXPECT_NE(r.output.find(needle), std::string::npos) << needle << "\n" << r.output;
  const auto verified = openssl({"verify", "-CAfile", WrittenSet::get().path("ca-bundle.pem"),
                                 "-attime", std::to_string(core::unix_seconds(pki_test::kNow)),
                                 WrittenSet::get().path("server.pem")});
  EXPECT_EQ(verified.exit_code, 0) << verified.describe();
}

TEST(CredentialSet, AuthKeyIsAP256Pkcs8Key) {
  const auto& set = WrittenSet::get();
  const auto& p8 = set.file("AuthKey_KB00000001.p8");
  EXPECT_EQ(p8.contents.rfind("-----BEGIN PRIVATE KEY-----", 0), 0u);
  const auto r = openssl({"pkey", "-in", set.path(p8.name), "-noout", "-text"});
  EXPECT_NE(r.output.find("prime256v1"), std::string::npos) << r.describe();
}

TEST(CredentialSet, BrokenOnesAreBrokenTheRightWay) {
  const auto& set = WrittenSet::get();
  const auto trust = pki::TrustStore::from_pem(set.file("ca-bundle.pem").contents).value();
  EXPECT_TRUE(pki::read_pkcs12(set.file("voip-services-no-password.p12").contents, ""));
  EXPECT_EQ(pki::classify_certificate(set.file("voip-services-expired.pem").contents, trust,
                                      pki_test::kNow)
                .error()
                .code,
            pki::Errc::Expired);
  EXPECT_EQ(pki::classify_certificate(set.file("plain-client.pem").contents, trust, pki_test::kNow)
                .error()
                .code,
            pki::Errc::NotAppleShaped);
  auto voip =
      pki::classify_certificate(set.file("voip-services.pem").contents, trust, pki_test::kNow);
  ASSERT_TRUE(voip) << voip.error().message();
  EXPECT_EQ(voip->kind, pki::CertificateKind::VoipServices);
}

TEST(CredentialSet, SecretsAreOwnerOnlyAndTheManifestNamesEveryFile) {
  const auto& set = WrittenSet::get();
  for (const auto& f : set.files) {
    struct stat st {};
    ASSERT_EQ(::stat(set.path(f.name).c_str(), &st), 0) << f.name;
    EXPECT_EQ(st.st_mode & 0777, f.secret ? 0600u : 0644u) << f.name;
    const bool key_material =
        f.name.ends_with(".key") || f.name.ends_with(".p12") || f.name.ends_with(".p8");
    EXPECT_EQ(f.secret, key_material) << f.name;
  }
  const auto manifest = nlohmann::json::parse(set.manifest);
  EXPECT_EQ(manifest.at("bundle_id"), "com.example.imapp");
  EXPECT_EQ(manifest.at("files").size(), set.files.size());
  EXPECT_EQ(set.manifest.find("Zq8-not-in-any-text"), std::string::npos)
      << "the password must not be written";
  bool saw_voip = false;
  for (const auto& entry : manifest.at("files")) {
    EXPECT_FALSE(entry.at("role").get<std::string>().empty());
    EXPECT_FALSE(entry.at("description").get<std::string>().empty());
    if (entry.at("file") == "voip-services.pem") {
      saw_voip = true;
      ASSERT_TRUE(entry.contains("certificate")) << entry.dump();
      const auto& cert = entry.at("certificate");
      EXPECT_EQ(cert.at("kind"), "voip-services");
      EXPECT_EQ(cert.at("topics"), nlohmann::json::array({"com.example.imapp.voip"}));
      EXPECT_EQ(cert.at("environments"), nlohmann::json::array({"sandbox", "production"}));
    }
    if (entry.at("file") == "root-ca.pem") {
      EXPECT_FALSE(entry.contains("certificate"));
    }
  }
  EXPECT_TRUE(saw_voip);
  // Its owner's reader (the one the mock's --pki uses) takes it back unchanged.
  const auto read = pki::credential_manifest_from_json(manifest);
  ASSERT_TRUE(read) << read.error().message();
  EXPECT_EQ(pki::to_json(*read), manifest);
}

TEST(CredentialSet, RefusesToOverwriteWithoutForce) {
  const auto& set = WrittenSet::get();
  auto again = pki::write_credential_set(set.files, set.manifest, set.dir.path(), false);
  ASSERT_FALSE(again);
  EXPECT_NE(again.error().message().find("--force"), std::string::npos) << again.error().message();
  EXPECT_NE(again.error().message().find("root-ca.pem, root-ca.key, wwdr-ca.pem and 30 more"),
            std::string::npos)
      << again.error().message();

  support::TempDir other;
  other.write("server.pem", "precious");
  EXPECT_FALSE(pki::write_credential_set(set.files, set.manifest, other.path(), false));
  EXPECT_EQ(support::read_file(other.file("server.pem")), "precious");
  EXPECT_FALSE(std::filesystem::exists(other.file("manifest.json")))
      << "nothing may be written on refusal";
  EXPECT_TRUE(pki::write_credential_set(set.files, set.manifest, other.path(), true));
}

TEST(CredentialSet, AFailedWriteLeavesNothingBehind) {
  const auto& set = WrittenSet::get();
  support::TempDir dir;
  // A dangling symlink where a later file goes: not "existing", but never written through.
  std::filesystem::create_symlink(dir.file("elsewhere"), dir.file("AuthKey_KB00000001.p8"));
  auto written = pki::write_credential_set(set.files, set.manifest, dir.path(), false);
  ASSERT_FALSE(written);
  EXPECT_NE(written.error().message().find("AuthKey_KB00000001.p8"), std::string::npos)
      << written.error().message();
  EXPECT_FALSE(std::filesystem::exists(dir.file("elsewhere"))) << "wrote through the symlink";
  EXPECT_FALSE(std::filesystem::exists(dir.file("root-ca.pem"))) << "left a half-written set";
}

TEST(CredentialSet, RequiresAPasswordAndATenCharacterKeyId) {
  auto options = kOptions;
  options.p12_password.clear();
  auto no_password = pki::make_credential_set(options);
  ASSERT_FALSE(no_password);
  EXPECT_NE(no_password.error().message().find("password"), std::string::npos);
  for (const char* bad : {"short", "ABC/DEF123", "kb00000001"}) {
    options = kOptions;
    options.key_id = bad;
    auto refused = pki::make_credential_set(options);
    ASSERT_FALSE(refused) << bad;
    EXPECT_EQ(refused.error().code, pki::Errc::InvalidInput);
  }
}

} // namespace
