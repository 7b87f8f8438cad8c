// Provider tokens (apns-provider-api.md §6): tokens signed outside our code verify; every failure
// has its own error (issue: PKI acceptance 2).

#include "core/encoding.hpp"
#include "pki/error.hpp"
#include "pki/es256.hpp"
#include "pki/provider_token.hpp"
#include "pki/test_ca.hpp"
#include "support/child_process.hpp"
#include "support/temp_dir.hpp"

#include <gtest/gtest.h>
#include <openssl/hmac.h>

namespace {

using namespace std::chrono_literals;
using core::base64url_encode;
using pki_test::kNow;

constexpr const char* kKeyId = "KB00000001";
constexpr const char* kTeam = "TEAMA12345";
const std::int64_t kNowS = core::unix_seconds(kNow);

// DER SEQUENCE{INTEGER r, INTEGER s} to r||s, written here so the test does not trust ours.
std::string der_to_jose(const std::string& der) {
  std::size_t i = 2; // SEQUENCE tag and short length: a P-256 signature is at most 72 bytes
  std::string out;
  for (int k = 0; k < 2; ++k) {
    EXPECT_EQ(der[i], 0x02);
    const std::size_t len = static_cast<unsigned char>(der[i + 1]);
    std::string v = der.substr(i + 2, len);
    i += 2 + len;
    while (v.size() > 32 && v.front() == '\0')
      v.erase(v.begin());
    out += std::string(32 - v.size(), '\0') + v;
  }
  return out;
}

// The header and claims JSON, encoded; the signature is added by the caller.
std::string signing_input(const std::string& header, const std::string& claims) {
  return base64url_encode(header) + "." + base64url_encode(claims);
}

class ProviderTokens : public ::testing::Test {
protected:
  void SetUp() override {
    const auto r = support::run_process({"openssl", "genpkey", "-algorithm", "EC", "-pkeyopt",
                                         "ec_paramgen_curve:P-256", "-out", dir.file("AuthKey.p8")},
                                        30s);
    ASSERT_EQ(r.exit_code, 0) << r.describe();
    p8 = support::read_file(dir.file("AuthKey.p8"));
    ASSERT_TRUE(verifier.add_key(kKeyId, kTeam, p8));
  }

  // Signs with the openssl tool; returns the DER signature.
  std::string openssl_sign(const std::string& input) {
    const std::string in = dir.write("input.txt", input);
    const auto r = support::run_process({"openssl", "dgst", "-sha256", "-sign",
                                         dir.file("AuthKey.p8"), "-out", dir.file("sig.der"), in},
                                        30s);
    EXPECT_EQ(r.exit_code, 0) << r.describe();
    return support::read_file(dir.file("sig.der"));
  }

  std::string token(std::int64_t iat = kNowS - 60, const std::string& kid = kKeyId,
                    const std::string& iss = kTeam) {
    const std::string input =
        signing_input(R"({"alg":"ES256","kid":")" + kid + R"("})",
                      R"({"iss":")" + iss + R"(","iat":)" + std::to_string(iat) + "}");
    return input + "." + base64url_encode(der_to_jose(openssl_sign(input)));
  }

  std::error_code verify_error(const std::string& jwt) {
    auto result = verifier.verify(jwt, kNow);
    return result ? std::error_code{} : result.error().code;
  }

