#include "pki/error.hpp"
#include "pki/pkcs12.hpp"
#include "pki/test_ca.hpp"
#include "support/child_process.hpp"
#include "support/temp_dir.hpp"

#include <gtest/gtest.h>

namespace {

using namespace std::chrono_literals;
using pki_test::TestCa;

pki::Pkcs12Contents voip_contents() {
  const auto issued = TestCa::get().issue(pki::CertificateKind::VoipServices);
  return {issued.certificate_pem,
          issued.private_key_pem,
          {TestCa::get().wwdr.certificate_pem()},
          "voip-services"};
}

TEST(Pkcs12, RoundTripsCertificateKeyChainAndName) {
  const auto contents = voip_contents();
  auto der = pki::make_pkcs12(contents, "s3cret");
  ASSERT_TRUE(der) << der.error().message();
  auto read = pki::read_pkcs12(*der, "s3cret");
  ASSERT_TRUE(read) << read.error().message();
  EXPECT_EQ(read->certificate_pem, contents.certificate_pem);
  ASSERT_EQ(read->chain_pems.size(), 1u);
  EXPECT_EQ(read->chain_pems[0], contents.chain_pems[0]);
  EXPECT_EQ(read->friendly_name, "voip-services");
  EXPECT_FALSE(read->private_key_pem.empty());
}

// The classic export mistake, as `openssl pkcs12 -export -nokeys` makes it.
TEST(Pkcs12, WithoutAKeyHoldsTheCertificateAlone) {
  auto contents = voip_contents();
  contents.private_key_pem.clear();
  auto der = pki::make_pkcs12(contents, "s3cret");
  ASSERT_TRUE(der) << der.error().message();
  auto read = pki::read_pkcs12(*der, "s3cret");
  ASSERT_FALSE(read);
  EXPECT_EQ(read.error().code, make_error_code(pki::Errc::NoPrivateKey));
}

TEST(Pkcs12, WrongPasswordIsToldApartFromDamage) {
  auto der = pki::make_pkcs12(voip_contents(), "s3cret").value();
  auto wrong = pki::read_pkcs12(der, "guess");
  ASSERT_FALSE(wrong);
  EXPECT_EQ(wrong.error().code, pki::Errc::WrongPassword);
  auto empty = pki::read_pkcs12(der, "");
  ASSERT_FALSE(empty);
  EXPECT_EQ(empty.error().code, pki::Errc::WrongPassword);
  auto damaged = pki::read_pkcs12(der.substr(0, der.size() / 2), "s3cret");
  ASSERT_FALSE(damaged);
  EXPECT_EQ(damaged.error().code, pki::Errc::Malformed);
  EXPECT_EQ(pki::read_pkcs12("not a p12", "x").error().code, pki::Errc::Malformed);
}

// read_pkcs12 remembers its recent successful reads: by the file and the password, never by the
// file alone (a right password read first must not open it for a wrong one), and a copy of the
// bytes is the same file.
TEST(Pkcs12, AReadOnceOpenedIsStillClosedToAWrongPassword) {
  const auto contents = voip_contents();
  const auto der = pki::make_pkcs12(contents, "s3cret").value();
  ASSERT_TRUE(pki::read_pkcs12(der, "s3cret"));
  EXPECT_EQ(pki::read_pkcs12(der, "guess").error().code, pki::Errc::WrongPassword);
  EXPECT_EQ(pki::read_pkcs12(der, "").error().code, pki::Errc::WrongPassword);
  const std::string copy(der.begin(), der.end());
  auto again = pki::read_pkcs12(copy, "s3cret");
  ASSERT_TRUE(again) << again.error().message();
  EXPECT_EQ(again->certificate_pem, contents.certificate_pem);
  EXPECT_EQ(again->friendly_name, "voip-services");
  std::string altered = der;
  altered[altered.size() - 1] ^= 1; // the MAC's last byte (or its iteration count)
  EXPECT_FALSE(pki::read_pkcs12(altered, "s3cret"));
}

TEST(Pkcs12, EmptyPasswordFileIsToldApartFromAWrongPassword) { // the console's "no password" case
  auto der = pki::make_pkcs12(voip_contents(), "").value();
  EXPECT_TRUE(pki::read_pkcs12(der, ""));
  // Whatever password the owner types, the file itself has none (P12_PASSWORD_REQUIRED).
  auto with_password = pki::read_pkcs12(der, "s3cret");
  ASSERT_FALSE(with_password);
  EXPECT_EQ(with_password.error().code, pki::Errc::NoPassword);
}

TEST(Pkcs12, KeyMustMatchCertificate) {
  auto contents = voip_contents();
  contents.private_key_pem =
      TestCa::get().issue(pki::CertificateKind::VoipServices).private_key_pem;
  auto der = pki::make_pkcs12(contents, "x");
  ASSERT_FALSE(der);
  EXPECT_EQ(der.error().code, pki::Errc::InvalidInput);
}

// Issue #27: what Go's pkcs12 package (sideshow/apns2) reads, as `openssl pkcs12 -info -legacy`
// describes it: a SHA-1 MAC, 3DES for both bags, one certificate and one key.
TEST(Pkcs12, TheLegacyFormIsTripleDesWithASha1MacAndTwoBags) {
  support::TempDir dir;
  const auto contents = voip_contents(); // with the WWDR certificate, which the form leaves out
  const std::string file = dir.write(
      "legacy.p12", pki::make_pkcs12(contents, "s3cret", pki::Pkcs12Form::LegacyLeafOnly).value());
  auto info = support::run_process(
      {"openssl", "pkcs12", "-info", "-legacy", "-in", file, "-passin", "pass:s3cret", "-nodes"},
      30s);
  ASSERT_EQ(info.exit_code, 0) << info.describe();
  const std::string& text = info.output;
  EXPECT_NE(text.find("MAC: sha1"), std::string::npos) << text;
  EXPECT_NE(text.find("Shrouded Keybag: pbeWithSHA1And3-KeyTripleDES-CBC"), std::string::npos)
      << text;
  EXPECT_NE(text.find("PKCS7 Encrypted data: pbeWithSHA1And3-KeyTripleDES-CBC"), std::string::npos)
      << text;
  auto count = [&](const std::string& what) {
    std::size_t n = 0;
    for (auto at = text.find(what); at != std::string::npos; at = text.find(what, at + 1))
      ++n;
    return n;
  };
  EXPECT_EQ(count("-----BEGIN CERTIFICATE-----"), 1u) << text; // the leaf only
  EXPECT_EQ(count("-----BEGIN PRIVATE KEY-----"), 1u) << text;
  auto read = pki::read_pkcs12(support::read_file(file), "s3cret");
  ASSERT_TRUE(read) << read.error().message();
  EXPECT_EQ(read->certificate_pem, contents.certificate_pem);
  EXPECT_TRUE(read->chain_pems.empty());
}

TEST(Pkcs12, InteroperatesWithTheOpensslTool) {
  support::TempDir dir;
  const auto contents = voip_contents();
  const std::string ours = dir.write("ours.p12", pki::make_pkcs12(contents, "s3cret").value());
  auto info = support::run_process(
      {"openssl", "pkcs12", "-info", "-in", ours, "-passin", "pass:s3cret", "-nokeys"}, 30s);
  ASSERT_EQ(info.exit_code, 0) << info.describe();
  EXPECT_NE(info.output.find("VoIP Services: com.example.imapp"), std::string::npos)
      << info.describe();

  // A .p12 the tool makes, with and without the private key.
  const std::string cert = dir.write("cert.pem", contents.certificate_pem);
  const std::string key = dir.write("key.pem", contents.private_key_pem);
  auto made = support::run_process({"openssl", "pkcs12", "-export", "-in", cert, "-inkey", key,
                                    "-out", dir.file("theirs.p12"), "-passout", "pass:pw"},
                                   30s);
  ASSERT_EQ(made.exit_code, 0) << made.describe();
  auto theirs = pki::read_pkcs12(support::read_file(dir.file("theirs.p12")), "pw");
  ASSERT_TRUE(theirs) << theirs.error().message();
  EXPECT_EQ(theirs->certificate_pem, contents.certificate_pem);

  auto no_key = support::run_process({"openssl", "pkcs12", "-export", "-nokeys", "-in", cert,
                                      "-out", dir.file("nokey.p12"), "-passout", "pass:pw"},
                                     30s);
  ASSERT_EQ(no_key.exit_code, 0) << no_key.describe();
  auto keyless = pki::read_pkcs12(support::read_file(dir.file("nokey.p12")), "pw");
  ASSERT_FALSE(keyless);
  EXPECT_EQ(keyless.error().code, pki::Errc::NoPrivateKey);
}

TEST(Pkcs12, UnprotectedFileWithoutMacHasNoPassword) {
  support::TempDir dir;
  const auto contents = voip_contents();
  const std::string cert = dir.write("cert.pem", contents.certificate_pem);
  const std::string key = dir.write("key.pem", contents.private_key_pem);
  // No MAC and no encryption: it "opens" with any password, so it has none.
  auto made = support::run_process({"openssl", "pkcs12", "-export", "-in", cert, "-inkey", key,
                                    "-nomac", "-keypbe", "NONE", "-certpbe", "NONE", "-out",
                                    dir.file("bare.p12"), "-passout", "pass:anything"},
                                   30s);
  ASSERT_EQ(made.exit_code, 0) << made.describe();
  const std::string der = support::read_file(dir.file("bare.p12"));
  auto typed = pki::read_pkcs12(der, "anything");
  ASSERT_FALSE(typed);
  EXPECT_EQ(typed.error().code, pki::Errc::NoPassword);
  EXPECT_TRUE(pki::read_pkcs12(der, ""));
}

TEST(Pkcs12, RefusesAnAbsurdKeyDerivationCostBeforePayingIt) {
  support::TempDir dir;
  const auto contents = voip_contents();
  const std::string cert = dir.write("cert.pem", contents.certificate_pem);
  const std::string key = dir.write("key.pem", contents.private_key_pem);
  auto made =
      support::run_process({"openssl", "pkcs12", "-export", "-in", cert, "-inkey", key, "-iter",
                            "1000001", "-out", dir.file("slow.p12"), "-passout", "pass:pw"},
                           120s);
  ASSERT_EQ(made.exit_code, 0) << made.describe();
  auto read = pki::read_pkcs12(support::read_file(dir.file("slow.p12")), "pw");
  ASSERT_FALSE(read);
  EXPECT_EQ(read.error().code, pki::Errc::Malformed);
  EXPECT_NE(read.error().message().find("iteration count 1000001"), std::string::npos)
      << read.error().message();
}

} // namespace
