// `voipsim pipeline` as its own process (issue #6): a push from the API rings a `voipsim device`
// through a `voipsim mock-apns`; killed with SIGKILL while pushes are in flight it loses no
// message, and the pushes the device sees twice are at most those in flight at the kill
// (acceptance 3); its API secret; and its usage errors.
#include "cli_support.hpp"
#include "core/encoding.hpp"
#include "net/http1_client.hpp"
#include "pipeline/store.hpp"
#include "support/child_process.hpp"
#include "support/temp_dir.hpp"

#include <csignal>
#include <map>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

namespace {

using namespace std::chrono_literals;
using cli_test::event_line;
using cli_test::json_lines;
using cli_test::voipsim;
using nlohmann::json;

net::HttpEndpoint endpoint(const std::string& host_port) {
  auto parsed = net::parse_http_endpoint(host_port);
  EXPECT_TRUE(parsed) << host_port;
  return parsed.value_or(net::HttpEndpoint{});
}

// One call to a JSON API; the parsed answer (null when it is not JSON or did not come).
json call(const net::HttpEndpoint& to, const std::string& method, const std::string& target,
          const json& body = nullptr, int expected_status = 0) {
  const auto reply =
      net::http1_request(to, method, target, body.is_null() ? std::string() : body.dump(), 60s);
  if (!reply) {
    ADD_FAILURE() << method << " " << target << ": " << reply.error().message();
    return nullptr;
  }
  if (expected_status != 0) {
    EXPECT_EQ(reply->status, expected_status) << target << " " << reply->body;
  }
  return json::parse(reply->body, nullptr, false);
}

class PipelineCli : public ::testing::Test {
protected:
  void SetUp() override {
    // No per-token rate limit: many pushes go to one token quickly.
    mock_ = std::make_unique<support::BackgroundProcess>(std::vector<std::string>{
        VOIPSIM_BINARY, "mock-apns", "--per-token-burst", "0", "--seed", "3"});
    ASSERT_TRUE(mock_->wait_for_output("\"event\":\"ready\"", 60s)) << mock_->output();
    mock_ready_ = event_line(mock_->output(), "ready");
    ASSERT_TRUE(mock_ready_.is_object());
  }

  std::string pki(const std::string& file) const {
    return mock_ready_["pki"].get<std::string>() + "/" + file;
  }

  // Starts the pipeline on `db` with `extra` flags; false when it did not get ready.
  bool start_pipeline(const std::string& db, const std::vector<std::string>& extra = {}) {
    std::vector<std::string> argv = {VOIPSIM_BINARY,
                                     "pipeline",
                                     "--apns-sandbox",
                                     mock_ready_["sandbox"],
                                     "--apns-production",
                                     mock_ready_["production"],
                                     "--ca",
                                     pki("ca-bundle.pem"),
                                     "--db",
                                     db,
                                     "--retry-delay",
                                     "50"};
    argv.insert(argv.end(), extra.begin(), extra.end());
    pipeline_ = std::make_unique<support::BackgroundProcess>(argv);
    if (!pipeline_->wait_for_output("\"event\":\"ready\"", 60s)) {
      ADD_FAILURE() << pipeline_->output();
      return false;
    }
    api_ = endpoint(event_line(pipeline_->output(), "ready")["listen"]);
    return true;
  }

  void upload_certificate() {
    const json uploaded =
        call(api_, "POST", "/v1/console/certificates",
             {{"name", "Acme VoIP"},
              {"password", "voipsim"},
              {"p12_base64", core::base64url_encode(support::read_file(pki("voip-services.p12")))}},
             201);
    EXPECT_EQ(uploaded["development_id"], 1001) << uploaded;
  }

  // Bob's iPhone, logged in and in the background, reporting to the pipeline.
  void start_device(const std::vector<std::string>& extra = {}) {
    std::vector<std::string> argv = {
        VOIPSIM_BINARY,     "device",
        "--mock-admin",     "http://" + mock_ready_["admin"].get<std::string>(),
        "--pipeline",       api_.url(),
        "--user",           "bob",
        "--certificate-id", "1001",
        "--seed",           "8"};
    argv.insert(argv.end(), extra.begin(), extra.end());
    device_ = std::make_unique<support::BackgroundProcess>(argv);
    ASSERT_TRUE(device_->wait_for_output("\"event\":\"ready\"", 60s)) << device_->output();
    ASSERT_TRUE(event_line(device_->output(), "ready")["voip_token"].is_string());
    const json registration = call(api_, "GET", "/v1/users/bob/registration", nullptr, 200);
    EXPECT_EQ(registration["state"], "active") << registration;
  }

