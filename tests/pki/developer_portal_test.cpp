// The developer portal's step (spec apns-provider-api.md §7.4a): which CSRs it takes, what each
// refusal says, and that the certificate it issues is issue_provider's for the CSR's key.

#include "pki/certificate_request.hpp"
#include "pki/classify.hpp"
#include "pki/developer_portal.hpp"
#include "pki/error.hpp"
#include "pki/keys.hpp"
#include "pki/test_ca.hpp"
#include "support/names_round_trip.hpp"

#include <memory>

#include <gtest/gtest.h>
#include <openssl/ec.h>
#include <openssl/pem.h>
#include <openssl/rsa.h>
#include <openssl/x509.h>

namespace {

template <auto Free>
struct Deleter {
  template <class T>
  void operator()(T* p) const {
    Free(p);
  }
};
using PkeyPtr = std::unique_ptr<EVP_PKEY, Deleter<EVP_PKEY_free>>;
using RequestPtr = std::unique_ptr<X509_REQ, Deleter<X509_REQ_free>>;
using BioPtr = std::unique_ptr<BIO, Deleter<BIO_free>>;

PkeyPtr rsa_key(unsigned bits) {
  return PkeyPtr(EVP_PKEY_Q_keygen(nullptr, nullptr, "RSA", size_t{bits}));
}
PkeyPtr ec_key() {
  return PkeyPtr(EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", "P-256"));
}

std::string bio_text(BIO* bio) {
  char* data = nullptr;
  const long n = BIO_get_mem_data(bio, &data);
  return std::string(data, static_cast<std::size_t>(n));
}

struct Csr {
  std::string pem;
  std::string der;
  std::string public_key_pem;
};

// A CSR as `openssl req -new` makes it; an empty field is left out of the subject.
Csr make_csr(EVP_PKEY* key, const std::string& email = "dev@example.com",
             const std::string& common_name = "Dev Key") {
  RequestPtr req(X509_REQ_new());
  X509_NAME* name = X509_REQ_get_subject_name(req.get());
  for (const auto& [field, value] :
       {std::pair{"emailAddress", email}, std::pair{"CN", common_name}})
    if (!value.empty())
      X509_NAME_add_entry_by_txt(name, field, MBSTRING_UTF8,
                                 reinterpret_cast<const unsigned char*>(value.c_str()), -1, -1, 0);
  X509_REQ_set_pubkey(req.get(), key);
  EXPECT_GT(X509_REQ_sign(req.get(), key, EVP_sha256()), 0);
  Csr csr;
  BioPtr pem(BIO_new(BIO_s_mem()));
  PEM_write_bio_X509_REQ(pem.get(), req.get());
  csr.pem = bio_text(pem.get());
  unsigned char* der = nullptr;
  const int n = i2d_X509_REQ(req.get(), &der);
  csr.der.assign(reinterpret_cast<char*>(der), static_cast<std::size_t>(n));
  OPENSSL_free(der);
  BioPtr pub(BIO_new(BIO_s_mem()));
  PEM_write_bio_PUBKEY(pub.get(), key);
  csr.public_key_pem = bio_text(pub.get());
  return csr;
}

const PkeyPtr& rsa2048() {
  static const PkeyPtr key = rsa_key(2048);
  return key;
}

TEST(CertificateRequest, TakesAPemRequestWithAnRsa2048KeyEmailAndCommonName) {
  const Csr csr = make_csr(rsa2048().get());
  auto request = pki::read_certificate_request(csr.pem);
  ASSERT_TRUE(request) << request.error().message();
  EXPECT_EQ(request->key_bits, 2048);
  EXPECT_EQ(request->email_address, "dev@example.com");
  EXPECT_EQ(request->common_name, "Dev Key");
  EXPECT_EQ(request->public_key_pem, csr.public_key_pem);
}

TEST(CertificateRequest, MakesARequestThePortalTakes) {
  auto key = pki::generate_private_key(pki::KeyType::Rsa2048);
  ASSERT_TRUE(key);
  auto pem = pki::make_certificate_request(*key, "dev@example.com", "Dev Key");
  ASSERT_TRUE(pem) << pem.error().message();
  auto request = pki::read_certificate_request(*pem);
  ASSERT_TRUE(request) << request.error().message();
  EXPECT_EQ(request->public_key_pem, pki::public_key_pem_of(*key).value());
  EXPECT_EQ(request->email_address, "dev@example.com");
  EXPECT_EQ(request->common_name, "Dev Key");
}

TEST(CertificateRequest, TakesTheSameRequestInDer) {
  auto request = pki::read_certificate_request(make_csr(rsa2048().get()).der);
  ASSERT_TRUE(request) << request.error().message();
  EXPECT_EQ(request->common_name, "Dev Key");
}

TEST(CertificateRequest, TakesALargerRsaKey) {
  const PkeyPtr key = rsa_key(3072);
  auto request = pki::read_certificate_request(make_csr(key.get()).pem);
  ASSERT_TRUE(request) << request.error().message();
  EXPECT_EQ(request->key_bits, 3072);
}

struct Refusal {
  const char* name;
  std::string csr;
  pki::Errc code;
  const char* says; // part of the message
};

std::vector<Refusal> refusals() {
  const PkeyPtr small = rsa_key(1024);
  const PkeyPtr ec = ec_key();
  std::string broken = make_csr(rsa2048().get()).der;
  broken[broken.size() - 10] ^= 0x01; // inside the signature, the DER's last field
  return {
      {"empty", "", pki::Errc::Malformed, "request file is empty"},
      {"not a request",
       "-----BEGIN CERTIFICATE REQUEST-----\nAAAA\n-----END CERTIFICATE "
       "REQUEST-----\n",
       pki::Errc::Malformed, "(PKCS#10, PEM or DER)"},
      {"a certificate", pki_test::TestCa::get().wwdr.certificate_pem(), pki::Errc::Malformed,
       "Certificate Signing Request"},
      {"rsa 1024", make_csr(small.get()).pem, pki::Errc::InvalidInput,
       "RSA 2048-bit keys, and this request's key has 1024 bits"},
      {"ec p-256", make_csr(ec.get()).pem, pki::Errc::InvalidInput, "is not RSA (id-ecPublicKey)"},
      {"broken signature", broken, pki::Errc::InvalidInput, "signature does not verify"},
      {"no email", make_csr(rsa2048().get(), "").pem, pki::Errc::InvalidInput,
       "needs an email address and a common name"},
      {"no common name", make_csr(rsa2048().get(), "dev@example.com", "").pem,
       pki::Errc::InvalidInput, "needs an email address and a common name"},
  };
}

TEST(CertificateRequest, RefusesWhatThePortalRefusesAndSaysHowToFixIt) {
  for (const auto& r : refusals()) {
    SCOPED_TRACE(r.name);
    auto request = pki::read_certificate_request(r.csr);
    ASSERT_FALSE(request);
    EXPECT_EQ(request.error().code, make_error_code(r.code));
    EXPECT_NE(request.error().message().find(r.says), std::string::npos)
        << request.error().message();
    EXPECT_NE(request.error().message().find("openssl req -new -newkey rsa:2048"),
              std::string::npos)
        << request.error().message();
  }
}

TEST(DeveloperPortal, KnowsThePortalKindsAndApplesDownloadNames) {
  EXPECT_EQ(pki::portal_kind("voip-services"), pki::CertificateKind::VoipServices);
  EXPECT_EQ(pki::portal_kind("apns-development"), pki::CertificateKind::ApnsDevelopment);
  EXPECT_EQ(pki::portal_kind("apns-production"), pki::CertificateKind::ApnsProduction);
  EXPECT_EQ(pki::portal_kind("apple-push-services"), pki::CertificateKind::ApplePushServices);
  EXPECT_FALSE(pki::portal_kind("plain-client"));
  EXPECT_FALSE(pki::portal_kind("voip"));
  EXPECT_EQ(pki::download_name(pki::CertificateKind::VoipServices), "voip_services.cer");
  EXPECT_EQ(pki::download_name(pki::CertificateKind::ApnsDevelopment), "aps_development.cer");
  EXPECT_EQ(pki::download_name(pki::CertificateKind::ApnsProduction), "aps.cer");
}

TEST(DeveloperPortal, KindNamesRoundTripAndThePortalWordsAreItsKinds) {
  support::expect_round_trip<pki::CertificateKind>(
      {{pki::CertificateKind::ApnsDevelopment, "apns-development"},
       {pki::CertificateKind::ApnsProduction, "apns-production"},
       {pki::CertificateKind::ApplePushServices, "apple-push-services"},
       {pki::CertificateKind::VoipServices, "voip-services"},
       {pki::CertificateKind::PlainClient, "plain-client"},
       {pki::CertificateKind::Other, "other"}},
      pki::kind_name, pki::parse_certificate_kind);
  EXPECT_EQ(pki::portal_kind_words(),
            "voip-services, apns-development, apns-production or apple-push-services");
  EXPECT_EQ(pki::common_name_prefix(pki::CertificateKind::VoipServices), "VoIP Services: ");
  EXPECT_EQ(pki::common_name_prefix(pki::CertificateKind::Other), "");
}

// Every kind: the issued certificate is issue_provider's (subject, UID, environments, topics),
// carries the CSR's key, chains to the WWDR CA and is valid a year from `now`.
TEST(DeveloperPortal, IssuesWhatIssueProviderGivesTheKindForTheCsrsKey) {
  const auto& ca = pki_test::TestCa::get();
  const Csr csr = make_csr(rsa2048().get());
  const auto trust = pki::TrustStore::from_pem(ca.bundle_pem()).value();
  for (auto kind :
       {pki::CertificateKind::VoipServices, pki::CertificateKind::ApnsDevelopment,
        pki::CertificateKind::ApnsProduction, pki::CertificateKind::ApplePushServices}) {
    SCOPED_TRACE(std::string(pki::kind_name(kind)));
    auto der = pki::issue_from_csr(
        ca.wwdr, {csr.pem, kind, pki_test::kBundle, pki_test::kTeam, pki_test::kNow});
    ASSERT_TRUE(der) << der.error().message();
    ASSERT_NE(der->rfind("-----BEGIN", 0), 0u) << "expected DER";
    auto issued = pki::classify_certificate(*der, trust, pki_test::kNow);
    ASSERT_TRUE(issued) << issued.error().message();
    auto reference = pki::read_provider_identity(ca.issue(kind).certificate_pem);
    ASSERT_TRUE(reference);
    EXPECT_EQ(issued->kind, kind);
    EXPECT_EQ(issued->common_name, reference->common_name);
    EXPECT_EQ(issued->uid, reference->uid);
    EXPECT_EQ(issued->team_id, pki_test::kTeam);
    EXPECT_EQ(issued->development, reference->development);
    EXPECT_EQ(issued->production, reference->production);
    EXPECT_EQ(issued->topics, reference->topics);
    EXPECT_EQ(issued->not_before, pki_test::kNow);
    EXPECT_EQ(issued->not_after, pki_test::kNow + std::chrono::hours(24 * 365));

    const auto* p = reinterpret_cast<const unsigned char*>(der->data());
    std::unique_ptr<X509, Deleter<X509_free>> cert(
        d2i_X509(nullptr, &p, static_cast<long>(der->size())));
    ASSERT_TRUE(cert);
    EXPECT_EQ(EVP_PKEY_eq(X509_get0_pubkey(cert.get()), rsa2048().get()), 1);
  }
}

TEST(DeveloperPortal, RefusesABadCsrAndAKindItDoesNotOffer) {
  const auto& ca = pki_test::TestCa::get();
  const PkeyPtr ec = ec_key();
  auto refused =
      pki::issue_from_csr(ca.wwdr, {make_csr(ec.get()).pem, pki::CertificateKind::VoipServices,
                                    pki_test::kBundle, pki_test::kTeam, pki_test::kNow});
  ASSERT_FALSE(refused);
  EXPECT_NE(refused.error().message().find("RSA 2048-bit"), std::string::npos);
  auto plain = pki::issue_from_csr(ca.wwdr, {make_csr(rsa2048().get()).pem,
                                             pki::CertificateKind::PlainClient, pki_test::kBundle,
                                             pki_test::kTeam, pki_test::kNow});
  ASSERT_FALSE(plain);
  EXPECT_NE(plain.error().message().find("does not issue 'plain-client'"), std::string::npos);
}

} // namespace
