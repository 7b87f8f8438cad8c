#pragma once
// The fixtures of spec apns-provider-api.md §11.1 (teams, keys, certificates, device tokens) and
// the default request R, as data both the pure table test and the over-the-wire conformance
// test use.
#include "mock_apns/provider_keys.hpp"
#include "mock_apns/settings.hpp"
#include "mock_apns/token_registry.hpp"
#include "mock_apns/validate.hpp"
#include "pki/certificate.hpp"
#include "pki/test_ca.hpp"

#include <cstdint>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace mock_apns_test {

inline constexpr std::int64_t kNowSeconds = 1767225600; // apns-provider-api.md §11.1 NOW
inline constexpr const char* kTeamA = "TEAMA12345";
inline constexpr const char* kTeamB = "TEAMB67890";
inline constexpr const char* kVoipTopic = "com.example.imapp.voip";
inline constexpr const char* kDefaultApnsId = "0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0";

inline constexpr const char* T_VOIP_SBX =
    "db3582a31936a10992dcb438c512d71a0ca642b9b58c4fb2357f8c055043eaf6";
inline constexpr const char* T_VOIP_PROD =
    "bf33829ed1b963dcb2b6bddd95a53f38f6337cc7999377e69df2f35790011921";
inline constexpr const char* T_APNS_SBX =
    "c7d32afa84e204599d2734bbf18cb22bcadf3841d668b1c1d07272baf49497af";
inline constexpr const char* T_UNREG_SBX =
    "1a48808a9b6ef87b417d1847d73776f9504d2bb8969d58eba1cc15e616f8b24b";
inline constexpr const char* T_EXP_SBX =
    "f27a10c9eee4828d11e136128302111857ca04dcf5882aa3550d2786271c4806";
inline constexpr const char* T_OTHER_SBX =
    "ac1db5ce44f9a1a32d92810177698cb8e0a84da9378facc67ce423db92950253";

// How to make a request's provider token (apns-provider-api.md §11.1 JWT(k, iat)).
struct JwtSpec {
  std::string kid = "KB00000001";
  std::int64_t iat_offset = -60;        // seconds relative to NOW
  std::optional<std::string> iss;       // default: the key's team
  std::optional<std::string> alg;       // default ES256; "HS256" is HMAC-signed
  std::optional<std::string> sign_with; // key id whose private key signs; default `kid`
  bool der_signature = false;
  bool flip_last_signature_byte = false;
};

// One request: R by default, changed per vector.
struct TestRequest {
  std::string method = "POST";
  std::string path = std::string("/3/device/") + T_VOIP_SBX;
  std::vector<std::pair<std::string, std::string>> headers; // without authorization
  std::optional<JwtSpec> jwt = JwtSpec{};
  std::optional<std::string> authorization; // literal value instead of a JWT
  std::string body = R"({"aps":{},"call":"x"})";

  TestRequest();
  TestRequest& token(std::string_view hex);
  TestRequest& set(std::string_view name, std::string value); // replaces every occurrence
  TestRequest& add(std::string_view name, std::string value); // appends another
  TestRequest& remove(std::string_view name);
  TestRequest& with_jwt(JwtSpec spec);
  TestRequest& without_authorization();
};
inline TestRequest R() {
  return TestRequest();
}

// Keys, tokens and certificates of §11.1, made once per process.
class SpecWorld {
public:
  static const SpecWorld& get();

  // Loads the §11.1 keys and team bundles into `keys`, the tokens into `tokens`.
  void load_keys(mock_apns::ProviderKeys& keys) const;
  void load_tokens(mock_apns::TokenRegistry& tokens) const;

  std::string jwt(const JwtSpec& spec) const;
  // The authorization header value of `request`, or nullopt when it sends none.
  std::optional<std::string> authorization(const TestRequest& request) const;

  const pki::IssuedCertificate& certificate(std::string_view name) const; // "C_UNIV", ...
  std::string trust_pem() const { return pki_test::TestCa::get().bundle_pem(); }
  const std::map<std::string, std::string>& private_keys() const { return private_keys_; }

private:
  SpecWorld();
  std::string sign_jwt(const JwtSpec& spec) const;
  mutable std::mutex jwt_mutex_;
  mutable std::map<std::string, std::string> jwts_; // one token per JwtSpec, made on first use
  std::map<std::string, std::string> private_keys_; // key id → .p8 PEM
  std::map<std::string, pki::IssuedCertificate, std::less<>> certificates_;
};

} // namespace mock_apns_test
