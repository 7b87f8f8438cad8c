#include "spec_vectors.hpp"

namespace mock_apns_test {
namespace {

using mock_apns::Environment;
using mock_apns::FaultRule;
using mock_apns::FaultScope;
using mock_apns::PushType;
using mock_apns::Reason;

Expected ok() {
  return {};
}
Expected fails(int status, std::string reason, std::optional<std::int64_t> timestamp = {}) {
  Expected e;
  e.status = status;
  e.reason = std::move(reason);
  e.timestamp = timestamp;
  return e;
}

SpecVector vector_of(std::string id, std::vector<Step> steps, Expected expected) {
  SpecVector v;
  v.id = std::move(id);
  v.steps = std::move(steps);
  v.expected = std::move(expected);
  return v;
}

SpecVector one(std::string id, TestRequest request, Expected expected) {
  return vector_of(std::move(id), {{0, std::move(request)}}, std::move(expected));
}

SpecVector on(Environment env, SpecVector vector) {
  vector.environment = env;
  return vector;
}

SpecVector with_certificate(std::string name, SpecVector vector) {
  vector.certificate = std::move(name);
  for (Step& step : vector.steps) {
    if (step.request.jwt) { // certificate vectors send no authorization unless they say so
      step.request.without_authorization();
    }
  }
  return vector;
}

SpecVector two(std::string id, TestRequest first, std::int64_t at, TestRequest second,
               Expected expected) {
  return vector_of(std::move(id), {{0, std::move(first)}, {at, std::move(second)}},
                   std::move(expected));
}

SpecVector with_fault(Reason reason, FaultScope scope, std::string match, SpecVector vector) {
  FaultRule rule;
  rule.scope = scope;
  rule.match = std::move(match);
  rule.reason = reason;
  vector.fault = rule;
  return vector;
}

JwtSpec key(std::string kid, std::int64_t iat_offset = -60) {
  JwtSpec spec;
  spec.kid = std::move(kid);
  spec.iat_offset = iat_offset;
  return spec;
}

std::vector<SpecVector> make_vectors() {
  const std::string voip = kVoipTopic;
  std::vector<SpecVector> v;
  Expected accepted_voip = ok();
  accepted_voip.push_type = PushType::Voip;
  v.push_back(one("V01", R(), accepted_voip));
  v.push_back(on(Environment::Production, one("V02", R().token(T_VOIP_PROD), ok())));
  v.push_back(one("V03", R().remove("apns-id"), ok()));
  v.push_back(one("V04", R(), ok()));
  v.back().steps[0].request.body = json_body_of_size(5120);
  v.push_back(one("V05", R(), fails(413, "PayloadTooLarge")));
  v.back().steps[0].request.body = json_body_of_size(5121);
  auto alert = [] {
    return R()
        .set("apns-push-type", "alert")
        .set("apns-topic", "com.example.imapp")
        .token(T_APNS_SBX);
  };
  v.push_back(one("V06", alert(), ok()));
  v.back().steps[0].request.body = json_body_of_size(4096);
  v.push_back(one("V07", alert(), fails(413, "PayloadTooLarge")));
  v.back().steps[0].request.body = json_body_of_size(4097);
  v.push_back(one("V08", R(), fails(400, "PayloadEmpty")));
  v.back().steps[0].request.body.clear();
  v.push_back(one("V09", R().set("apns-id", "not-a-uuid"), fails(400, "BadMessageId")));
  v.push_back(one("V10", R(), fails(405, "MethodNotAllowed")));
  v.back().steps[0].request.method = "GET";
  v.push_back(one("V11", R(), fails(404, "BadPath")));
  v.back().steps[0].request.path = std::string("/3/devices/") + T_VOIP_SBX;
  v.push_back(one("V12", R(), fails(404, "BadPath")));
  v.back().steps[0].request.path = std::string("/2/device/") + T_VOIP_SBX;
  v.push_back(one("V13", R().token(""), fails(400, "MissingDeviceToken")));
  v.push_back(one("V14",
                  R().token("zz3582a31936a10992dcb438c512d71a0ca642b9b58c4fb2357f8c055043eaf6"),
                  fails(400, "BadDeviceToken")));
  v.push_back(one("V15", R().token("db3582a3"), fails(400, "BadDeviceToken")));
  v.push_back(one("V16", R().token(T_VOIP_PROD), fails(400, "BadDeviceToken")));
  v.push_back(on(Environment::Production, one("V17", R(), fails(400, "BadDeviceToken"))));
  v.push_back(one("V18", R().add("apns-topic", voip), fails(400, "DuplicateHeaders")));
  v.push_back(one("V19", R().set("apns-priority", "7"), fails(400, "BadPriority")));
  v.push_back(one("V20", R().set("apns-priority", "1"), ok()));
  v.push_back(one("V21", alert().set("apns-push-type", "background"), fails(400, "BadPriority")));
  v.back().steps[0].request.body = R"({"aps":{"content-available":1}})";
  v.push_back(one("V22", R().set("apns-expiration", "tomorrow"), fails(400, "BadExpirationDate")));
  Expected stored = ok();
  stored.expiration = kNowSeconds + 3600;
  v.push_back(one("V23", R().set("apns-expiration", std::to_string(kNowSeconds + 3600)), stored));
  v.push_back(
      one("V24", R().set("apns-collapse-id", std::string(65, 'c')), fails(400, "BadCollapseId")));
  v.push_back(one("V25", R().set("apns-collapse-id", std::string(64, 'c')), ok()));
  v.push_back(one("V26", R().set("apns-push-type", "telepathy"), fails(400, "InvalidPushType")));
  v.push_back(one("V27", R().set("apns-push-type", "alert"), fails(400, "InvalidPushType")));
  v.push_back(one("V28", R().remove("apns-push-type"), accepted_voip));
  v.push_back(one("V29", R().remove("apns-topic"), fails(400, "MissingTopic")));
  v.push_back(one("V30", R().set("apns-topic", "com.example.imapp").set("apns-push-type", "alert"),
                  fails(400, "DeviceTokenNotForTopic")));
  v.push_back(one("V31", R().token(T_APNS_SBX), fails(400, "DeviceTokenNotForTopic")));
  v.push_back(one("V32", R().token(T_OTHER_SBX), fails(400, "DeviceTokenNotForTopic")));
  v.push_back(
      one("V33", R().set("apns-topic", "com.thirdparty.app.voip"), fails(400, "TopicDisallowed")));
  v.push_back(one("V34",
                  R().with_jwt(key("KT00000001"))
                      .set("apns-topic", "com.example.other.voip")
                      .token(T_OTHER_SBX),
                  fails(400, "TopicDisallowed")));
  v.push_back(one("V35", R().token(T_UNREG_SBX), fails(410, "Unregistered", 1735689600000)));
  v.push_back(one("V36", R().token(T_EXP_SBX), fails(410, "ExpiredToken", 1764547200000)));
  v.push_back(one("V37", R().without_authorization(), fails(403, "MissingProviderToken")));
  v.push_back(one("V38", R(), fails(403, "MissingProviderToken")));
  v.back().steps[0].request.authorization = "bearer";
  v.push_back(one("V39", R(), fails(403, "InvalidProviderToken")));
  v.back().steps[0].request.authorization = "bearer abc.def";
  JwtSpec hs256 = key("KB00000001");
  hs256.alg = "HS256";
  v.push_back(one("V40", R().with_jwt(hs256), fails(403, "InvalidProviderToken")));
  JwtSpec unknown = key("ZZZZZZZZZZ");
  unknown.sign_with = "KB00000001";
  v.push_back(one("V41", R().with_jwt(unknown), fails(403, "InvalidProviderToken")));
  JwtSpec flipped = key("KB00000001");
  flipped.flip_last_signature_byte = true;
  v.push_back(one("V42", R().with_jwt(flipped), fails(403, "InvalidProviderToken")));
  v.push_back(one("V43", R().with_jwt(key("KR00000001")), fails(403, "InvalidProviderToken")));
  JwtSpec other_team = key("KB00000001");
  other_team.iss = kTeamB;
  v.push_back(one("V44", R().with_jwt(other_team), fails(403, "InvalidProviderToken")));
  v.push_back(
      one("V45", R().with_jwt(key("KB00000001", -3601)), fails(403, "ExpiredProviderToken")));
  v.push_back(one("V46", R().with_jwt(key("KB00000001", -3599)), ok()));
  JwtSpec der = key("KB00000001");
  der.der_signature = true;
  v.push_back(one("V47", R().with_jwt(der), ok()));
  v.push_back(two("V48", R(), 300, R().with_jwt(key("KB00000001", 240)),
                  fails(429, "TooManyProviderTokenUpdates")));
  v.push_back(two("V49", R(), 1200, R().with_jwt(key("KB00000001", 1140)), ok()));
  v.push_back(two("V50", R(), 0,
                  R().with_jwt(key("KX99999999")).set("apns-topic", "com.thirdparty.app.voip"),
                  fails(403, "InvalidProviderToken")));
  v.push_back(two("V51", R().with_jwt(key("KT00000001")), 1300,
                  R().with_jwt(key("KT00000002", 1240))
                      .set("apns-topic", "com.example.other.voip")
                      .token(T_OTHER_SBX),
                  fails(403, "UnrelatedKeyIdInToken")));
  v.push_back(two("V52", R().with_jwt(key("KT00000001")), 1300,
                  R().with_jwt(key("KT00000003", 1240)), ok()));
  v.push_back(two("V53", R().with_jwt(key("KS00000001")), 1300,
                  R().with_jwt(key("KT00000001", 1240)), fails(403, "UnrelatedKeyIdInToken")));
  v.push_back(one("V54", R().with_jwt(key("KP00000001")), fails(403, "BadEnvironmentKeyInToken")));
  v.push_back(one("V54-documented", R().with_jwt(key("KP00000001")),
                  fails(403, "BadEnvironmentKeyIdInToken")));
  v.back().configure = [](mock_apns::Settings& s) {
    s.env_key_reason_spelling = mock_apns::ReasonSpelling::Documented;
  };
  v.push_back(
      on(Environment::Production, one("V55", R().token(T_VOIP_PROD).with_jwt(key("KS00000001")),
                                      fails(403, "BadEnvironmentKeyInToken"))));
  v.push_back(with_certificate("C_UNIV", one("V56", R(), ok())));
  v.push_back(
      with_certificate("C_UNIV", one("V57", R().remove("apns-topic"), fails(400, "MissingTopic"))));
  v.push_back(with_certificate(
      "C_UNIV", one("V58", R().set("apns-topic", "com.example.other.voip").token(T_OTHER_SBX),
                    fails(400, "BadTopic"))));
  v.push_back(with_certificate("C_VOIP", one("V59", R().remove("apns-topic"), ok())));
  v.push_back(with_certificate(
      "C_DEV",
      one("V60", R().set("apns-push-type", "alert").remove("apns-topic").token(T_APNS_SBX), ok())));
  Expected goaway_env = fails(403, "BadCertificateEnvironment");
  goaway_env.goaway = true;
  v.push_back(on(Environment::Production,
                 with_certificate("C_DEV", one("V61", R().token(T_VOIP_PROD), goaway_env))));
  v.push_back(on(Environment::Production,
                 with_certificate("C_DEV", one("V61-per-stream", R().token(T_VOIP_PROD),
                                               fails(403, "BadCertificateEnvironment")))));
  v.back().configure = [](mock_apns::Settings& s) { s.per_stream_cert_env_errors = true; };
  v.push_back(with_certificate("C_PROD", one("V62", R(), goaway_env)));
  v.push_back(with_certificate("C_BARE", one("V63", R(), fails(403, "BadCertificate"))));
  SpecVector v64 = with_certificate("C_UNIV", one("V64", R(), ok()));
  v64.steps[0].request.authorization = "bearer garbage";
  v.push_back(v64);
  v.push_back(with_fault(Reason::Forbidden, FaultScope::Topic, voip,
                         one("V65", R(), fails(403, "Forbidden"))));
  SpecVector v66 = vector_of("V66", {}, fails(429, "TooManyRequests"));
  for (int i = 0; i < 21; ++i) {
    v66.steps.push_back({i * 2, R()});
  }
  v.push_back(v66);
  v.push_back(with_fault(Reason::InternalServerError, FaultScope::Any, "",
                         one("V69", R(), fails(500, "InternalServerError"))));
  v.push_back(with_fault(Reason::ServiceUnavailable, FaultScope::Any, "",
                         one("V70", R(), fails(503, "ServiceUnavailable"))));
  v.push_back(
      with_fault(Reason::Shutdown, FaultScope::Any, "", one("V71", R(), fails(503, "Shutdown"))));
  v.push_back(one("V79", R().set("host", "api.sandbox.push.apple.com"), ok()));
  return v;
}

} // namespace

const std::vector<SpecVector>& spec_vectors() {
  static const std::vector<SpecVector> vectors = make_vectors();
  return vectors;
}

std::string json_body_of_size(std::size_t size) {
  // {"p":"xxx"} has 8 bytes of structure.
  return R"({"p":")" + std::string(size - 8, 'x') + R"("})";
}

} // namespace mock_apns_test
