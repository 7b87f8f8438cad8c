#include "spec_world.hpp"

#include "core/encoding.hpp"
#include "pki/es256.hpp"
#include "pki/keys.hpp"

#include <mutex>
#include <stdexcept>

#include <openssl/evp.h>
#include <openssl/hmac.h>

namespace mock_apns_test {
namespace {

using mock_apns::KeyKind;

struct KeyRow {
  const char* id;
  const char* team;
  KeyKind kind;
  bool sandbox;
  bool production;
  const char* bundle; // topic-specific keys
  const char* related;
  bool revoked;
};

// apns-provider-api.md §11.1, "Keys".
constexpr KeyRow kKeys[] = {
    {"KB00000001", kTeamA, KeyKind::TeamScoped, true, true, "", "", false},
    {"KS00000001", kTeamA, KeyKind::TeamScoped, true, false, "", "", false},
    {"KP00000001", kTeamA, KeyKind::TeamScoped, false, true, "", "", false},
    {"KT00000001", kTeamA, KeyKind::TopicSpecific, true, false, "com.example.imapp", "KT00000003",
     false},
    {"KT00000002", kTeamA, KeyKind::TopicSpecific, true, false, "com.example.other", "", false},
    {"KT00000003", kTeamA, KeyKind::TopicSpecific, true, false, "com.example.imapp", "KT00000001",
     false},
    {"KR00000001", kTeamA, KeyKind::TeamScoped, true, false, "", "", true},
    {"KX99999999", kTeamB, KeyKind::TeamScoped, true, true, "", "", false},
};

template <typename T>
T must(core::Result<T> result) {
  if (!result) {
    throw std::runtime_error(result.error().message());
  }
  return std::move(*result);
}

void check(const core::Result<void>& result) {
  if (!result) {
    throw std::runtime_error(result.error().message());
  }
}

std::string hmac_sha256(std::string_view key, std::string_view data) {
  unsigned char out[EVP_MAX_MD_SIZE];
  unsigned int size = 0;
  HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()),
       reinterpret_cast<const unsigned char*>(data.data()), data.size(), out, &size);
  return {reinterpret_cast<const char*>(out), size};
}

} // namespace

TestRequest::TestRequest() {
  headers = {{"apns-push-type", "voip"},
             {"apns-topic", kVoipTopic},
             {"apns-priority", "10"},
             {"apns-expiration", "0"},
             {"apns-id", kDefaultApnsId}};
}

TestRequest& TestRequest::token(std::string_view hex) {
  path = "/3/device/" + std::string(hex);
  return *this;
}

TestRequest& TestRequest::set(std::string_view name, std::string value) {
  remove(name);
  headers.emplace_back(std::string(name), std::move(value));
  return *this;
}

TestRequest& TestRequest::add(std::string_view name, std::string value) {
  headers.emplace_back(std::string(name), std::move(value));
  return *this;
}

TestRequest& TestRequest::remove(std::string_view name) {
  std::erase_if(headers, [&](const auto& h) { return h.first == name; });
  return *this;
}

TestRequest& TestRequest::with_jwt(JwtSpec spec) {
  jwt = std::move(spec);
  authorization.reset();
  return *this;
}

TestRequest& TestRequest::without_authorization() {
  jwt.reset();
  authorization.reset();
  return *this;
}

const SpecWorld& SpecWorld::get() {
  static const SpecWorld world;
  return world;
}

SpecWorld::SpecWorld() {
  for (const KeyRow& row : kKeys) {
    private_keys_.emplace(row.id, must(pki::generate_private_key(pki::KeyType::EcP256)));
  }
  const auto& ca = pki_test::TestCa::get();
  certificates_.emplace("C_UNIV", ca.issue(pki::CertificateKind::ApplePushServices));
  certificates_.emplace("C_VOIP", ca.issue(pki::CertificateKind::VoipServices));
  certificates_.emplace("C_DEV", ca.issue(pki::CertificateKind::ApnsDevelopment));
  certificates_.emplace("C_PROD", ca.issue(pki::CertificateKind::ApnsProduction));
  certificates_.emplace("C_BARE", ca.issue(pki::CertificateKind::PlainClient));
}

