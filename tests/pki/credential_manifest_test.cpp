// manifest.json: what pki writes is what pki reads (the mock's --pki reads it through the same
// reader), with its environments spelt sandbox/production.

#include "pki/credential_manifest.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

namespace {

pki::CredentialManifest sample() {
  pki::CredentialManifest m;
  m.bundle_id = "com.example.imapp";
  m.team_id = "TEAMA12345";
  m.key_id = "KB00000001";
  m.generated_at = 1'767'225'600;
  m.files.push_back({"root-ca.pem", "root-ca", "the fake Apple root", false, std::nullopt});
  m.files.push_back(
      {"voip-services.pem", "voip-services-certificate", "VoIP Services", false,
       pki::ManifestCertificate{"voip-services",
                                "VoIP Services: com.example.imapp",
                                "com.example.imapp.voip",
                                {core::ApnsEnvironment::Sandbox, core::ApnsEnvironment::Production},
                                {"com.example.imapp.voip"},
                                1'767'222'000,
                                1'798'761'600}});
  return m;
}

TEST(CredentialManifest, RoundTrips) {
  const auto written = pki::to_json(sample());
  EXPECT_EQ(written.at("files").at(1).at("certificate").at("environments"),
            nlohmann::json::array({"sandbox", "production"}));
  EXPECT_FALSE(written.at("files").at(0).contains("certificate"));
  const auto read = pki::credential_manifest_from_json(written);
  ASSERT_TRUE(read) << read.error().message();
  EXPECT_EQ(pki::to_json(*read), written);
  ASSERT_TRUE(read->files.at(1).certificate);
  EXPECT_EQ(read->files.at(1).certificate->environments,
            sample().files.at(1).certificate->environments);
  EXPECT_FALSE(read->files.at(0).certificate);
}

TEST(CredentialManifest, MissingOrUnknownFieldsAreErrorsNamingThem) {
  auto no_team = pki::to_json(sample());
  no_team.erase("team_id");
  auto read = pki::credential_manifest_from_json(no_team);
  ASSERT_FALSE(read);
  EXPECT_NE(read.error().detail.find("\"team_id\" is required"), std::string::npos)
      << read.error().detail;

  auto no_secret = pki::to_json(sample());
  no_secret["files"][0].erase("secret");
  read = pki::credential_manifest_from_json(no_secret);
  ASSERT_FALSE(read);
  EXPECT_NE(read.error().detail.find("\"secret\" is required"), std::string::npos)
      << read.error().detail;

  auto odd_environment = pki::to_json(sample());
  odd_environment["files"][1]["certificate"]["environments"] = {"staging"};
  read = pki::credential_manifest_from_json(odd_environment);
  ASSERT_FALSE(read);
  EXPECT_NE(read.error().message().find("voip-services.pem"), std::string::npos)
      << read.error().message();

  auto extra = pki::to_json(sample());
  extra["password"] = "x";
  EXPECT_FALSE(pki::credential_manifest_from_json(extra));
}

// The older spelling of the sandbox is still read.
TEST(CredentialManifest, ReadsDevelopmentAsTheSandbox) {
  auto older = pki::to_json(sample());
  older["files"][1]["certificate"]["environments"] = {"development", "production"};
  const auto read = pki::credential_manifest_from_json(older);
  ASSERT_TRUE(read) << read.error().message();
  EXPECT_EQ(read->files.at(1).certificate->environments.at(0), core::ApnsEnvironment::Sandbox);
}

} // namespace
