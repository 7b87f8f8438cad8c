// The set of client certificates the mock refuses at the handshake (refused_certificates.hpp):
// what a fingerprint may look like, and that the listeners' lookup sees what the admin API set.
#include "mock_apns/refused_certificates.hpp"

#include <gtest/gtest.h>

namespace {

using mock_apns::parse_certificate_fingerprint;
using mock_apns::RefusedCertificates;

const std::string kLower = "3f1c0a9e5b7d2468ace013579bdf0246"
                           "8ace013579bdf02468ace013579bdf02";

std::string with_colons(const std::string& hex) {
  std::string out;
  for (std::size_t i = 0; i < hex.size(); i += 2)
    out += (i ? ":" : "") + hex.substr(i, 2);
  return out;
}

TEST(CertificateFingerprint, HexInEitherCaseAndOpensslsColonFormReadAsLowerCaseHex) {
  std::string upper = kLower;
  for (char& c : upper)
    c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  for (const auto& text : {kLower, upper, with_colons(upper)}) {
    const auto read = parse_certificate_fingerprint(text);
    ASSERT_TRUE(read) << text;
    EXPECT_EQ(*read, kLower) << text;
  }
}

TEST(CertificateFingerprint, AnythingElseIsRefusedSayingWhatAFingerprintIs) {
  for (const std::string& text :
       {std::string(), kLower.substr(2), kLower + "00", "g" + kLower.substr(1),
        ":" + with_colons(kLower), with_colons(kLower) + ":",
        kLower.substr(0, 3) + ":" + kLower.substr(3)}) {
    const auto read = parse_certificate_fingerprint(text);
    ASSERT_FALSE(read) << text;
    EXPECT_NE(read.error().detail.find("64 hex digits"), std::string::npos) << text;
  }
}

TEST(RefusedCertificates, RefuseAllowAndClearChangeWhatTheHandshakeLookupSees) {
  RefusedCertificates refused;
  EXPECT_FALSE(refused.refuses(kLower));
  ASSERT_TRUE(refused.refuse(with_colons(kLower)));
  EXPECT_TRUE(*refused.refuse(kLower) == false) << "already refused";
  EXPECT_TRUE(refused.refuses(kLower));
  EXPECT_EQ(refused.list(), std::vector<std::string>{kLower});
  EXPECT_FALSE(refused.refuse("nope"));
  EXPECT_EQ(refused.size(), 1u);
  EXPECT_TRUE(refused.allow(kLower));
  EXPECT_FALSE(refused.allow(kLower));
  EXPECT_FALSE(refused.refuses(kLower));
  ASSERT_TRUE(refused.refuse(kLower));
  EXPECT_EQ(refused.clear(), 1u);
  EXPECT_FALSE(refused.refuses(kLower));
}

} // namespace
