// Issue #8 "Security": no secret is ever logged. Real `voipsim mock-apns` and `voipsim pipeline`
// processes with an admin and an API secret take a .p12 upload with a distinctive password (and
// one with a wrong password), messages that are accepted and rejected, and provider-token pushes
// with a good and a forged signature. Then every line both processes printed, every API answer,
// the mock's journal, metrics, deliveries and recording are searched for the passwords, the
// secrets, the private keys (PEM lines, their base64 and base64url bodies) and the tokens'
// signatures.
#include "cli_support.hpp"
#include "core/clock.hpp"
#include "core/encoding.hpp"
#include "net/http1_client.hpp"
#include "pki/provider_token.hpp"
#include "support/child_process.hpp"
#include "support/temp_dir.hpp"

#include <csignal>
#include <sstream>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

namespace {

using namespace std::chrono_literals;
using cli_test::event_line;
using cli_test::port_of;
using cli_test::voipsim;
using nlohmann::json;

constexpr const char* kP12Password = "Pw-7Qx-distinct-p12-9ZK";
constexpr const char* kWrongPassword = "Wrong-pw-Zz81q-distinct";
constexpr const char* kAdminSecret = "adm-5e0f93c1d2b7-distinct";
constexpr const char* kApiSecret = "api-a41c77e2f018-distinct";
constexpr const char* kBobToken =
    "b0b582a31936a10992dcb438c512d71a0ca642b9b58c4fb2357f8c055043eaf6";
constexpr const char* kCarolToken =
    "ca1082a31936a10992dcb438c512d71a0ca642b9b58c4fb2357f8c055043eaf6";

// What must never appear, each with the name a failure shows.
struct Needle {
  std::string what;
  std::string text;
};

// The lines of a PEM body long enough to be unmistakable, the whole body joined, and the same
// body as base64url (what a JWT-minded encoder would write).
void add_key(std::vector<Needle>& needles, const std::string& name, const std::string& pem) {
  std::istringstream lines(pem);
  std::string line, body;
  while (std::getline(lines, line)) {
    if (line.starts_with("-----")) continue;
    body += line;
    if (line.size() >= 24) needles.push_back({name + " PEM line", line});
  }
  ASSERT_GT(body.size(), 100u) << name;
  needles.push_back({name + " base64 body", body});
  std::string url = body;
  for (auto& c : url)
    c = c == '+' ? '-' : c == '/' ? '_' : c;
  url.erase(url.find_last_not_of('=') + 1);
  needles.push_back({name + " base64url body", url.substr(0, 48)});
}

class NoSecretLogged : public ::testing::Test {
protected:
  void SetUp() override {
    ASSERT_FALSE(support::find_program("curl").empty()) << "curl is missing: run scripts/setup.sh";
    pki_ = dir_.file("pki");
    const auto certs = voipsim({"certs", "--out", pki_, "--bundle-id", "com.example.imapp",
                                "--team-id", "TEAMA12345", "--key-id", "KB00000001",
                                "--p12-password-file", dir_.write("p12.pw", kP12Password)});
    ASSERT_EQ(certs.exit_code, 0) << certs.describe();
    seen("voipsim certs", certs.output);

    mock_ = std::make_unique<support::BackgroundProcess>(
        std::vector<std::string>{VOIPSIM_BINARY, "mock-apns", "--pki", pki_, "--admin-secret-file",
                                 dir_.write("admin.secret", std::string(kAdminSecret) + "\n"),
                                 "--record", dir_.file("recorded.yaml"), "--verbose"});
    ASSERT_TRUE(mock_->wait_for_output("\"event\":\"ready\"", 60s)) << mock_->output();
    mock_ready_ = event_line(mock_->output(), "ready");
    admin_ = net::parse_http_endpoint(mock_ready_["admin"].get<std::string>()).value();
    admin_.bearer_secret = kAdminSecret;

    pipeline_ = std::make_unique<support::BackgroundProcess>(std::vector<std::string>{
        VOIPSIM_BINARY, "pipeline", "--apns-sandbox", mock_ready_["sandbox"], "--apns-production",
        mock_ready_["production"], "--ca", pki_ + "/ca-bundle.pem", "--db",
        dir_.file("pipeline.db"), "--retry-delay", "50", "--api-secret-file",
        dir_.write("api.secret", std::string(kApiSecret) + "\n")});
    ASSERT_TRUE(pipeline_->wait_for_output("\"event\":\"ready\"", 60s)) << pipeline_->output();
    api_ = net::parse_http_endpoint(
               event_line(pipeline_->output(), "ready")["listen"].get<std::string>())
               .value();
    api_.bearer_secret = kApiSecret;
  }

