// Every request-level vector of apns-provider-api.md §11.2 through the pure validation function.
#include "core/encoding.hpp"
#include "core/uuid.hpp"
#include "mock_apns/faults.hpp"
#include "mock_apns/rate_limiter.hpp"
#include "mock_apns/validate.hpp"
#include "pki/classify.hpp"
#include "spec_vectors.hpp"

#include <chrono>

#include <gtest/gtest.h>

namespace mock_apns_test {
namespace {

using namespace mock_apns;

// One mock, one connection, driven through validate() on a clock set per step.
class PureMock {
public:
  explicit PureMock(const SpecVector& vector) : auth_(ConnectionAuth::token_based()) {
    if (vector.configure) {
      vector.configure(settings_);
    }
    const SpecWorld& world = SpecWorld::get();
    world.load_keys(keys_);
    world.load_tokens(tokens_);
    if (vector.fault) {
      EXPECT_TRUE(faults_.add(*vector.fault));
    }
    if (!vector.certificate.empty()) {
      auto trust = pki::TrustStore::from_pem(world.trust_pem());
      auth_ = ConnectionAuth::certificate_based(
          pki::classify_certificate(world.certificate(vector.certificate).certificate_pem, *trust,
                                    core::from_unix_seconds(kNowSeconds)));
    }
    ctx_ = {vector.environment, &settings_, &tokens_, &keys_, &rate_, &faults_, {}};
  }

  Verdict send(const Step& step) {
    const SpecWorld& world = SpecWorld::get();
    const TestRequest& r = step.request;
    auth_header_ = world.authorization(r);
    fields_.clear();
    if (auth_header_) {
      fields_.push_back({"authorization", *auth_header_});
    }
    for (const auto& [name, value] : r.headers) {
      fields_.push_back({name, value});
    }
    ctx_.now = core::from_unix_seconds(kNowSeconds + step.at);
    return validate({r.method, r.path, fields_, r.body}, auth_, ctx_);
  }