  std::string send_to_bob(int n) {
    const json sent = call(
        api_, "POST", "/v1/messages",
        {{"sender", "alice"},
         {"receiver", "bob"},
         {"content", "call " + std::to_string(n)},
         {"offline_push_info",
          {{"ios_push_type", "voip"}, {"ext", R"({"entity":{"action":1,"sender":"alice"}})"}}}},
        202);
    return sent.value("message_id", "");
  }

  // push_arrived events per apns-id in the device's output.
  std::map<std::string, int> arrivals() const {
    std::map<std::string, int> count;
    for (const auto& line : json_lines(device_->output()))
      if (line.value("kind", "") == "push_arrived") ++count[line.value("apns_id", "")];
    return count;
  }

  std::unique_ptr<support::BackgroundProcess> mock_, pipeline_, device_;
  json mock_ready_;
  net::HttpEndpoint api_;
};

TEST_F(PipelineCli, AMessageToAnOfflineUserRingsTheDeviceProcess) {
  support::TempDir dir;
  ASSERT_TRUE(start_pipeline(dir.file("pipeline.db")));
  upload_certificate();
  start_device();
  const std::string id = send_to_bob(1);
  ASSERT_EQ(id, "msg-1");
  const json idle = call(api_, "GET", "/v1/health?wait_idle_ms=30000", nullptr, 200);
  EXPECT_EQ(idle["in_flight"], 0);
  const json message = call(api_, "GET", "/v1/messages/" + id, nullptr, 200);
  ASSERT_EQ(message["state"], "accepted") << message;
  const std::string apns_id = message["apns_id"];
  ASSERT_TRUE(
      device_->wait_for_output("\"kind\":\"call_shown\",\"bundle_id\":\"com.example.imapp\","
                               "\"apns_id\":\"" +
                                   apns_id + "\"",
                               30s))
      << device_->output();
  ASSERT_EQ(kill(pipeline_->pid(), SIGTERM), 0);
  EXPECT_EQ(pipeline_->wait_for_exit(30s), 0) << pipeline_->output();
  EXPECT_EQ(event_line(pipeline_->output(), "stopped")["left_pending"], 0);
}

TEST_F(PipelineCli, KilledWithPushesInFlightItLosesNoMessageAndCountsTheDuplicates) {
  support::TempDir dir;
  const std::string db = dir.file("pipeline.db");
  ASSERT_TRUE(start_pipeline(db));
  upload_certificate();
  start_device();
  // Ten messages settle before the kill: they must not be sent again.
  std::vector<std::string> ids;
  for (int i = 1; i <= 10; ++i)
    ids.push_back(send_to_bob(i));
  EXPECT_EQ(call(api_, "GET", "/v1/health?wait_idle_ms=30000", nullptr, 200)["in_flight"], 0);
  // Then every push is answered 400 ms late (after the mock has handed it to the device): a
  // kill now leaves the pipeline without answers for pushes the device already has.
  call(endpoint(mock_ready_["admin"]), "POST", "/v1/faults", {{"count", -1}, {"latency_ms", 400}},
       200);
  constexpr int kMessages = 30;
  for (int i = 11; i <= kMessages; ++i)
    ids.push_back(send_to_bob(i));
  const json health = call(api_, "GET", "/v1/health", nullptr, 200);
  ASSERT_GT(health["in_flight"].get<int>(), 0) << "nothing in flight to kill";

  ASSERT_EQ(kill(pipeline_->pid(), SIGKILL), 0);
  ASSERT_TRUE(pipeline_->wait_for_exit(30s)) << pipeline_->output();
  // What the database says was in flight at the kill: sent (or about to be) and not settled.
  std::size_t in_flight_at_kill = 0;
  {
    auto store = pipeline::Store::open(db);
    ASSERT_TRUE(store) << store.error().message();
    in_flight_at_kill = (*store)->pending_messages().size();
    for (const auto& id : ids)
      EXPECT_TRUE((*store)->message(id)) << id << " was lost";
  }
  call(endpoint(mock_ready_["admin"]), "DELETE", "/v1/faults", nullptr, 200);

  ASSERT_TRUE(start_pipeline(db));
  const json idle = call(api_, "GET", "/v1/health?wait_idle_ms=60000", nullptr, 200);
  EXPECT_EQ(idle["in_flight"], 0);
  std::vector<std::string> apns_ids;
  for (const auto& id : ids) {
    const json message = call(api_, "GET", "/v1/messages/" + id, nullptr, 200);
    EXPECT_EQ(message["state"], "accepted") << id << ": " << message;
    apns_ids.push_back(message.value("apns_id", ""));
  }
  // Every message reached the phone; the repeats are pushes resent after the kill.
  for (const auto& apns_id : apns_ids) {
    EXPECT_TRUE(device_->wait_for_output(
        "\"kind\":\"push_arrived\",\"bundle_id\":\"com.example.imapp\",\"apns_id\":\"" + apns_id +
            "\"",
        30s))
        << apns_id;
  }
  // Every push the mock accepted reaches the device, repeats included: wait for all of them
  // (the mock's feed counts its deliveries) before counting.
  const json mock_health = call(endpoint(mock_ready_["admin"]), "GET", "/v1/health", nullptr, 200);
  const std::size_t delivered = mock_health["deliveries"].get<std::size_t>();
  EXPECT_TRUE(device_->wait_for_output("\"kind\":\"push_arrived\"", 30s, delivered))
      << delivered << " deliveries at the mock\n"
      << device_->output();
  int duplicates = 0;
  for (const auto& [apns_id, n] : arrivals())
    duplicates += n - 1;
  EXPECT_EQ(static_cast<std::size_t>(kMessages + duplicates), delivered);
  RecordProperty("in_flight_at_kill", static_cast<int>(in_flight_at_kill));
  RecordProperty("duplicates_at_device", duplicates);
  std::cout << "[ crash    ] " << kMessages << " messages, " << in_flight_at_kill
            << " in flight at the kill, " << duplicates << " delivered twice\n";
  EXPECT_LE(static_cast<std::size_t>(duplicates), in_flight_at_kill);
}

// Issue #8 "Security": with --api-secret-file every route but GET /v1/health needs the secret.
TEST_F(PipelineCli, TheApiSecretGuardsEveryRouteButHealth) {
  support::TempDir dir;
  const std::string secret = "7e3a-pipeline-api-secret";
  const std::string secret_file = dir.write("api.secret", secret + "\n");
  ASSERT_TRUE(start_pipeline(dir.file("pipeline.db"), {"--api-secret-file", secret_file}));
  EXPECT_TRUE(event_line(pipeline_->output(), "warning").is_null()) << pipeline_->output();

  const json refused = call(api_, "GET", "/v1/console/certificates", nullptr, 401);
  EXPECT_EQ(refused["error"], "UNAUTHORIZED") << refused;
  EXPECT_NE(refused["message"].get<std::string>().find("--api-secret-file"), std::string::npos)
      << refused;
  net::HttpEndpoint wrong = api_;
  wrong.bearer_secret = secret + "0";
  EXPECT_EQ(call(wrong, "POST", "/v1/users/bob/presence", {{"state", "background"}}, 401)["error"],
            "UNAUTHORIZED");
  EXPECT_EQ(call(api_, "GET", "/v1/health?wait_idle_ms=0", nullptr, 200)["status"], "ok");

  api_.bearer_secret = secret;
  upload_certificate();
  EXPECT_EQ(call(api_, "GET", "/v1/console/certificates", nullptr, 200)["certificates"].size(), 1u);
  // The device reports its token (setVOIP) with the same secret.
  start_device({"--pipeline-secret-file", secret_file});
  EXPECT_TRUE(event_line(device_->output(), "warning").is_null()) << device_->output();
  EXPECT_EQ(pipeline_->output().find(secret), std::string::npos) << pipeline_->output();
}

// Issue #24 point 4: errors in the one shape; a query parameter the endpoint does not take, or a
// value of the wrong form, is a 400 (wait_idle_ms=abc was read as no wait at all).
TEST_F(PipelineCli, ErrorsHaveOneShapeAndBadQueriesAreRefused) {
  ASSERT_TRUE(start_pipeline(":memory:"));
  const auto code_of = [](const json& j) {
    EXPECT_TRUE(j.is_object() && j.size() == 2 && j["error"].is_string() &&
                j["message"].is_string())
        << j;
    return j.value("error", "");
  };
  for (const char* target :
       {"/v1/health?wait_idle_ms=abc", "/v1/health?wait_idle_ms=-1", "/v1/health?wait_quiet=5",
        "/v1/health?wait_idle_ms=1&wait_quiet_ms=1", "/v1/console/certificates?limit=2",
        "/v1/messages/msg-1?verbose=1", "/v1/users/bob/registration?x"}) {
    EXPECT_EQ(code_of(call(api_, "GET", target, nullptr, 400)), "BAD_QUERY") << target;
  }
  EXPECT_EQ(code_of(call(api_, "GET", "/v1/nothing", nullptr, 404)), "NO_SUCH_ENDPOINT");
  EXPECT_EQ(code_of(call(api_, "GET", "/v1/messages/msg-9", nullptr, 404)), "NO_SUCH_MESSAGE");
  EXPECT_EQ(code_of(call(api_, "POST", "/v1/users/bob/presence", json::array(), 400)), "BAD_JSON");
  // Well formed, they are answered; with nothing in flight a wait ends at once, settled.
  EXPECT_EQ(call(api_, "GET", "/v1/health?wait_quiet_ms=30000", nullptr, 200)["settled"], true);
  EXPECT_EQ(call(api_, "GET", "/v1/health", nullptr, 200)["status"], "ok");
}

// im-voip-flow.md §3.4 through the API: presence per installation, and a login beyond
// --mobile-instances kicks the installation that logged in first, named in the login's answer.
TEST_F(PipelineCli, ALoginBeyondMobileInstancesKicksTheFirstInstallation) {
  ASSERT_TRUE(start_pipeline(":memory:", {"--mobile-instances", "2"}));
  const auto login = [&](const std::string& installation) {
    return call(api_, "POST", "/v1/users/bob/presence",
                {{"state", "background"}, {"installation", installation}}, 200);
  };
  EXPECT_EQ(login("bobs-iphone")["kicked"], json::array());
  EXPECT_EQ(login("bobs-ipad")["kicked"], json::array()); // two may stay
  const json third = login("bobs-mac");
  EXPECT_EQ(third["installation"], "bobs-mac");
  EXPECT_EQ(third["kicked"], json::array({"bobs-iphone"})) << third;
  // A client that names no installation is the default one: a login of its own.
  const json plain = call(api_, "POST", "/v1/users/bob/presence", {{"state", "online"}}, 200);
  EXPECT_EQ(plain["installation"], "default");
  EXPECT_EQ(plain["kicked"], json::array({"bobs-ipad"})) << plain;
  EXPECT_EQ(call(api_, "GET", "/v1/users/bob/registrations", nullptr, 200)["registrations"],
            json::array());
  EXPECT_EQ(
      call(api_, "GET", "/v1/users/bob/registration?installation=bobs-mac", nullptr, 404)["error"],
      "NO_REGISTRATION");
}

TEST_F(PipelineCli, AnApiBeyondLoopbackWithoutASecretIsWarnedAbout) {
  ASSERT_TRUE(start_pipeline(":memory:", {"--listen", "0.0.0.0:0"}));
  const json warning = event_line(pipeline_->output(), "warning");
  ASSERT_TRUE(warning.is_object()) << pipeline_->output();
  EXPECT_NE(warning["message"].get<std::string>().find("the pipeline's API listens on 0.0.0.0"),
            std::string::npos)
      << warning;
  EXPECT_NE(warning["message"].get<std::string>().find("VOIPSIM_API_SECRET"), std::string::npos);
}

TEST(PipelineCliUsage, ErrorsSayWhatIsWrong) {
  support::TempDir dir;
  const std::string ca = dir.write("ca.pem", "not a certificate");
  const std::pair<std::vector<std::string>, std::string> usage[] = {
      {{"pipeline"}, "--apns-sandbox is required"},
      {{"pipeline", "--apns-sandbox", "127.0.0.1:1"}, "--apns-production is required"},
      {{"pipeline", "--apns-sandbox", "x", "--apns-production", "127.0.0.1:2", "--ca", ca},
       "--apns-sandbox needs HOST:PORT"},
      {{"pipeline", "--apns-sandbox", "127.0.0.1:1", "--apns-production", "127.0.0.1:2", "--ca", ca,
        "--retry-delay", "0"},
       "--retry-delay"},
      {{"pipeline", "--apns-sandbox", "127.0.0.1:1", "--apns-production", "127.0.0.1:2", "--ca", ca,
        "--max-in-flight", "0"},
       "--max-in-flight must be a whole number from 1 to 1000000, not '0'"},
      {{"pipeline", "--apns-sandbox", "127.0.0.1:1", "--apns-production", "127.0.0.1:2", "--ca", ca,
        "--mobile-instances", "0"},
       "--mobile-instances must be a whole number from 1 to 1000, not '0'"},
      {{"pipeline", "--apns-sandbox", "127.0.0.1:1", "--apns-production", "127.0.0.1:2", "--ca", ca,
        "--api-secret-file", dir.write("empty.secret", "")},
       "--api-secret-file " + dir.file("empty.secret") + ": the secret is empty"},
      {{"pipeline", "--apns-sandbox", "127.0.0.1:1", "--apns-production", "127.0.0.1:2", "--ca", ca,
        "--api-secret-file", dir.file("missing.secret")},
       "cannot read --api-secret-file"},
  };
  for (const auto& [args, message] : usage) {
    const auto run = voipsim(args);
    EXPECT_EQ(run.exit_code, 2) << run.describe();
    EXPECT_NE(run.output.find(message), std::string::npos) << run.describe();
  }
  const auto bad_ca = voipsim({"pipeline", "--apns-sandbox", "127.0.0.1:1", "--apns-production",
                               "127.0.0.1:2", "--ca", dir.file("missing.pem"), "--db", ":memory:"});
  EXPECT_EQ(bad_ca.exit_code, 1) << bad_ca.describe();
  EXPECT_NE(bad_ca.output.find("missing.pem"), std::string::npos) << bad_ca.describe();
  // Issue #24.9: the error names the flag, what the file is and where the mock's one is.
  for (const char* said : {"--ca:", "signs the APNs servers' TLS certificates", "ca-bundle.pem"})
    EXPECT_NE(bad_ca.output.find(said), std::string::npos) << said << "\n" << bad_ca.describe();
  EXPECT_EQ(bad_ca.output.find("Apple CA file"), std::string::npos) << bad_ca.describe();
  const auto not_pem = voipsim({"pipeline", "--apns-sandbox", "127.0.0.1:1", "--apns-production",
                                "127.0.0.1:2", "--ca", ca, "--db", ":memory:"});
  EXPECT_EQ(not_pem.exit_code, 1) << not_pem.describe();
  EXPECT_NE(not_pem.output.find("--ca " + ca + ": no PEM certificate"), std::string::npos)
      << not_pem.describe();
}

TEST(PipelineCliUsage, HelpListsEveryOptionAndRoute) {
  const auto help = voipsim({"help", "pipeline"});
  ASSERT_EQ(help.exit_code, 0);
  for (const char* option : {"--apns-sandbox", "--apns-production", "--ca", "--listen", "--db",
                             "--apple-ca", "--seed", "--retry-delay", "--max-retries",
                             "--max-in-flight", "--mobile-instances", "--api-secret-file"})
    EXPECT_NE(help.output.find(std::string("\n  ") + option), std::string::npos) << option;
  for (const char* route : {"/v1/console/certificates", "/v1/users/{user}/voip-token",
                            "/v1/users/{user}/registrations", "/v1/messages", "/v1/health"})
    EXPECT_NE(help.output.find(route), std::string::npos) << route;
}

} // namespace