void SpecWorld::load_keys(mock_apns::ProviderKeys& keys) const {
  for (const KeyRow& row : kKeys) {
    mock_apns::ProviderKeySpec spec;
    spec.key_id = row.id;
    spec.team_id = row.team;
    spec.kind = row.kind;
    spec.sandbox = row.sandbox;
    spec.production = row.production;
    if (*row.bundle != '\0') {
      spec.bundle_ids = {row.bundle};
    }
    spec.related_key_id = row.related;
    spec.public_key_pem = must(pki::public_key_pem_of(private_keys_.at(row.id)));
    spec.revoked = row.revoked;
    check(keys.add(std::move(spec)));
  }
  for (const char* bundle : {"com.example.imapp", "com.example.other"}) {
    check(keys.add_bundle(kTeamA, bundle));
  }
  check(keys.add_bundle(kTeamB, "com.thirdparty.app"));
}

void SpecWorld::load_tokens(mock_apns::TokenRegistry& tokens) const {
  using mock_apns::Environment;
  using mock_apns::TokenState;
  const mock_apns::TokenRecord records[] = {
      {T_VOIP_SBX, Environment::Sandbox, kVoipTopic, TokenState::Active, 0},
      {T_VOIP_PROD, Environment::Production, kVoipTopic, TokenState::Active, 0},
      {T_APNS_SBX, Environment::Sandbox, "com.example.imapp", TokenState::Active, 0},
      {T_UNREG_SBX, Environment::Sandbox, kVoipTopic, TokenState::Unregistered, 1735689600000},
      {T_EXP_SBX, Environment::Sandbox, kVoipTopic, TokenState::Expired, 1764547200000},
      {T_OTHER_SBX, Environment::Sandbox, "com.example.other.voip", TokenState::Active, 0},
  };
  for (const auto& record : records) {
    check(tokens.put(record));
  }
}

std::string SpecWorld::jwt(const JwtSpec& spec) const {
  // ES256 signatures are randomised: remember each token, as a client reuses its token.
  const std::string cache_key =
      spec.kid + "|" + std::to_string(spec.iat_offset) + "|" + spec.iss.value_or("") + "|" +
      spec.alg.value_or("") + "|" + spec.sign_with.value_or("") + "|" +
      std::to_string(spec.der_signature) + std::to_string(spec.flip_last_signature_byte);
  std::lock_guard lock(jwt_mutex_);
  auto [cached, inserted] = jwts_.try_emplace(cache_key);
  if (inserted) {
    cached->second = sign_jwt(spec);
  }
  return cached->second;
}

std::string SpecWorld::sign_jwt(const JwtSpec& spec) const {
  const KeyRow* row = nullptr;
  for (const KeyRow& r : kKeys) {
    if (spec.kid == r.id) {
      row = &r;
    }
  }
  const std::string iss = spec.iss.value_or(row ? row->team : kTeamA);
  const std::string alg = spec.alg.value_or("ES256");
  const std::string header =
      core::base64url_encode(R"({"alg":")" + alg + R"(","kid":")" + spec.kid + R"("})");
  const std::string claims = core::base64url_encode(
      R"({"iss":")" + iss + R"(","iat":)" + std::to_string(kNowSeconds + spec.iat_offset) + "}");
  const std::string input = header + "." + claims;
  const std::string& signer =
      private_keys_.at(spec.sign_with.value_or(row ? spec.kid : std::string("KB00000001")));
  std::string signature =
      alg == "HS256" ? hmac_sha256("secret", input) : must(pki::es256_sign(signer, input));
  if (spec.der_signature) {
    signature = must(pki::ecdsa_jose_to_der(signature));
  }
  if (spec.flip_last_signature_byte) {
    signature.back() = static_cast<char>(signature.back() ^ 0x01);
  }
  return input + "." + core::base64url_encode(signature);
}

std::optional<std::string> SpecWorld::authorization(const TestRequest& request) const {
  if (request.authorization) {
    return request.authorization;
  }
  if (request.jwt) {
    return "bearer " + jwt(*request.jwt);
  }
  return std::nullopt;
}

const pki::IssuedCertificate& SpecWorld::certificate(std::string_view name) const {
  return certificates_.find(name)->second;
}

} // namespace mock_apns_test
