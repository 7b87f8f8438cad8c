// Issue #20, part 1: the journal keeps whole requests, sent with curl --http2 as a user's client
// would: the headers and body the client sent, the whole answer, what an early-refused request
// carried, the JWT without its signature, the delivery status of a push through each path, the
// lookups by apns-id, header and payload text, and the reset scopes.
// Spec: docs/spec/apns-provider-api.md §5 (answers), §6 (provider tokens), §9 (store and forward)
#include "integration/admin_fixture.hpp"
#include "mock_apns/spec_world.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

namespace integration {
namespace {

using namespace std::chrono_literals;
using nlohmann::json;

constexpr const char* kApnsId = "6F0E0A4C-1D2E-4F3A-8B9C-0D1E2F3A4B5C";

// The value of the header `name` in a journal entry's list, or "" when absent.
std::string header_of(const json& headers, const std::string& name) {
  for (const auto& h : headers)
    if (h["name"] == name) return h["value"];
  return "";
}

TEST_F(AdminApi, TheJournalKeepsWhatCurlSentAndTheWholeAnswer) {
  ASSERT_EQ(call("POST", "/v1/tokens", add_token_body()).status, 200);
  const std::string body = R"({"aps":{},"caller":"alice"})";
  ASSERT_EQ(push(kToken, body,
                 {"-H", std::string("apns-id: ") + kApnsId, "-H", "apns-collapse-id: call-7", "-H",
                  "apns-priority: 5", "-H", "apns-expiration: 0"})
                .status,
            200);
  EXPECT_EQ(push("db3582a3").status, 400);

  const auto found = call("GET", std::string("/v1/journal/") + kApnsId);
  ASSERT_EQ(found.status, 200) << found.body;
  const json e = found.parsed();
  EXPECT_EQ(e["method"], "POST");
  EXPECT_EQ(e["body"], body);
  EXPECT_EQ(e["payload_bytes"], body.size());
  EXPECT_EQ(e["body_truncated"], false);
  EXPECT_EQ(e["priority"], 5);
  const json& sent = e["request_headers"];
  EXPECT_EQ(header_of(sent, "apns-collapse-id"), "call-7");
  EXPECT_EQ(header_of(sent, "apns-expiration"), "0");
  EXPECT_EQ(header_of(sent, "apns-push-type"), "voip");
  // In the order curl sent them: its own headers, then ours as given.
  std::vector<std::string> names;
  for (const auto& h : sent)
    names.push_back(h["name"]);
  const auto at = [&](const char* name) {
    return std::find(names.begin(), names.end(), name) - names.begin();
  };
  EXPECT_LT(at("apns-push-type"), at("apns-topic"));
  EXPECT_LT(at("apns-collapse-id"), at("apns-priority"));
  EXPECT_EQ(header_of(e["answer_headers"], "apns-id"), kApnsId);
  EXPECT_EQ(e["answer_body"], "");
  EXPECT_EQ(e["delivery_status"], "Delivered");

  const auto refused = call("GET", "/v1/journal?reason=BadDeviceToken").parsed()["entries"][0];
  EXPECT_EQ(header_of(refused["answer_headers"], "content-type"), "application/json");
  EXPECT_EQ(json::parse(refused["answer_body"].get<std::string>())["reason"], "BadDeviceToken");
  EXPECT_TRUE(refused["delivery_status"].is_null()) << "a refused push goes nowhere";

  EXPECT_EQ(call("GET", "/v1/journal/6F0E0A4C-0000-4000-8000-000000000000").status, 404);

  // A simulated device in another process adds what it did to the push's delivery status.
  const auto step =
      call("POST", std::string("/v1/journal/") + kApnsId + "/device", R"({"step":"call shown"})");
  ASSERT_EQ(step.status, 200) << step.body;
  const json steps = call("GET", std::string("/v1/journal/") + kApnsId).parsed()["delivery"];
  ASSERT_EQ(steps.size(), 2u) << steps.dump();
  EXPECT_EQ(steps[1]["status"], "Device");
  EXPECT_EQ(steps[1]["detail"], "call shown");
  EXPECT_EQ(call("POST", "/v1/journal/6F0E0A4C-0000-4000-8000-000000000000/device",
                 R"({"step":"call shown"})")
                .status,
            404);
  EXPECT_EQ(
      call("POST", std::string("/v1/journal/") + kApnsId + "/device", R"({"step":""})").status,
      400);
}

TEST_F(AdminApi, TheJournalQueryTakesAnyHeaderTheStatusAndTextInThePayload) {
  ASSERT_EQ(call("POST", "/v1/tokens", add_token_body()).status, 200);
  ASSERT_EQ(push(kToken, R"({"aps":{},"caller":"alice"})", {"-H", "apns-collapse-id: abc"}).status,
            200);
  ASSERT_EQ(push(kToken, R"({"aps":{},"caller":"bob"})", {"-H", "apns-collapse-id: xyz"}).status,
            200);
  EXPECT_EQ(push("db3582a3").status, 400);
  const auto by_header = call("GET", "/v1/journal?header=apns-collapse-id:%20abc").parsed();
  ASSERT_EQ(by_header["entries"].size(), 1u) << by_header.dump();
  EXPECT_NE(by_header["entries"][0]["body"].get<std::string>().find("alice"), std::string::npos);
  const auto by_text = call("GET", "/v1/journal?text=bob&status=200").parsed();
  ASSERT_EQ(by_text["entries"].size(), 1u) << by_text.dump();
  EXPECT_EQ(header_of(by_text["entries"][0]["request_headers"], "apns-collapse-id"), "xyz");
  EXPECT_EQ(call("GET", "/v1/journal?status=400").parsed()["entries"].size(), 1u);
  const auto bad = call("GET", "/v1/journal?header=nocolon");
  EXPECT_EQ(bad.status, 400);
  EXPECT_NE(bad.body.find("NAME:VALUE"), std::string::npos) << bad.body;
  const auto verified =
      call("POST", "/v1/journal/verify", R"({"header":"apns-collapse-id:xyz","exactly":1})");
  EXPECT_EQ(verified.status, 200) << verified.body;
}

// The authorization header is kept as the JWT's decoded header and claims with the size of its
// signature; the signature itself appears in no answer of the admin API.
TEST_F(AdminApi, AProviderTokenIsKeptWithoutItsSignature) {
  const auto& world = mock_apns_test::SpecWorld::get();
  const std::string jwt = world.jwt({});
  const std::string signature = jwt.substr(jwt.rfind('.') + 1);
  ASSERT_GT(signature.size(), 40u);
  const auto pushed =
      push_with_token(mock_apns_test::T_VOIP_SBX, jwt, {"-H", std::string("apns-id: ") + kApnsId});
  ASSERT_EQ(pushed.status, 200) << pushed.body;
  const json e = call("GET", std::string("/v1/journal/") + kApnsId).parsed();
  EXPECT_EQ(e["jwt"]["header"]["kid"], "KB00000001") << e.dump();
  EXPECT_EQ(e["jwt"]["header"]["alg"], "ES256");
  EXPECT_TRUE(e["jwt"]["claims"].contains("iat"));
  EXPECT_EQ(e["jwt"]["signature"], "64 bytes");
  for (const char* path : {"/v1/journal", "/metrics", "/v1/health", "/v1/settings"}) {
    const auto answer = call("GET", path);
    EXPECT_EQ(answer.body.find(signature), std::string::npos) << path;
    EXPECT_EQ(answer.body.find("PRIVATE KEY"), std::string::npos) << path;
  }
  EXPECT_EQ(call("GET", std::string("/v1/journal/") + kApnsId).body.find(signature),
            std::string::npos);
}

// Requests refused before validation reads their fields (a bad provider token, a wrong method)
// still show the token, topic, push type and priority they carried.
TEST_F(AdminApi, ARequestRefusedEarlyStillShowsWhatItCarried) {
  const std::string bad_jwt =
      mock_apns_test::SpecWorld::get().jwt({.kid = "KB00000001",
                                            .iat_offset = -60,
                                            .iss = std::nullopt,
                                            .alg = std::nullopt,
                                            .sign_with = std::nullopt,
                                            .der_signature = false,
                                            .flip_last_signature_byte = true});
  const auto refused =
      push_with_token(mock_apns_test::T_VOIP_SBX, bad_jwt, {"-H", "apns-priority: 5"});
  ASSERT_EQ(refused.status, 403) << refused.body;
  const auto entries = call("GET", "/v1/journal?status=403").parsed()["entries"];
  ASSERT_EQ(entries.size(), 1u);
  EXPECT_EQ(entries[0]["reason"], "InvalidProviderToken");
  EXPECT_EQ(entries[0]["token"], mock_apns_test::T_VOIP_SBX);
  EXPECT_EQ(entries[0]["topic"], "com.example.imapp.voip");
  EXPECT_EQ(entries[0]["push_type"], "voip");
  EXPECT_EQ(entries[0]["priority"], 5);
}

// Where an accepted push went, in Apple's words, as it moves (apns-provider-api.md §9).
TEST_F(AdminApi, TheDeliveryStatusFollowsAPushThroughEachPath) {
  ASSERT_EQ(call("POST", "/v1/tokens", add_token_body()).status, 200);
  const std::string token_path = std::string("/v1/tokens/") + kToken;
  const auto status_of = [&](const std::string& apns_id) {
    return call("GET", "/v1/journal/" + apns_id).parsed()["delivery_status"];
  };
  const auto push_as = [&](const std::string& apns_id, std::vector<std::string> args = {}) {
    args.insert(args.end(), {"-H", "apns-id: " + apns_id});
    return push(kToken, R"({"aps":{}})", args).status;
  };
  const std::string now_id = "00000000-0000-4000-8000-000000000001";
  const std::string replaced_id = "00000000-0000-4000-8000-000000000002";
  const std::string stored_id = "00000000-0000-4000-8000-000000000003";
  const std::string expired_id = "00000000-0000-4000-8000-000000000004";
  ASSERT_EQ(push_as(now_id), 200);
  EXPECT_EQ(status_of(now_id), "Delivered");

  ASSERT_EQ(call("POST", token_path + "/reachability", R"({"reachable":false})").status, 200);
  ASSERT_EQ(push_as(replaced_id), 200);
  EXPECT_EQ(status_of(replaced_id), "Stored \u2014 device offline");
  ASSERT_EQ(push_as(stored_id), 200);
  EXPECT_EQ(status_of(replaced_id), "Discarded \u2014 replaced by a newer notification");
  ASSERT_EQ(call("POST", token_path + "/reachability", R"({"reachable":true})").status, 200);
  EXPECT_EQ(status_of(stored_id), "Delivered from storage");
  const auto history = call("GET", "/v1/journal/" + stored_id).parsed()["delivery"];
  ASSERT_EQ(history.size(), 2u) << history.dump();
  EXPECT_EQ(history[0]["status"], "Stored \u2014 device offline");

  // apns-expiration 0 with the device away: kept only for the grace, then discarded as expired,
  // seen without the device coming back.
  ASSERT_EQ(call("POST", token_path + "/reachability", R"({"reachable":false})").status, 200);
  ASSERT_EQ(push_as(expired_id, {"-H", "apns-expiration: 0"}), 200);
  EXPECT_EQ(status_of(expired_id), "Stored \u2014 device offline");
  mock_.clock().advance(31s);
  EXPECT_EQ(status_of(expired_id), "Discarded \u2014 expired");
}

class DelayedUninstall : public AdminApi {
protected:
  DelayedUninstall()
      : AdminApi([](mock_apns::ServerOptions& o) { o.settings.unregister_delay = 20s; }) {}
};

// Inside the unregister delay APNs still answers 200 (§5.3); the push reaches no app.
TEST_F(DelayedUninstall, APushAcceptedInsideTheUnregisterDelayIsDiscarded) {
  ASSERT_EQ(call("POST", "/v1/tokens", add_token_body()).status, 200);
  const auto now_ms = core::unix_millis(mock_.clock().now());
  ASSERT_EQ(call("POST", std::string("/v1/tokens/") + kToken + "/unregister",
                 json{{"timestamp", now_ms}}.dump())
                .status,
            200);
  ASSERT_EQ(push(kToken, R"({"aps":{}})", {"-H", std::string("apns-id: ") + kApnsId}).status, 200);
  EXPECT_EQ(call("GET", std::string("/v1/journal/") + kApnsId).parsed()["delivery_status"],
            "Discarded \u2014 token unregistered");
  // Neither delivered nor kept: no app takes it.
  EXPECT_TRUE(call("GET", "/v1/deliveries?after=0").parsed()["deliveries"].empty());
  ASSERT_EQ(
      call("POST", std::string("/v1/tokens/") + kToken + "/reachability", R"({"reachable":false})")
          .status,
      200);
  ASSERT_EQ(push(kToken).status, 200);
  EXPECT_TRUE(call("GET", std::string("/v1/tokens/") + kToken + "/held").parsed()["held"].empty());
}

// The Send form needs the mock's PKI folder (voipsim mock-apns and voipsim up have one; the
// browser test sends through it); an in-process mock without one says so.
TEST_F(AdminApi, SendWithoutAPkiFolderSaysWhy) {
  const auto refused = call("POST", "/v1/send", json{{"token", kToken}}.dump());
  EXPECT_EQ(refused.status, 409) << refused.body;
  EXPECT_EQ(refused.parsed()["error"], "NO_PKI");
}

TEST_F(AdminApi, ResetTakesAScope) {
  ASSERT_EQ(call("POST", "/v1/tokens", add_token_body()).status, 200);
  ASSERT_EQ(
      call("POST", std::string("/v1/tokens/") + kToken + "/reachability", R"({"reachable":false})")
          .status,
      200);
  ASSERT_EQ(push(kToken).status, 200);
  const auto deliveries = call("POST", "/v1/reset?scope=deliveries");
  ASSERT_EQ(deliveries.status, 200) << deliveries.body;
  EXPECT_EQ(deliveries.parsed()["reset"], json({"held deliveries"}));
  const auto held = call("GET", std::string("/v1/tokens/") + kToken + "/held").parsed();
  EXPECT_TRUE(held["held"].empty());
  EXPECT_EQ(held["reachable"], true);
  EXPECT_EQ(call("GET", "/v1/journal").parsed()["entries"].size(), 1u) << "the journal stays";

  const auto tokens = call("POST", "/v1/reset?scope=tokens");
  EXPECT_EQ(tokens.parsed()["reset"], json({"rate limits", "tokens"})) << tokens.body;
  EXPECT_EQ(call("GET", "/v1/tokens").parsed()["total"], 0);

  const auto bogus = call("POST", "/v1/reset?scope=everything");
  EXPECT_EQ(bogus.status, 400);
  EXPECT_NE(bogus.body.find("journal, faults, tokens"), std::string::npos) << bogus.body;
  // journal, faults, rate limits, tokens, held deliveries, refused certificates.
  EXPECT_EQ(call("POST", "/v1/reset?scope=all").parsed()["reset"].size(), 6u);
}

} // namespace
} // namespace integration
