// The console's upload check (im-voip-flow.md §2.2, Notes 2-4): each refusal with the product's
// code, the accepted record, and the warnings.
#include "pipeline/console.hpp"
#include "pki/certificate_authority.hpp"
#include "pki/classify.hpp"
#include "pki/credential_set.hpp"
#include "pki/pkcs12.hpp"

#include <map>

#include <gtest/gtest.h>

namespace {

using namespace std::chrono_literals;
using pipeline::AcceptedUpload;
using pipeline::ApiError;

const core::TimePoint kNow = core::from_unix_seconds(1'767'225'600);
constexpr const char* kPassword = "voipsim";

// One credential set for the whole file: generating keys is the slow part.
class ConsoleTest : public ::testing::Test {
protected:
  static void SetUpTestSuite() {
    auto files = pki::make_credential_set(
        {"com.example.imapp", "TEAMA12345", "KB00000001", kPassword, kNow, 24h * 365});
    ASSERT_TRUE(files) << files.error().message();
    for (auto& f : *files)
      by_role_[f.role] = f.contents;
    auto trust = pki::TrustStore::from_pem(by_role_.at("ca-bundle"));
    ASSERT_TRUE(trust);
    trust_ = std::make_unique<pki::TrustStore>(*trust);
  }
  static void TearDownTestSuite() { trust_.reset(); }

  static std::variant<AcceptedUpload, ApiError> upload(const std::string& role,
                                                       std::string name = "Acme VoIP",
                                                       std::string password = kPassword,
                                                       bool allow_other_types = false) {
    return pipeline::check_upload(
        {std::move(name), by_role_.at(role), std::move(password), allow_other_types}, *trust_,
        kNow);
  }
  static std::string refusal(const std::variant<AcceptedUpload, ApiError>& result) {
    const auto* error = std::get_if<ApiError>(&result);
    return error ? error->code : "accepted";
  }

  static inline std::map<std::string, std::string> by_role_;
  static inline std::unique_ptr<pki::TrustStore> trust_;
};

TEST_F(ConsoleTest, AcceptsAVoipServicesCertificateWithItsKey) {
  const auto result = upload("voip-services-p12");
  const auto* accepted = std::get_if<AcceptedUpload>(&result);
  ASSERT_NE(accepted, nullptr) << std::get<ApiError>(result).message;
  EXPECT_EQ(accepted->record.name, "Acme VoIP");
  EXPECT_EQ(accepted->record.bundle_id, "com.example.imapp"); // ".voip" stripped (§2.3)
  EXPECT_EQ(accepted->record.type, "voip");
  EXPECT_NE(accepted->record.certificate_pem.find("BEGIN CERTIFICATE"), std::string::npos);
  EXPECT_NE(accepted->record.private_key_pem.find("PRIVATE KEY"), std::string::npos);
  EXPECT_LT(accepted->record.not_before, kNow);
  EXPECT_GT(accepted->record.not_after, kNow);
  EXPECT_TRUE(accepted->warnings.empty());
}

TEST_F(ConsoleTest, AcceptsTheLegacyLeafOnlyExportToo) {
  const auto result = upload("voip-services-p12-legacy");
  const auto* accepted = std::get_if<AcceptedUpload>(&result);
  ASSERT_NE(accepted, nullptr) << std::get<ApiError>(result).message;
  EXPECT_EQ(accepted->record.bundle_id, "com.example.imapp");
  EXPECT_EQ(accepted->record.type, "voip");
  EXPECT_EQ(refusal(upload("voip-services-p12-legacy", "Acme VoIP", "wrong")), "P12_BAD_PASSWORD");
}

TEST_F(ConsoleTest, Note2_PasswordIsRequired) {
  EXPECT_EQ(refusal(upload("voip-services-p12", "Acme VoIP", "")), "P12_PASSWORD_REQUIRED");
  // A .p12 exported with an empty password opens with any "password" check skipped: refused.
  EXPECT_EQ(refusal(upload("voip-services-p12-without-password", "Acme VoIP", "anything")),
            "P12_PASSWORD_REQUIRED");
}

TEST_F(ConsoleTest, WrongPasswordAndDamagedFilesAreRefused) {
  EXPECT_EQ(refusal(upload("voip-services-p12", "Acme VoIP", "wrong")), "P12_BAD_PASSWORD");
  by_role_["garbage"] = "not a p12 at all";
  EXPECT_EQ(refusal(upload("garbage")), "P12_INVALID");
}

TEST_F(ConsoleTest, Note3_NamesWithBracketsAreRefused) {
  for (const char* name : {"VoIP (prod)", "a[b]", "x{y}", "<voip>", "semi;colon", ""}) {
    EXPECT_EQ(refusal(upload("voip-services-p12", name)), "CERT_NAME_INVALID") << name;
  }
  EXPECT_EQ(refusal(upload("voip-services-p12", std::string(65, 'a'))), "CERT_NAME_INVALID");
  EXPECT_EQ(refusal(upload("voip-services-p12", std::string(64, 'a'))), "accepted");
  EXPECT_EQ(refusal(upload("voip-services-p12", "Acme_VoIP-prod.2 x")), "accepted");
  // Full-width and CJK brackets are brackets too; invalid UTF-8 is not a name.
  for (const char* name : {"VoIP（prod）", "【prod】", "证书「一」", "a\xff", "tab\there"})
    EXPECT_EQ(refusal(upload("voip-services-p12", name)), "CERT_NAME_INVALID") << name;
  // 64 characters, not bytes: 64 Chinese letters (192 bytes) pass, 65 do not.
  std::string letters;
  for (int i = 0; i < 64; ++i)
    letters += "证";
  EXPECT_EQ(refusal(upload("voip-services-p12", letters)), "accepted");
  EXPECT_EQ(refusal(upload("voip-services-p12", letters + "证")), "CERT_NAME_INVALID");
}

TEST_F(ConsoleTest, NonEnglishNameIsAcceptedWithAWarning) {
  const auto result = upload("voip-services-p12", "VoIP 证书");
  const auto* accepted = std::get_if<AcceptedUpload>(&result);
  ASSERT_NE(accepted, nullptr);
  ASSERT_EQ(accepted->warnings.size(), 1u);
  EXPECT_NE(accepted->warnings[0].find("English"), std::string::npos);
}

TEST_F(ConsoleTest, Note4_ExpiredCertificateIsRefused) {
  EXPECT_EQ(refusal(upload("voip-services-expired-p12")), "CERT_EXPIRED");
}

TEST_F(ConsoleTest, CertificateNotFromAppleIsRefused) {
  auto other_root = pki::CertificateAuthority::create_root({"Someone Else CA", "Else", "", "US"},
                                                           kNow - 24h, kNow + 24h);
  ASSERT_TRUE(other_root);
  auto leaf = other_root->issue_provider({pki::CertificateKind::VoipServices, "com.example.imapp",
                                          "TEAMA12345", "Else", kNow - 1h, kNow + 24h});
  ASSERT_TRUE(leaf);
  auto p12 =
      pki::make_pkcs12({leaf->certificate_pem, leaf->private_key_pem, {}, "else"}, kPassword);
  ASSERT_TRUE(p12);
  by_role_["foreign"] = *p12;
  EXPECT_EQ(refusal(upload("foreign")), "CERT_NOT_APPLE");
}

TEST_F(ConsoleTest, OtherPushTypesAreRefusedUnlessTheyListTheVoipTopic) {
  EXPECT_EQ(refusal(upload("apns-production-p12")), "CERT_NOT_VOIP");
  EXPECT_EQ(refusal(upload("apns-development-p12")), "CERT_NOT_VOIP");
  // A universal certificate lists <bundle>.voip among its topics: a warning only (§2.2).
  const auto universal = upload("apple-push-services-p12");
  const auto* accepted = std::get_if<AcceptedUpload>(&universal);
  ASSERT_NE(accepted, nullptr) << refusal(universal);
  ASSERT_EQ(accepted->warnings.size(), 1u);
  EXPECT_NE(accepted->warnings[0].find("VoIP pushes work"), std::string::npos);
}

TEST_F(ConsoleTest, FAQ2aDoublePrime_OtherTypesPassWhenAllowedWithAWarning) {
  const auto result = upload("apns-production-p12", "Legacy", kPassword, true);
  const auto* accepted = std::get_if<AcceptedUpload>(&result);
  ASSERT_NE(accepted, nullptr) << refusal(result);
  ASSERT_EQ(accepted->warnings.size(), 1u);
  EXPECT_NE(accepted->warnings[0].find("BadTopic"), std::string::npos);
}

} // namespace