  // One call; its answer is kept for the search. The parsed body.
  json call(const net::HttpEndpoint& to, const std::string& method, const std::string& target,
            const json& body = nullptr) {
    const auto reply =
        net::http1_request(to, method, target, body.is_null() ? std::string() : body.dump(), 60s);
    if (!reply) {
      ADD_FAILURE() << method << " " << target << ": " << reply.error().message();
      return nullptr;
    }
    seen(method + " " + target, reply->body);
    return json::parse(reply->body, nullptr, false);
  }

  // A push with token auth over curl --http2; its status and body are kept for the search.
  std::string push_with_token(const std::string& jwt) {
    const std::string origin = "api.sandbox.push.apple.com:" + port_of(mock_ready_["sandbox"]);
    const auto r = support::run_process(
        {"curl", "-sS", "--http2", "--cacert", pki_ + "/ca-bundle.pem", "--resolve",
         origin + ":127.0.0.1", "-H", "authorization: bearer " + jwt, "-H",
         "apns-topic: com.example.imapp.voip", "-H", "apns-push-type: voip", "-w", "%{http_code}",
         "--data-binary", R"({"aps":{},"caller":"alice"})",
         "https://" + origin + "/3/device/" + kBobToken},
        30s);
    seen("curl push", r.output);
    return r.output;
  }

  void seen(const std::string& where, const std::string& text) {
    sources_.push_back({where, text});
  }

