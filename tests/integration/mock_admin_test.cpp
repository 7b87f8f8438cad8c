// The admin API of a running mock, driven with curl as a user's script would: tokens, keys,
// journal and verify, faults, deliveries (long-poll and event stream), metrics, bad input, and
// the bearer secret.
// Spec: docs/spec/apns-provider-api.md
#include "integration/admin_fixture.hpp"
#include "mock_apns/admin_server.hpp"
#include "net/http1_client.hpp"
#include "support/child_process.hpp"
#include "support/raw_socket.hpp"
#include "support/temp_dir.hpp"
#include "support/wait.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

namespace integration {
namespace {

using namespace std::chrono_literals;
using mock_apns::Environment;
using nlohmann::json;

TEST_F(AdminApi, TokensAddedListedUnregisteredAndDeletedChangeWhatAPushGets) {
  EXPECT_EQ(push(kToken).status, 400) << "unknown token in strict mode";
  const auto added = call("POST", "/v1/tokens", "[" + add_token_body() + "]");
  ASSERT_EQ(added.status, 200) << added.body;
  EXPECT_EQ(added.parsed()["added"], 1);
  EXPECT_EQ(call("GET", std::string("/v1/tokens/") + kToken).parsed()["topic"],
            "com.example.imapp.voip");
  EXPECT_EQ(push(kToken).status, 200);

  const auto unregistered = call("POST", std::string("/v1/tokens/") + kToken + "/unregister",
                                 R"({"timestamp":1767225000000})");
  ASSERT_EQ(unregistered.status, 200) << unregistered.body;
  const auto gone = push(kToken);
  EXPECT_EQ(gone.status, 410);
  EXPECT_EQ(json::parse(gone.body),
            json::parse(R"({"reason":"Unregistered","timestamp":1767225000000})"));

  EXPECT_EQ(call("DELETE", std::string("/v1/tokens/") + kToken).status, 200);
  EXPECT_EQ(call("GET", std::string("/v1/tokens/") + kToken).status, 404);
  const auto listed = call("GET", "/v1/tokens?limit=100").parsed();
  EXPECT_EQ(listed["total"], 6) << "the six §11.1 fixtures remain";
}

TEST_F(AdminApi, BadInputGetsAClearErrorAndChangesNothing) {
  const auto not_json = call("POST", "/v1/tokens", "{nope");
  EXPECT_EQ(not_json.status, 400);
  EXPECT_EQ(not_json.parsed()["error"], "BAD_JSON") << not_json.body;
  EXPECT_NE(not_json.parsed()["message"].get<std::string>().find("not valid JSON"),
            std::string::npos)
      << not_json.body;
  const auto bad_env =
      call("POST", "/v1/tokens", R"({"token":"abcd","environment":"staging","topic":"a.b"})");
  EXPECT_EQ(bad_env.status, 400);
  EXPECT_NE(bad_env.body.find("environment"), std::string::npos) << bad_env.body;
  EXPECT_EQ(call("GET", "/v1/nothing").status, 404);
  EXPECT_EQ(call("POST", "/v1/faults", R"({"scope":"token"})").status, 400);
  EXPECT_EQ(call("POST", "/v1/faults", R"({"reason":"NoSuchReason"})").status, 400);
  EXPECT_EQ(call("GET", "/v1/tokens?limit=1000").parsed()["total"], 6);
  EXPECT_EQ(call("GET", "/v1/health").parsed()["status"], "ok");
}

TEST_F(AdminApi, MisspeltFieldsAndShortPathsAreErrorsNotSilentDefaults) {
  const auto typo = call("POST", "/v1/journal/verify", R"({"topc":"a.b","exactly":0})");
  EXPECT_EQ(typo.status, 400);
  EXPECT_EQ(typo.parsed()["error"], "BAD_REQUEST") << typo.body;
  EXPECT_NE(typo.parsed()["message"].get<std::string>().find("unknown field \"topc\""),
            std::string::npos)
      << typo.body;
  EXPECT_EQ(call("GET", "/v1/journal?tokn=ab").status, 400);
  EXPECT_EQ(call("POST", "/v1/faults", R"({"match":"aabb","reason":"Unregistered"})").status, 400)
      << "a match without a scope would hit every request";
  EXPECT_EQ(call("POST", "/v1/teams").status, 404);
  EXPECT_EQ(call("DELETE", "/v1/keys").status, 404);
}

// Issue #24 point 4: errors come in the pipeline API's shape, {"error":CODE,"message":text}, and
// a query parameter that is not what the endpoint takes is a 400, not a silent default.
TEST_F(AdminApi, ErrorsHaveOneShapeAndBadQueriesAreRefused) {
  const auto shape_of = [](const HttpResult& r) {
    const json j = r.parsed();
    EXPECT_TRUE(j.is_object() && j.size() == 2 && j["error"].is_string() &&
                j["message"].is_string())
        << r.body;
    return j.value("error", "");
  };
  for (const char* target :
       {"/v1/tokens?limit=abc", "/v1/tokens?offset=-1", "/v1/deliveries?after=-1",
        "/v1/deliveries?wait_ms=soon", "/v1/deliveries/stream?after=x", "/v1/journal?limit=abc",
        "/v1/journal?accepted=yes", "/v1/journal?status=4xx", "/v1/health?verbose=1",
        "/v1/faults?limit=3"}) {
    const auto r = call("GET", target);
    EXPECT_EQ(r.status, 400) << target << " " << r.body;
    EXPECT_EQ(shape_of(r), "BAD_QUERY") << target;
  }
  const auto no_token = call("GET", std::string("/v1/tokens/") + std::string(64, 'f'));
  EXPECT_EQ(no_token.status, 404);
  EXPECT_EQ(shape_of(no_token), "NO_SUCH_TOKEN");
  EXPECT_EQ(shape_of(call("GET", "/v1/nothing")), "NO_SUCH_ENDPOINT");
  EXPECT_EQ(shape_of(call("DELETE", "/v1/faults/99")), "NO_SUCH_FAULT");
  EXPECT_EQ(shape_of(call("POST", "/v1/keys/NOPE/revoke")), "NO_SUCH_KEY");
  EXPECT_EQ(shape_of(call("POST", "/v1/faults", "[1]")), "BAD_JSON");
  EXPECT_EQ(shape_of(call("POST", std::string("/v1/tokens/") + kToken + "/reachability",
                          R"({"reachable":true,"when":1})")),
            "BAD_REQUEST");
  // The same queries, well formed, are answered.
  EXPECT_EQ(call("GET", "/v1/tokens?limit=2&offset=0").status, 200);
  EXPECT_EQ(call("GET", "/v1/journal?accepted=true&status=200&limit=5").status, 200);
  EXPECT_EQ(call("GET", "/v1/deliveries?after=0&wait_ms=0&limit=1").status, 200);
}

// accepted as an invalid payload; the journal, deliveries and the event stream keep working.
// accepted as an invalid payload; the journal, deliveries and the event stream keep working.
TEST_F(AdminApi, ABinaryPayloadIsServedAsBase64AndBreaksNothing) {
  ASSERT_EQ(call("POST", "/v1/tokens", add_token_body()).status, 200);
  support::BackgroundProcess stream({"curl", "-sN", url("/v1/deliveries/stream?after=0")});
  EXPECT_EQ(push(kToken, std::string("\x1f\x8b\x08\xff\xfe", 5)).status, 200);
  const auto deliveries = call("GET", "/v1/deliveries?after=0");
  ASSERT_EQ(deliveries.status, 200) << deliveries.body;
  const auto d = deliveries.parsed()["deliveries"][0];
  EXPECT_TRUE(d["payload"].is_null());
  EXPECT_EQ(d["payload_base64url"], "H4sI__4");
  EXPECT_EQ(d["invalid_payload"], true);
  EXPECT_EQ(call("GET", "/v1/journal").status, 200);
  EXPECT_TRUE(stream.wait_for_output("payload_base64url", support::kEventTimeout))
      << stream.output();
  EXPECT_EQ(call("GET", "/v1/health").status, 200);
}

TEST_F(AdminApi, FaultsAnswerTheNextRequestsAndThenStop) {
  ASSERT_EQ(call("POST", "/v1/tokens", add_token_body()).status, 200);
  const auto fault = call(
      "POST", "/v1/faults",
      json{{"scope", "token"}, {"match", kToken}, {"count", 2}, {"reason", "ServiceUnavailable"}}
          .dump());
  ASSERT_EQ(fault.status, 200) << fault.body;
  EXPECT_EQ(call("GET", "/v1/faults").parsed()["faults"].size(), 1u);
  EXPECT_EQ(push(kToken).status, 503);
  EXPECT_EQ(push(kToken).status, 503);
  EXPECT_EQ(push(kToken).status, 200) << "the fault was used up";
  EXPECT_TRUE(call("GET", "/v1/faults").parsed()["faults"].empty());
}

// A dropped connection after APNs took the push: the provider sees a transport failure, not an
// answer, yet the push was delivered; the journal says the answer was dropped.
TEST_F(AdminApi, ADropFaultCutsTheConnectionAfterThePushWasDelivered) {
  ASSERT_EQ(call("POST", "/v1/tokens", add_token_body()).status, 200);
  const auto fault = call("POST", "/v1/faults", R"({"drop":true})");
  ASSERT_EQ(fault.status, 200) << fault.body;
  EXPECT_EQ(call("GET", "/v1/faults").parsed()["faults"][0]["drop"], true);
  const WirePki& pki = WirePki::get();
  const auto cut = support::run_process(
      {"curl", "-sS", "--http2", "--cacert", pki.ca_bundle, "--cert", pki.cert_file("C_UNIV"),
       "--key", pki.key_file("C_UNIV"), "--resolve", mock_.curl_resolve(Environment::Sandbox), "-H",
       "apns-push-type: voip", "-H", "apns-topic: com.example.imapp.voip", "-d", R"({"aps":{}})",
       mock_.origin(Environment::Sandbox) + "/3/device/" + kToken},
      30s);
  EXPECT_NE(cut.exit_code, 0) << "curl got an answer:\n" << cut.describe();
  const auto journal = call("GET", "/v1/journal").parsed();
  ASSERT_EQ(journal["entries"].size(), 1u) << journal.dump();
  EXPECT_EQ(journal["entries"][0]["status"], 200);
  EXPECT_EQ(journal["entries"][0]["answer_dropped"], true);
  EXPECT_EQ(journal["counters"]["answers_dropped"], 1);
  EXPECT_EQ(call("GET", "/v1/deliveries?after=0").parsed()["deliveries"].size(), 1u);
  EXPECT_NE(call("GET", "/metrics").body.find("apns_answers_dropped_total 1"), std::string::npos);
  EXPECT_EQ(push(kToken).status, 200) << "the fault was used up";
  EXPECT_EQ(call("POST", "/v1/faults", R"({"reason":"BadTopic","probability":2})").status, 400);
  EXPECT_EQ(call("POST", "/v1/faults", R"({"drop":"yes"})").status, 400);
}

TEST_F(AdminApi, JournalQueriesAndVerifyExplainsAFailedExpectation) {
  ASSERT_EQ(call("POST", "/v1/tokens", add_token_body()).status, 200);
  EXPECT_EQ(push(kToken).status, 200);
  EXPECT_EQ(push("db3582a3").status, 400);
  const auto journal = call("GET", std::string("/v1/journal?token=") + kToken).parsed();
  ASSERT_EQ(journal["entries"].size(), 1u);
  EXPECT_EQ(journal["entries"][0]["status"], 200);
  EXPECT_EQ(journal["counters"]["requests"], 2);
  const auto rejected = call("GET", "/v1/journal?reason=BadDeviceToken").parsed();
  ASSERT_EQ(rejected["entries"].size(), 1u);
  EXPECT_NE(rejected["entries"][0]["cause"].get<std::string>().find("hex"), std::string::npos)
      << "every rejection carries its cause";

  const auto ok = call("POST", "/v1/journal/verify",
                       json{{"token", kToken}, {"accepted", true}, {"exactly", 1}}.dump());
  EXPECT_EQ(ok.status, 200) << ok.body;
  const auto failed = call("POST", "/v1/journal/verify",
                           json{{"token", kToken}, {"push_type", "alert"}, {"at_least", 1}}.dump());
  EXPECT_EQ(failed.status, 417);
  const std::string message = failed.parsed()["message"];
  EXPECT_NE(message.find("found 0"), std::string::npos) << message;
  EXPECT_NE(message.find("differs in: push-type"), std::string::npos) << message;
}

TEST_F(AdminApi, DeliveriesArriveByLongPollAndEventStream) {
  ASSERT_EQ(call("POST", "/v1/tokens", add_token_body()).status, 200);
  support::BackgroundProcess stream({"curl", "-sN", url("/v1/deliveries/stream?after=0")});
  auto poll = std::async(std::launch::async,
                         [&] { return call("GET", "/v1/deliveries?after=0&wait_ms=20000"); });
  // The long-poll is parked until the push (its own timeout is far beyond kEventTimeout).
  support::Counter published;
  const auto id = mock_.server().deliveries().subscribe([&](const auto&) { published.add(); });
  EXPECT_EQ(push(kToken).status, 200);
  ASSERT_TRUE(published.wait_for_at_least(1));
  mock_.server().deliveries().unsubscribe(id);
  const auto polled = support::get_within(poll);
  ASSERT_TRUE(polled);
  const auto deliveries = polled->parsed()["deliveries"];
  ASSERT_EQ(deliveries.size(), 1u) << polled->body;
  EXPECT_EQ(deliveries[0]["token"], kToken);
  EXPECT_EQ(deliveries[0]["push_type"], "voip");
  EXPECT_EQ(deliveries[0]["payload"], R"({"aps":{}})");
  EXPECT_TRUE(stream.wait_for_output("event: delivery", support::kEventTimeout)) << stream.output();
  EXPECT_NE(stream.output().find(kToken), std::string::npos);
}

// Store and forward (apns-provider-api.md §9): an offline device's pushes are accepted (200) but
// kept, the latest per topic, and published when the device is back.
// Issue #26: 2,000 idle sockets and 1,100 delivery streams held open do not lock health out;
// the streams beyond the limit are told to come back (503, Retry-After) at once.
TEST_F(AdminApi, HealthAnswersWithinASecondBeside2000IdleSocketsAnd1100DeliveryStreams) {
  std::vector<support::RawSocket> held;
  for (int i = 0; i < 2000; ++i) {
    held.emplace_back(admin_.port());
    ASSERT_TRUE(held.back().connected()) << "idle socket " << i;
  }
  int streaming = 0, busy = 0;
  for (int i = 0; i < 1100; ++i) {
    auto& stream = held.emplace_back(admin_.port());
    ASSERT_TRUE(
        stream.send_text(support::get_request("/v1/deliveries/stream?after=0", admin_.port())));
    const std::string head = stream.read_until("\r\n\r\n");
    streaming += head.rfind("HTTP/1.1 200", 0) == 0 ? 1 : 0;
    busy += head.rfind("HTTP/1.1 503", 0) == 0 && head.find("Retry-After: 1") != std::string::npos;
  }
  EXPECT_EQ(streaming, 1024);
  EXPECT_EQ(busy, 1100 - 1024);
  const auto health = net::http1_request({"127.0.0.1", admin_.port()}, "GET", "/v1/health", {}, 1s);
  ASSERT_TRUE(health) << health.error().message();
  EXPECT_EQ(health->status, 200);
}

TEST_F(AdminApi, PushesToAnUnreachableDeviceAreHeldAndDeliveredOnReconnect) {
  ASSERT_EQ(call("POST", "/v1/tokens", add_token_body()).status, 200);
  const std::string token_path = std::string("/v1/tokens/") + kToken;
  ASSERT_EQ(call("POST", token_path + "/reachability", R"({"reachable":false})").status, 200);
  EXPECT_EQ(push(kToken).status, 200) << "APNs accepts; delivery is later";
  EXPECT_EQ(push(kToken).status, 200);
  EXPECT_EQ(call("GET", "/v1/deliveries?after=0").parsed()["deliveries"].size(), 0u);
  const auto held = call("GET", token_path + "/held").parsed();
  EXPECT_EQ(held["reachable"], false);
  ASSERT_EQ(held["held"].size(), 1u) << "only the latest is kept";
  const auto back = call("POST", token_path + "/reachability", R"({"reachable":true})");
  EXPECT_EQ(back.parsed()["released"], 1) << back.body;
  const auto delivered = call("GET", "/v1/deliveries?after=0").parsed()["deliveries"];
  ASSERT_EQ(delivered.size(), 1u);
  EXPECT_EQ(delivered[0]["apns_id"], held["held"][0]["apns_id"]);
  EXPECT_NE(call("GET", "/metrics").body.find("apns_held_pushes_total{outcome=\"replaced\"} 1"),
            std::string::npos);
  EXPECT_EQ(call("POST", token_path + "/reachability", R"({"online":true})").status, 400);
}

TEST_F(AdminApi, MetricsCountRequestsByReasonInPrometheusFormat) {
  EXPECT_EQ(push("db3582a3").status, 400);
  const auto metrics = call("GET", "/metrics");
  EXPECT_EQ(metrics.status, 200);
  EXPECT_NE(metrics.body.find("apns_requests_total{reason=\"BadDeviceToken\"} 1"),
            std::string::npos)
      << metrics.body;
  EXPECT_NE(metrics.body.find("# TYPE apns_request_duration_seconds histogram"), std::string::npos);
  EXPECT_NE(metrics.body.find("apns_connections_accepted_total{environment=\"sandbox\"} 1"),
            std::string::npos)
      << metrics.body;
}

TEST_F(AdminApi, ResetForgetsJournalAndFaultsButKeepsTokens) {
  ASSERT_EQ(call("POST", "/v1/faults", R"({"reason":"InternalServerError","count":-1})").status,
            200);
  EXPECT_EQ(push("db3582a3").status, 400);
  ASSERT_EQ(call("POST", "/v1/reset").status, 200);
  EXPECT_TRUE(call("GET", "/v1/journal").parsed()["entries"].empty());
  EXPECT_TRUE(call("GET", "/v1/faults").parsed()["faults"].empty());
  EXPECT_EQ(call("GET", "/v1/tokens").parsed()["total"], 6);
}

// Issue #8 "Security": with a secret, every endpoint but GET /v1/health answers 401 to a request
// without "Authorization: Bearer <secret>" and changes nothing.
TEST(AdminApiSecret, OnlyTheRightBearerSecretGetsIn) {
  ASSERT_FALSE(support::find_program("curl").empty()) << "curl is missing: run scripts/setup.sh";
  constexpr const char* kSecret = "9f1c2ab7d4e0-admin-secret";
  MockFixture mock;
  mock_apns::AdminServerOptions options;
  options.bearer_secret = kSecret;
  mock_apns::AdminServer admin(mock.server(), options);
  ASSERT_TRUE(admin.start());
  const std::string base = "http://127.0.0.1:" + std::to_string(admin.port());
  // Headers and body of one curl request, the status on the last line.
  auto curl = [&](const std::string& method, const std::string& path,
                  std::vector<std::string> extra = {}) {
    std::vector<std::string> argv = {"curl", "-sS", "-i", "-X", method, "-w", "\n%{http_code}"};
    argv.insert(argv.end(), extra.begin(), extra.end());
    argv.push_back(base + path);
    const auto run = support::run_process(argv, 30s);
    EXPECT_EQ(run.exit_code, 0) << run.describe();
    const auto newline = run.output.rfind('\n');
    return HttpResult{std::atoi(run.output.c_str() + newline + 1), run.output.substr(0, newline)};
  };
  const std::size_t tokens_before = mock.server().tokens().size();
  const std::vector<std::string> add = {
      "-H", "content-type: application/json", "--data-binary",
      json{{"token", kToken}, {"environment", "sandbox"}, {"topic", "com.example.imapp.voip"}}
          .dump()};

  const auto bare = curl("POST", "/v1/tokens", add);
  EXPECT_EQ(bare.status, 401) << bare.body;
  EXPECT_NE(bare.body.find("WWW-Authenticate: Bearer realm=\"voipsim\"\r\n"), std::string::npos)
      << bare.body;
  const json refusal = json::parse(bare.body.substr(bare.body.find("\r\n\r\n") + 4));
  EXPECT_EQ(refusal["error"], "UNAUTHORIZED");
  EXPECT_NE(refusal["message"].get<std::string>().find("--admin-secret-file"), std::string::npos)
      << refusal;

  auto wrong = add;
  wrong.insert(wrong.end(), {"-H", "Authorization: Bearer 9f1c2ab7d4e0-admin-secreT"});
  const auto refused = curl("POST", "/v1/tokens", wrong);
  EXPECT_EQ(refused.status, 401) << refused.body;
  EXPECT_NE(refused.body.find("error=\"invalid_token\""), std::string::npos) << refused.body;
  EXPECT_EQ(refused.body.find(kSecret), std::string::npos) << "the secret was echoed";
  EXPECT_EQ(mock.server().tokens().size(), tokens_before) << "a refused request changed the mock";

  auto right = add;
  right.insert(right.end(), {"-H", std::string("Authorization: Bearer ") + kSecret});
  const auto added = curl("POST", "/v1/tokens", right);
  EXPECT_EQ(added.status, 200) << added.body;
  EXPECT_EQ(mock.server().tokens().size(), tokens_before + 1);

  // Health stays open (readiness probes); everything else needs the secret, streams included.
  EXPECT_EQ(curl("GET", "/v1/health").status, 200);
  EXPECT_EQ(curl("POST", "/v1/health", {"-H", "content-type: application/json"}).status, 401);
  for (const char* path : {"/v1", "/v1/journal", "/metrics", "/v1/deliveries/stream?after=0",
                           "/v1/deliveries?after=0&wait_ms=1000", "/v1/settings"}) {
    EXPECT_EQ(curl("GET", path).status, 401) << path;
  }
  const std::string bearer = std::string("Authorization: Bearer ") + kSecret;
  EXPECT_EQ(curl("GET", "/metrics", {"-H", bearer}).status, 200);
  EXPECT_EQ(curl("GET", "/v1/journal", {"-H", bearer}).status, 200);
}

} // namespace
} // namespace integration