  support::TempDir dir;
  std::string p8;
  pki::ProviderTokenVerifier verifier;
};

TEST_F(ProviderTokens, TokenSignedByTheOpensslToolVerifies) {
  auto result = verifier.verify(token(), kNow);
  ASSERT_TRUE(result) << result.error().message();
  EXPECT_EQ(result->key_id, kKeyId);
  EXPECT_EQ(result->team_id, kTeam);
  EXPECT_EQ(result->issued_at, kNowS - 60);
}

TEST_F(ProviderTokens, DerEncodedSignatureVerifiesToo) { // spec V47: pushy signs in DER
  const std::string input =
      signing_input(R"({"alg":"ES256","kid":"KB00000001"})",
                    R"({"iss":"TEAMA12345","iat":)" + std::to_string(kNowS) + "}");
  EXPECT_TRUE(verifier.verify(input + "." + base64url_encode(openssl_sign(input)), kNow));
}

TEST_F(ProviderTokens, FlippingOneByteOfAnyPartFailsWithTheRightError) {
  const std::string header = R"({"alg":"ES256","kid":"KB00000001"})";
  const std::string claims = R"({"iss":"TEAMA12345","iat":)" + std::to_string(kNowS) + "}";
  const std::string input = signing_input(header, claims);
  std::string signature = der_to_jose(openssl_sign(input));
  ASSERT_TRUE(verifier.verify(input + "." + base64url_encode(signature), kNow));

  // Signature: last byte of s.
  std::string flipped_sig = signature;
  flipped_sig.back() = static_cast<char>(flipped_sig.back() ^ 0x01);
  EXPECT_EQ(verify_error(input + "." + base64url_encode(flipped_sig)),
            pki::Errc::TokenBadSignature);

  // Claims: one digit of iat; still well-formed, so only the signature can catch it.
  std::string claims2 = claims;
  claims2[claims2.size() - 2] = claims2[claims2.size() - 2] == '0' ? '1' : '0';
  EXPECT_EQ(verify_error(signing_input(header, claims2) + "." + base64url_encode(signature)),
            pki::Errc::TokenBadSignature);

  // Header: one letter of kid, naming another registered key.
  auto other = pki::generate_private_key(pki::KeyType::EcP256).value();
  ASSERT_TRUE(verifier.add_key("KB00000002", kTeam, other));
  std::string header2 = header;
  header2[header2.find("01\"") + 1] = '2';
  EXPECT_EQ(verify_error(signing_input(header2, claims) + "." + base64url_encode(signature)),
            pki::Errc::TokenBadSignature);

  // Header text itself: the first base64url character, which breaks the JSON.
  std::string raw = input + "." + base64url_encode(signature);
  raw[0] = raw[0] == 'e' ? 'f' : 'e';
  EXPECT_EQ(verify_error(raw), pki::Errc::TokenMalformed);
}

TEST_F(ProviderTokens, MalformedTokens) {
  const std::string sig = base64url_encode(std::string(64, '\x01'));
  const std::string good_header = base64url_encode(R"({"alg":"ES256","kid":"KB00000001"})");
  const std::string good_claims = base64url_encode(R"({"iss":"TEAMA12345","iat":1767225540})");
  const std::vector<std::string> bad = {
      "",
      "abc.def",                                          // V39: two parts
      good_header + "." + good_claims,                    // no signature
      good_header + "." + good_claims + "." + sig + ".x", // four parts
      good_header + "." + good_claims + "." + "!!!",      // signature not base64url
      "e30." + good_claims + "." + sig,                   // header {} without alg/kid
      good_header + ".bm90IGpzb24." + sig,                // claims "not json"
      good_header + "." + base64url_encode(R"({"iss":"TEAMA12345","iat":"1767225540000"})") + "." +
          sig,
      good_header + "." + base64url_encode(R"({"iss":"TEAMA12345","iat":1767225540.5})") + "." +
          sig,
      good_header + "." + base64url_encode(R"({"iat":1767225540})") + "." + sig, // no iss
      good_header + "." + base64url_encode("[1,2]") + "." + sig,
      std::string(9000, 'a') + "." + good_claims + "." + sig,
  };
  for (const auto& jwt : bad)
    EXPECT_EQ(verify_error(jwt), pki::Errc::TokenMalformed) << jwt.substr(0, 80);
}

TEST_F(ProviderTokens, OnlyEs256IsAccepted) { // spec V40
  const std::string input =
      signing_input(R"({"alg":"HS256","kid":"KB00000001"})",
                    R"({"iss":"TEAMA12345","iat":)" + std::to_string(kNowS) + "}");
  unsigned char mac[32];
  unsigned int len = 0;
  HMAC(EVP_sha256(), "secret", 6, reinterpret_cast<const unsigned char*>(input.data()),
       input.size(), mac, &len);
  const std::string hs256 =
      input + "." + base64url_encode(std::string(reinterpret_cast<char*>(mac), len));
  EXPECT_EQ(verify_error(hs256), pki::Errc::TokenWrongAlgorithm);
  const std::string none =
      signing_input(R"({"alg":"none","kid":"KB00000001"})", R"({"iss":"TEAMA12345","iat":1})");
  EXPECT_EQ(verify_error(none + ".AA"), pki::Errc::TokenWrongAlgorithm);
}

TEST_F(ProviderTokens, UnknownKeyId) { // spec V41
  EXPECT_EQ(verify_error(token(kNowS, "ZZZZZZZZZZ")), pki::Errc::TokenUnknownKeyId);
}

TEST_F(ProviderTokens, TeamMismatch) { // spec V44: signed with the key, but iss names another team
  EXPECT_EQ(verify_error(token(kNowS, kKeyId, "TEAMB67890")), pki::Errc::TokenTeamMismatch);
}

TEST_F(ProviderTokens, ValidityWindow) { // spec V45, V46, §6.3
  EXPECT_EQ(verify_error(token(kNowS - 3601)), pki::Errc::TokenExpired);
  EXPECT_EQ(verify_error(token(kNowS - 3600)), std::error_code{});
  EXPECT_EQ(verify_error(token(kNowS - 3599)), std::error_code{});
  EXPECT_EQ(verify_error(token(kNowS + 300)), std::error_code{});
  EXPECT_EQ(verify_error(token(kNowS + 301)), pki::Errc::TokenIssuedInFuture);
  // Apple's sample token counts iat in milliseconds: far in the future.
  EXPECT_EQ(verify_error(token(kNowS * 1000)), pki::Errc::TokenIssuedInFuture);
}

TEST_F(ProviderTokens, OurTokensHaveApplesShapeAndVerifyWithTheOpensslTool) {
  auto jwt = pki::make_provider_token(p8, kKeyId, kTeam, kNow);
  ASSERT_TRUE(jwt) << jwt.error().message();
  auto parsed = pki::parse_provider_token(*jwt);
  ASSERT_TRUE(parsed);
  EXPECT_EQ(core::base64url_decode(parsed->signing_input.substr(0, parsed->signing_input.find('.')))
                .value(),
            R"({"alg":"ES256","kid":"KB00000001"})");
  EXPECT_EQ(parsed->issued_at, kNowS);
  ASSERT_EQ(parsed->signature.size(), 64u); // JOSE r||s, not DER
  EXPECT_TRUE(verifier.verify(*jwt, kNow));

  // The openssl tool checks our signature, re-encoded to DER by the test's own hand.
  auto pub = pki::public_key_pem_of(p8);
  ASSERT_TRUE(pub);
  auto der = pki::ecdsa_jose_to_der(parsed->signature);
  ASSERT_TRUE(der);
  EXPECT_EQ(der_to_jose(*der), parsed->signature);
  dir.write("pub.pem", *pub);
  dir.write("our.sig", *der);
  const std::string in = dir.write("our.txt", parsed->signing_input);
  const auto r = support::run_process({"openssl", "dgst", "-sha256", "-verify", dir.file("pub.pem"),
                                       "-signature", dir.file("our.sig"), in},
                                      30s);
  EXPECT_EQ(r.exit_code, 0) << r.describe();
  EXPECT_NE(r.output.find("Verified OK"), std::string::npos) << r.describe();
}

TEST_F(ProviderTokens, KeysMustBeP256) {
  auto rsa = pki::generate_private_key(pki::KeyType::Rsa2048).value();
  auto added = verifier.add_key("KR00000001", kTeam, rsa);
  ASSERT_FALSE(added);
  EXPECT_EQ(added.error().code, pki::Errc::InvalidInput);
  EXPECT_FALSE(pki::make_provider_token(rsa, kKeyId, kTeam, kNow));
}

} // namespace