  ProviderKeys& keys() { return keys_; }
  TokenRegistry& tokens() { return tokens_; }
  // A mock serving certificate auth only (voipsim mock-apns --auth cert).
  void refuse_provider_tokens() { ctx_.token_auth = false; }

private:
  Settings settings_;
  TokenRegistry tokens_;
  ProviderKeys keys_;
  RateLimiter rate_;
  Faults faults_;
  ConnectionAuth auth_;
  ValidationContext ctx_;
  std::optional<std::string> auth_header_;
  std::vector<RequestField> fields_;
};

class SpecVectorTest : public testing::TestWithParam<SpecVector> {};

TEST_P(SpecVectorTest, ValidationGivesTheSpecifiedVerdict) {
  const SpecVector& vector = GetParam();
  PureMock mock(vector);
  Verdict verdict;
  for (std::size_t i = 0; i < vector.steps.size(); ++i) {
    verdict = mock.send(vector.steps[i]);
    if (i + 1 < vector.steps.size()) {
      ASSERT_TRUE(verdict.accepted()) << "step " << i + 1 << ": " << verdict.cause;
    }
  }
  const Expected& want = vector.expected;
  const Settings defaults;
  ReasonSpelling spelling = ReasonSpelling::Observed;
  if (vector.id == "V54-documented") {
    spelling = ReasonSpelling::Documented;
  }
  EXPECT_EQ(verdict.status, want.status) << verdict.cause;
  EXPECT_EQ(verdict.reason ? std::string(reason_text(*verdict.reason, spelling)) : "", want.reason)
      << verdict.cause;
  EXPECT_EQ(verdict.timestamp_ms, want.timestamp);
  EXPECT_EQ(verdict.goaway_instead_of_response, want.goaway);
  if (!verdict.accepted()) {
    EXPECT_FALSE(verdict.cause.empty()) << "every rejection explains itself in the journal";
  }
  for (const auto& [name, value] : vector.steps.back().request.headers) {
    if (name == "apns-id" && core::Uuid::parse(value)) {
      EXPECT_EQ(verdict.apns_id, value) << "a valid apns-id is echoed on every answer";
    }
  }
  if (want.push_type) {
    EXPECT_EQ(verdict.push_type, *want.push_type);
  }
  if (want.expiration) {
    EXPECT_EQ(verdict.expiration, want.expiration);
  }
}

std::string vector_name(const testing::TestParamInfo<SpecVector>& info) {
  std::string name = info.param.id;
  std::replace(name.begin(), name.end(), '-', '_');
  return name;
}

INSTANTIATE_TEST_SUITE_P(Spec, SpecVectorTest, testing::ValuesIn(spec_vectors()), vector_name);

// Rules of the spec that its §11 table does not exercise, in the same form.
Verdict run_one(SpecVector vector) {
  PureMock mock(vector);
  Verdict verdict;
  for (const Step& step : vector.steps) {
    verdict = mock.send(step);
  }
  return verdict;
}

SpecVector single(TestRequest request, std::string certificate = "") {
  SpecVector v;
  v.id = "rule";
  v.certificate = std::move(certificate);
  if (!v.certificate.empty()) {
    request.without_authorization();
  }
  v.steps = {{0, std::move(request)}};
  return v;
}

TEST(ValidationRules, TokenOnlyPushTypesNeedTheirTopicListedOnCertificateConnections) {
  // apns-provider-api.md §7.4 rule 4: location to the bare bundle topic on a certificate
  // connection.
  const Verdict v = run_one(single(R().set("apns-push-type", "location")
                                       .set("apns-topic", "com.example.imapp")
                                       .token(T_APNS_SBX),
                                   "C_UNIV"));
  EXPECT_EQ(v.reason, Reason::BadTopic) << v.cause;
  EXPECT_NE(v.cause.find("com.example.imapp.location-query"), std::string::npos) << v.cause;
}

TEST(ValidationRules, AnInjected410CarriesATimestamp) {
  SpecVector v = single(R());
  FaultRule rule;
  rule.reason = Reason::Unregistered;
  v.fault = rule;
  const Verdict verdict = run_one(v);
  EXPECT_EQ(verdict.status, 410);
  EXPECT_EQ(verdict.timestamp_ms, kNowSeconds * 1000);
}

// apns-provider-api.md §5.3 (issue #23): with an unregister delay APNs confirms the token dead at
// the end of the delay, so the 410's timestamp is that moment, never before a 200 it gave.
TEST(ValidationRules, ADelayedUnregistrationIsTimestampedAtTheEndOfTheDelay) {
  SpecVector v = single(R());
  v.configure = [](Settings& s) { s.unregister_delay = std::chrono::seconds(20); };
  PureMock mock(v);
  ASSERT_TRUE(mock.tokens().set_state(T_VOIP_SBX, TokenState::Unregistered,
                                      (kNowSeconds + 5) * 1000)); // uninstalled at +5 s
  const Verdict still = mock.send({15, R()});
  EXPECT_TRUE(still.accepted()) << "inside the delay: " << still.cause;
  for (const std::int64_t at : {25, 35}) {
    const Verdict dead = mock.send({at, R()});
    EXPECT_EQ(dead.reason, Reason::Unregistered) << "+" << at << " s: " << dead.cause;
    EXPECT_EQ(dead.timestamp_ms, (kNowSeconds + 25) * 1000) << "+" << at << " s";
  }
}

// §5.3's delay is about uninstalls reaching APNs late; an expired token keeps its own time.
TEST(ValidationRules, AnExpiredTokenKeepsItsTimestampWhateverTheUnregisterDelay) {
  SpecVector v = single(R().token(T_EXP_SBX));
  v.configure = [](Settings& s) { s.unregister_delay = std::chrono::seconds(20); };
  const Verdict verdict = run_one(v);
  EXPECT_EQ(verdict.reason, Reason::ExpiredToken) << verdict.cause;
  EXPECT_EQ(verdict.timestamp_ms, 1764547200000); // §11.2 V36
}

// A connection keeps the key object it bound with; revoking, re-adding or removing the key id
// must still reach it.
TEST(ValidationRules, RevokingOrRemovingAKeyReachesConnectionsAlreadyUsingIt) {
  for (const bool remove : {false, true}) {
    SpecVector v = single(R());
    PureMock mock(v);
    ASSERT_TRUE(mock.send(v.steps[0]).accepted());
    // Re-adding the same key gives a new object; the bound connection still holds the old one.
    auto spec = mock.keys().find("KB00000001")->spec();
    ASSERT_TRUE(mock.keys().add(spec));
    if (remove) {
      ASSERT_TRUE(mock.keys().remove("KB00000001"));
    } else {
      ASSERT_TRUE(mock.keys().revoke("KB00000001"));
    }
    EXPECT_EQ(mock.send(v.steps[0]).reason, Reason::InvalidProviderToken)
        << (remove ? "removed" : "revoked");
  }
}

// apns-provider-api.md §2: a connection without a certificate is a token connection even when the
// mock serves certificates only; with no token it is MissingProviderToken, with any token Invalid.
TEST(ValidationRules, ACertificateOnlyMockRefusesEveryProviderToken) {
  const std::pair<SpecVector, std::optional<Reason>> cases[] = {
      {single(R().without_authorization()), Reason::MissingProviderToken},
      {single(R()), Reason::InvalidProviderToken},
      {single(R(), "C_UNIV"), std::nullopt},
  };
  for (const auto& [vector, reason] : cases) {
    PureMock mock(vector);
    mock.refuse_provider_tokens();
    const Verdict verdict = mock.send(vector.steps[0]);
    EXPECT_EQ(verdict.reason, reason) << verdict.cause;
    if (reason == Reason::InvalidProviderToken) {
      EXPECT_NE(verdict.cause.find("certificate auth only"), std::string::npos) << verdict.cause;
    }
  }
}

// Issue #24.9: the per-token 429's cause names the setting (and flag) that raises the limit.
TEST(ValidationRules, APerTokenLimitNamesTheSettingThatRaisesIt) {
  SpecVector v = single(R());
  const Settings defaults;
  for (std::uint32_t i = 1; i <= defaults.per_token_burst; ++i)
    v.steps.push_back({static_cast<int>(i), R()});
  const Verdict verdict = run_one(v);
  EXPECT_EQ(verdict.reason, Reason::TooManyRequests) << verdict.cause;
  for (const char* named : {"perTokenBurst", "--per-token-burst", "perTokenWindow"})
    EXPECT_NE(verdict.cause.find(named), std::string::npos) << named << ": " << verdict.cause;
}

TEST(ValidationRules, AnEmptyTopicIsMissing) {
  EXPECT_EQ(run_one(single(R().set("apns-topic", ""))).reason, Reason::MissingTopic);
}

TEST(ValidationRules, DuplicatesAreFoundAmongManyFields) {
  TestRequest r = R();
  for (int i = 0; i < 100; ++i) {
    r.add("x-filler-" + std::to_string(i), "v");
  }
  EXPECT_TRUE(run_one(single(r)).accepted());
  r.add("x-filler-42", "again");
  EXPECT_EQ(run_one(single(r)).reason, Reason::DuplicateHeaders);
}

TEST(ValidationRules, CausesShowOnlyPrintableText) {
  const Verdict v = run_one(single(R().set("apns-push-type", std::string("\xff\xfe\n\x01voip"))));
  EXPECT_EQ(v.reason, Reason::InvalidPushType);
  EXPECT_TRUE(core::is_valid_utf8(v.cause)) << v.cause;
  EXPECT_EQ(v.cause.find('\n'), std::string::npos);
}

TEST(ValidationRules, AnAncientTokenIsExpiredNotFromTheFuture) {
  JwtSpec ancient;
  ancient.iat_offset = -kNowSeconds - 1'000'000'000'000LL;
  const Verdict v = run_one(single(R().with_jwt(ancient)));
  EXPECT_EQ(v.reason, Reason::ExpiredProviderToken) << v.cause;
}

TEST(SpecVectorTable, CoversEveryReasonOfTheSpec) {
  std::set<std::string> covered;
  for (const SpecVector& vector : spec_vectors()) {
    covered.insert(vector.expected.reason);
  }
  // IdleTimeout (V67/V68) is frame-level and tested against the server.
  for (int i = 0; i < kReasonCount; ++i) {
    const auto reason = static_cast<Reason>(i);
    if (reason == Reason::IdleTimeout || reason == Reason::BadPayload) {
      continue;
    }
    EXPECT_TRUE(covered.contains(std::string(reason_text(reason, ReasonSpelling::Observed))) ||
                covered.contains(std::string(reason_text(reason, ReasonSpelling::Documented))))
        << reason_text(reason);
  }
}

} // namespace
} // namespace mock_apns_test
