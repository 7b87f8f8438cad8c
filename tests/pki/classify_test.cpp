// Classification of every certificate kind, and each rejection (issue: PKI acceptance 3).

#include "pki/classify.hpp"
#include "pki/error.hpp"
#include "pki/provider_token.hpp"
#include "pki/test_ca.hpp"
#include "support/child_process.hpp"
#include "support/temp_dir.hpp"

#include <atomic>
#include <latch>
#include <thread>

#include <gtest/gtest.h>

namespace {

using pki::CertificateKind;
using pki_test::kBundle;
using pki_test::kNow;
using pki_test::TestCa;
using std::chrono::hours;

pki::TrustStore trust() {
  return pki::TrustStore::from_pem(TestCa::get().bundle_pem()).value();
}

struct KindCase {
  CertificateKind kind;
  bool development;
  bool production;
  std::string uid;
  std::vector<std::string> topics;
};

// apns-provider-api.md §11.1 fixtures C_DEV, C_PROD, C_UNIV, C_VOIP and the §7.4 topic rules.
const KindCase kKinds[] = {
    {CertificateKind::ApnsDevelopment, true, false, "com.example.imapp", {"com.example.imapp"}},
    {CertificateKind::ApnsProduction, false, true, "com.example.imapp", {"com.example.imapp"}},
    {CertificateKind::ApplePushServices,
     true,
     true,
     "com.example.imapp",
     {"com.example.imapp", "com.example.imapp.voip", "com.example.imapp.complication"}},
    {CertificateKind::VoipServices,
     true,
     true,
     "com.example.imapp.voip",
     {"com.example.imapp.voip"}},
};

TEST(Classify, EveryKindReadsBackAsIssued) {
  const auto store = trust();
  for (const auto& c : kKinds) {
    SCOPED_TRACE(std::string(pki::kind_name(c.kind)));
    const auto issued = TestCa::get().issue(c.kind);
    auto id = pki::classify_certificate(issued.certificate_pem, store, kNow);
    ASSERT_TRUE(id) << id.error().message();
    EXPECT_EQ(id->kind, c.kind);
    EXPECT_EQ(id->development, c.development);
    EXPECT_EQ(id->production, c.production);
    EXPECT_EQ(id->uid, c.uid);
    EXPECT_EQ(id->bundle_id, kBundle);
    EXPECT_EQ(id->team_id, pki_test::kTeam);
    EXPECT_EQ(id->topics, c.topics);
    EXPECT_EQ(id->common_name, std::string(pki::common_name_prefix(c.kind)) + kBundle);
    EXPECT_LT(id->not_before, kNow);
    EXPECT_GT(id->not_after, kNow);
  }
}

TEST(Classify, AcceptsDerAsTheTlsLayerHandsItOver) {
  const auto issued = TestCa::get().issue(CertificateKind::VoipServices);
  auto der = pki::certificate_pem_to_der(issued.certificate_pem);
  ASSERT_TRUE(der);
  ASSERT_EQ(der->find("-----BEGIN"), std::string::npos);
  auto id = pki::classify_certificate(*der, trust(), kNow);
  ASSERT_TRUE(id) << id.error().message();
  EXPECT_EQ(id->kind, CertificateKind::VoipServices);
  EXPECT_EQ(id->topics, std::vector<std::string>{"com.example.imapp.voip"});
}

TEST(Classify, CertificateWithoutAppleFieldsIsNotAppleShaped) {
  const auto plain = TestCa::get().issue(CertificateKind::PlainClient);
  auto id = pki::classify_certificate(plain.certificate_pem, trust(), kNow);
  ASSERT_FALSE(id);
  EXPECT_EQ(id.error().code, pki::Errc::NotAppleShaped);
  EXPECT_NE(id.error().message().find("Example Client"), std::string::npos) << id.error().message();
}

TEST(Classify, ExpiredAndNotYetValidAreToldApart) {
  const auto issued = TestCa::get().issue(CertificateKind::VoipServices);
  auto expired = pki::classify_certificate(issued.certificate_pem, trust(), kNow + hours(24 * 400));
  ASSERT_FALSE(expired);
  EXPECT_EQ(expired.error().code, pki::Errc::Expired);
  auto early = pki::classify_certificate(issued.certificate_pem, trust(), kNow - hours(24 * 60));
  ASSERT_FALSE(early);
  EXPECT_EQ(early.error().code, pki::Errc::NotYetValid);
}

TEST(Classify, CertificateFromAnotherCaIsUntrusted) {
  auto stranger = pki::CertificateAuthority::create_root({"Stranger CA", "elsewhere", "", "US"},
                                                         kNow - hours(24), kNow + hours(24))
                      .value();
  auto issued =
      stranger.issue_provider({CertificateKind::VoipServices, kBundle, pki_test::kTeam, "Evil Inc.",
                               kNow - hours(1), kNow + hours(1), pki::KeyType::EcP256});
  ASSERT_TRUE(issued);
  auto id = pki::classify_certificate(issued->certificate_pem, trust(), kNow);
  ASSERT_FALSE(id);
  EXPECT_EQ(id.error().code, pki::Errc::UntrustedIssuer);
}

TEST(Classify, TrustingOnlyTheIntermediateIsEnough) {
  auto store = pki::TrustStore::from_pem(TestCa::get().wwdr.certificate_pem());
  ASSERT_TRUE(store);
  const auto issued = TestCa::get().issue(CertificateKind::ApplePushServices);
  EXPECT_TRUE(pki::classify_certificate(issued.certificate_pem, *store, kNow));
}

TEST(Classify, GarbageIsMalformed) {
  const std::vector<std::string> garbage = {
      "", "not a certificate", "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n",
      std::string("\x30\x82\x01\x00", 4)};
  for (const auto& bad : garbage) {
    auto id = pki::classify_certificate(bad, trust(), kNow);
    ASSERT_FALSE(id);
    EXPECT_EQ(id.error().code, pki::Errc::Malformed);
  }
  EXPECT_FALSE(pki::TrustStore::from_pem("no certificates here"));
}

pki::ProviderCertificateSpec spec(CertificateKind kind, std::string bundle, std::string team,
                                  core::TimePoint from = kNow,
                                  core::TimePoint until = kNow + hours(1)) {
  return {kind,  std::move(bundle),   std::move(team), "Example Inc.", from,
          until, pki::KeyType::EcP256};
}

TEST(TrustStore, RefusesABundleWithADamagedCertificate) {
  std::string bundle = TestCa::get().bundle_pem();
  const auto second = bundle.find("-----BEGIN CERTIFICATE-----", 10);
  bundle[second + 40] =
      bundle[second + 40] == 'A' ? 'B' : 'A'; // inside the second certificate's base64
  bundle[second + 41] = '*';
  auto store = pki::TrustStore::from_pem(bundle);
  ASSERT_FALSE(store);
  EXPECT_EQ(store.error().code, pki::Errc::Malformed);
  EXPECT_NE(store.error().message().find("certificate 2"), std::string::npos)
      << store.error().message();
}

// A bundle read twice in a row is one store (every pipeline of a scenario run reads the same
// one); another bundle is its own, and trusts only what it holds.
TEST(TrustStore, TheSameBundleTwiceIsOneStoreAndAnotherIsItsOwn) {
  const std::string bundle = TestCa::get().bundle_pem();
  auto first = pki::TrustStore::from_pem(bundle);
  auto again = pki::TrustStore::from_pem(std::string(bundle));
  ASSERT_TRUE(first && again);
  EXPECT_EQ(first->native(), again->native());

  auto stranger = pki::CertificateAuthority::create_root({"Stranger Root", "Stranger", "", "US"},
                                                         kNow - hours(1), kNow + hours(2))
                      .value();
  auto other = pki::TrustStore::from_pem(stranger.certificate_pem());
  ASSERT_TRUE(other);
  EXPECT_NE(other->native(), first->native());
  const auto issued = TestCa::get().issue(CertificateKind::VoipServices);
  EXPECT_EQ(pki::classify_certificate(issued.certificate_pem, *other, kNow).error().code,
            pki::Errc::UntrustedIssuer);
  EXPECT_TRUE(pki::classify_certificate(issued.certificate_pem, *first, kNow));
}

// One store checks certificates on several threads at once (scenario worlds running side by
// side share it): a race in it is ThreadSanitizer's to find in the sanitizer build, most likely
// at a store's first use, so each round starts four threads at once on a store new to the
// process (its bundle has a root of its own).
TEST(TrustStore, OneStoreChecksOnSeveralThreadsAtOnce) {
  const auto issued = TestCa::get().issue(CertificateKind::VoipServices);
  constexpr int kRounds = 20;
  constexpr int kThreads = 4;
  for (int round = 0; round < kRounds; ++round) {
    auto extra = pki::CertificateAuthority::create_root(
                     {"Threads Root " + std::to_string(round), "voipsim", "", "US"},
                     kNow - hours(1), kNow + hours(2))
                     .value();
    const auto store =
        pki::TrustStore::from_pem(TestCa::get().bundle_pem() + extra.certificate_pem()).value();
    std::atomic<int> trusted{0};
    std::latch start(kThreads);
    std::vector<std::thread> threads;
    for (int t = 0; t < kThreads; ++t)
      threads.emplace_back([&] {
        start.arrive_and_wait();
        if (pki::classify_certificate(issued.certificate_pem, store, kNow)) ++trusted;
      });
    for (auto& thread : threads)
      thread.join();
    ASSERT_EQ(trusted.load(), kThreads) << "round " << round;
  }
}

TEST(Keys, AnEncryptedKeyIsRefusedWithoutAskingForAPassphrase) {
  // OpenSSL's default would prompt on the terminal and block the thread.
  support::TempDir dir;
  const auto r = support::run_process({"openssl", "genpkey", "-algorithm", "EC", "-pkeyopt",
                                       "ec_paramgen_curve:P-256", "-aes256", "-pass", "pass:secret",
                                       "-out", dir.file("enc.pem")},
                                      std::chrono::seconds(30));
  ASSERT_EQ(r.exit_code, 0) << r.describe();
  const std::string pem = support::read_file(dir.file("enc.pem"));
  ASSERT_NE(pem.find("ENCRYPTED PRIVATE KEY"), std::string::npos);
  auto key = pki::PublicKey::from_pem(pem);
  ASSERT_FALSE(key);
  EXPECT_EQ(key.error().code, pki::Errc::Malformed);
  pki::ProviderTokenVerifier verifier;
  EXPECT_FALSE(verifier.add_key("KB00000001", "TEAMA12345", pem));
}

TEST(CertificateAuthority, RefusesSpecsItCannotHonour) {
  const auto& wwdr = TestCa::get().wwdr;
  auto no_bundle = wwdr.issue_provider(spec(CertificateKind::VoipServices, "", pki_test::kTeam));
  ASSERT_FALSE(no_bundle);
  EXPECT_EQ(no_bundle.error().code, pki::Errc::InvalidInput);
  EXPECT_FALSE(wwdr.issue_provider(
      spec(CertificateKind::VoipServices, "com.example(app)", pki_test::kTeam)));
  EXPECT_FALSE(wwdr.issue_provider(spec(CertificateKind::VoipServices, kBundle, "short")));
  EXPECT_FALSE(wwdr.issue_provider(
      spec(CertificateKind::VoipServices, kBundle, pki_test::kTeam, kNow, kNow)));
  EXPECT_FALSE(wwdr.issue_provider(spec(CertificateKind::Other, kBundle, pki_test::kTeam)));
  EXPECT_TRUE(wwdr.issue_provider(spec(CertificateKind::VoipServices, kBundle, pki_test::kTeam)));
  EXPECT_FALSE(pki::CertificateAuthority::load(TestCa::get().root.certificate_pem(),
                                               TestCa::get().wwdr.private_key_pem()));
  EXPECT_TRUE(pki::CertificateAuthority::load(TestCa::get().root.certificate_pem(),
                                              TestCa::get().root.private_key_pem()));
}

} // namespace