  support::TempDir dir_;
  std::string pki_;
  std::unique_ptr<support::BackgroundProcess> mock_, pipeline_;
  json mock_ready_;
  net::HttpEndpoint admin_, api_;
  std::vector<Needle> sources_; // where, what it said
};

TEST_F(NoSecretLogged, NotInOutputAnswersJournalMetricsOrRecording) {
  const std::string p12 = support::read_file(pki_ + "/voip-services.p12");
  const std::string p12_base64 = core::base64url_encode(p12);
  json uploaded =
      call(api_, "POST", "/v1/console/certificates",
           {{"name", "Acme VoIP"}, {"password", kP12Password}, {"p12_base64", p12_base64}});
  ASSERT_EQ(uploaded["development_id"], 1001) << uploaded;
  const json wrong =
      call(api_, "POST", "/v1/console/certificates",
           {{"name", "Acme VoIP 2"}, {"password", kWrongPassword}, {"p12_base64", p12_base64}});
  EXPECT_EQ(wrong["error"], "P12_BAD_PASSWORD") << wrong;
  call(api_, "GET", "/v1/console/certificates");

  // Bob's token is known to the mock, Carol's is not: one push accepted, one rejected.
  call(admin_, "POST", "/v1/tokens",
       {{"token", kBobToken}, {"environment", "sandbox"}, {"topic", "com.example.imapp.voip"}});
  std::vector<std::string> ids;
  for (const auto& [user, token] : {std::pair{"bob", kBobToken}, std::pair{"carol", kCarolToken}}) {
    call(api_, "POST", std::string("/v1/users/") + user + "/presence", {{"state", "background"}});
    call(api_, "POST", std::string("/v1/users/") + user + "/voip-token",
         {{"token", token}, {"certificate_id", 1001}});
    call(api_, "GET", std::string("/v1/users/") + user + "/registration");
    ids.push_back(call(api_, "POST", "/v1/messages",
                       {{"sender", "alice"},
                        {"receiver", user},
                        {"content", "call"},
                        {"offline_push_info",
                         {{"ios_push_type", "voip"},
                          {"ext", R"({"entity":{"action":1,"sender":"alice"}})"}}}})
                      .value("message_id", ""));
  }
  call(api_, "GET", "/v1/health?wait_idle_ms=30000");
  EXPECT_EQ(call(api_, "GET", "/v1/messages/" + ids[0])["state"], "accepted");
  EXPECT_EQ(call(api_, "GET", "/v1/messages/" + ids[1])["reason"], "BadDeviceToken");
  // Refused requests too: no secret, the wrong one.
  net::HttpEndpoint bare = api_;
  bare.bearer_secret = "not-the-api-secret";
  call(bare, "GET", "/v1/console/certificates");
  bare = admin_;
  bare.bearer_secret.clear();
  call(bare, "GET", "/v1/journal");

  // Provider tokens: one good, one whose signature was forged.
  const std::string p8 = support::read_file(pki_ + "/AuthKey_KB00000001.p8");
  const auto jwt =
      pki::make_provider_token(p8, "KB00000001", "TEAMA12345", core::SystemClock().now());
  ASSERT_TRUE(jwt) << jwt.error().message();
  const std::string signature = jwt->substr(jwt->rfind('.') + 1);
  std::string forged = *jwt;
  forged.replace(forged.size() - 6, 6, forged.back() == 'A' ? "BBBBBB" : "AAAAAA");
  EXPECT_TRUE(push_with_token(*jwt).ends_with("200"));
  EXPECT_TRUE(push_with_token(forged).ends_with("403"));

  // Issue #20: the console's Send form signs its own provider token; its pages, the whole
  // requests in the journal and a token's outlook hold no secret either.
  call(admin_, "POST", "/v1/send", {{"token", kBobToken}, {"auth", "token"}});
  call(admin_, "POST", "/v1/send", {{"token", kBobToken}, {"auth", "certificate"}});
  for (const char* target : {"/v1/journal?limit=1000", "/metrics", "/v1/deliveries?after=0",
                             "/v1/tokens", "/v1/keys", "/v1/settings", "/v1/health", "/",
                             "/console.js", "/console.css", "/v1/journal/1", "/v1/journal/5"})
    call(admin_, "GET", target);
  call(admin_, "GET", std::string("/v1/tokens/") + kBobToken + "/outlook");
  ASSERT_EQ(kill(pipeline_->pid(), SIGTERM), 0);
  EXPECT_EQ(pipeline_->wait_for_exit(30s), 0) << pipeline_->output();
  ASSERT_EQ(kill(mock_->pid(), SIGTERM), 0);
  EXPECT_EQ(mock_->wait_for_exit(30s), 0) << mock_->output();
  seen("voipsim pipeline output", pipeline_->output());
  seen("voipsim mock-apns output", mock_->output());
  seen("--record file", support::read_file(dir_.file("recorded.yaml")));

  std::vector<Needle> secrets = {
      {"the .p12 password", kP12Password},
      {"the wrong .p12 password", kWrongPassword},
      {"the admin secret", kAdminSecret},
      {"the API secret", kApiSecret},
      {"a provider token's signature", signature},
      {"a forged token's signature", forged.substr(forged.rfind('.') + 1)},
      {"the .p12 itself", p12_base64.substr(p12_base64.size() / 2, 48)}};
  add_key(secrets, "voip-services.key", support::read_file(pki_ + "/voip-services.key"));
  add_key(secrets, "AuthKey_KB00000001.p8", p8);
  for (const auto& source : sources_) {
    for (const auto& secret : secrets)
      EXPECT_EQ(source.text.find(secret.text), std::string::npos)
          << secret.what << " appears in " << source.what << ":\n"
          << source.text;
  }
  EXPECT_GE(sources_.size(), 30u);
}

} // namespace
