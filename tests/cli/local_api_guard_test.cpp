// The local APIs as a browser page and a careless input would meet them (issues #26, #28):
// `voipsim mock-apns` and `voipsim pipeline` started as processes, driven with curl. A foreign
// Host is misdirected, a foreign Origin forbidden, a write without JSON unsupported, and none
// of them changes anything; JSON a million levels deep is a 400 or a usage error, never a
// crash; a killed mock's temporary keys go at the next start.
#include "cli_support.hpp"
#include "support/child_process.hpp"
#include "support/temp_dir.hpp"

#include <csignal>
#include <filesystem>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

namespace {

using namespace std::chrono_literals;
using cli_test::curl_status;
using cli_test::event_line;
using cli_test::voipsim;
using nlohmann::json;

constexpr const char* kToken = "db3582a31936a10992dcb438c512d71a0ca642b9b58c4fb2357f8c055043eaf6";
const std::string kJson = "Content-Type: application/json";

std::string nested(std::size_t depth) {
  return std::string(depth, '[') + std::string(depth, ']');
}

// A started process and its ready line.
struct Started {
  std::unique_ptr<support::BackgroundProcess> process;
  json ready;
};

Started start(std::vector<std::string> argv) {
  argv.insert(argv.begin(), VOIPSIM_BINARY);
  Started s{std::make_unique<support::BackgroundProcess>(argv), nullptr};
  EXPECT_TRUE(s.process->wait_for_output("\"event\":\"ready\"", 60s)) << s.process->output();
  s.ready = event_line(s.process->output(), "ready");
  return s;
}

// The refusals every local API gives, checked on one state-changing `path` and `body`;
// `unchanged` reads the state the writes would have changed.
void expect_browser_requests_refused(const std::string& base, const std::string& path,
                                     const std::string& body,
                                     const std::function<std::string()>& unchanged) {
  const std::string before = unchanged();
  const std::string url = base + path;
  const auto host =
      curl_status(url, {"-H", "Host: evil.example", "-H", kJson, "--data-binary", body});
  EXPECT_EQ(host.status, 421) << host.body;
  EXPECT_NE(host.body.find("--allow-host"), std::string::npos) << host.body;
  for (const std::vector<std::string>& write :
       {std::vector<std::string>{"-H", "Content-Type: text/plain", "--data-binary", body},
        std::vector<std::string>{"-d", body}, // curl's default: a form
        std::vector<std::string>{"-F", "x=" + body}}) {
    const auto refused = curl_status(url, write);
    EXPECT_EQ(refused.status, 415) << refused.body;
    EXPECT_NE(refused.body.find("application/json"), std::string::npos) << refused.body;
  }
  const auto origin_write =
      curl_status(url, {"-H", "Origin: http://evil.example", "-H", kJson, "--data-binary", body});
  EXPECT_EQ(origin_write.status, 403) << origin_write.body;
  const auto origin_read = curl_status(base + "/v1/health", {"-H", "Origin: http://evil.example"});
  EXPECT_EQ(origin_read.status, 403) << origin_read.body;
  EXPECT_EQ(origin_read.body.find("ok"), std::string::npos) << origin_read.body;
  EXPECT_EQ(unchanged(), before);
  // Loopback probes still get health, also as HEAD.
  EXPECT_EQ(curl_status(base + "/v1/health").status, 200);
  EXPECT_EQ(curl_status(base + "/v1/health", {"-I"}).status, 200);
}

TEST(LocalApis, TheMockAdminApiRefusesWhatABrowserPageCouldSend) {
  ASSERT_FALSE(support::find_program("curl").empty()) << "curl is missing: run scripts/setup.sh";
  auto mock = start({"mock-apns", "--allow-host", "mock.internal"});
  const std::string admin = mock.ready["admin"];
  const std::string base = "http://" + admin;
  expect_browser_requests_refused(base, "/v1/faults",
                                  R"({"count":-1,"reason":"ServiceUnavailable"})",
                                  [&] { return curl_status(base + "/v1/faults").body; });
  expect_browser_requests_refused(
      base, "/v1/tokens",
      json{{"token", kToken}, {"environment", "sandbox"}, {"topic", "com.example.imapp.voip"}}
          .dump(),
      [&] { return curl_status(base + "/v1/tokens").body; });
  // DELETE needs JSON too; the tokens stay.
  const auto bare_delete = curl_status(base + "/v1/tokens", {"-X", "DELETE"});
  EXPECT_EQ(bare_delete.status, 415) << bare_delete.body;

  // The allowed name, on whatever port a proxy in front uses.
  const auto allowed = curl_status(base + "/v1/health", {"-H", "Host: mock.internal:443"});
  EXPECT_EQ(allowed.status, 200) << allowed.body;
  // localhost, as a person types it.
  const auto localhost = curl_status("http://localhost:" + cli_test::port_of(admin) + "/v1/health");
  EXPECT_EQ(localhost.status, 200) << localhost.body;
  // And what the README does: a fault added with JSON.
  const auto added =
      curl_status(base + "/v1/faults", {"--json", R"({"count":1,"reason":"ServiceUnavailable"})"});
  EXPECT_EQ(added.status, 200) << added.body;
}

TEST(LocalApis, ThePipelineApiRefusesWhatABrowserPageCouldSend) {
  auto mock = start({"mock-apns"});
  support::TempDir dir;
  auto pipeline = start({"pipeline", "--apns-sandbox", mock.ready["sandbox"], "--apns-production",
                         mock.ready["production"], "--ca",
                         mock.ready["pki"].get<std::string>() + "/ca-bundle.pem", "--db",
                         dir.file("p.db"), "--allow-host", "pipeline.internal"});
  const std::string base = "http://" + pipeline.ready["listen"].get<std::string>();
  const auto allowed = curl_status(base + "/v1/health", {"-H", "Host: pipeline.internal"});
  EXPECT_EQ(allowed.status, 200) << allowed.body;
  expect_browser_requests_refused(
      base, "/v1/users/bob/voip-token", json{{"token", kToken}, {"certificate_id", 1001}}.dump(),
      [&] { return curl_status(base + "/v1/users/bob/registration").body; });
  expect_browser_requests_refused(base, "/v1/users/bob/presence", R"({"state":"online"})", [&] {
    return curl_status(base + "/v1/users/bob/registration").body;
  });
  expect_browser_requests_refused(
      base, "/v1/messages",
      R"({"sender":"alice","receiver":"bob","content":"hi","offline_push_info":{"ios_push_type":"voip"}})",
      [&] { return curl_status(base + "/v1/messages/msg-1").body; });
}

TEST(LocalApis, JsonAMillionLevelsDeepIsRefusedAndTheServersStayUp) {
  support::TempDir dir;
  const std::string deep = dir.write("deep.json", nested(1'000'000));
  auto mock = start({"mock-apns"});
  const std::string admin = "http://" + mock.ready["admin"].get<std::string>();
  for (const char* path : {"/v1/tokens", "/v1/faults", "/v1/keys", "/v1/journal/verify"}) {
    const auto answer = curl_status(admin + path, {"-H", kJson, "--data-binary", "@" + deep});
    EXPECT_EQ(answer.status, 400) << path << " " << answer.body;
    EXPECT_NE(answer.body.find("nested deeper than 256 levels"), std::string::npos) << answer.body;
  }
  EXPECT_EQ(curl_status(admin + "/v1/health").status, 200);

  auto pipeline =
      start({"pipeline", "--apns-sandbox", mock.ready["sandbox"], "--apns-production",
             mock.ready["production"], "--ca",
             mock.ready["pki"].get<std::string>() + "/ca-bundle.pem", "--db", dir.file("p.db")});
  const std::string api = "http://" + pipeline.ready["listen"].get<std::string>();
  for (const char* path :
       {"/v1/messages", "/v1/users/bob/voip-token", "/v1/console/certificates"}) {
    const auto answer = curl_status(api + path, {"-H", kJson, "--data-binary", "@" + deep});
    EXPECT_EQ(answer.status, 400) << path << " " << answer.body;
    EXPECT_NE(answer.body.find("nested deeper than 256 levels"), std::string::npos) << answer.body;
  }
  EXPECT_EQ(curl_status(api + "/v1/health").status, 200);

  // The same document as a start-up file is a usage error.
  for (const char* flag : {"--tokens", "--config"}) {
    const auto run = voipsim({"mock-apns", flag, deep});
    EXPECT_EQ(run.exit_code, 2) << flag << " " << run.describe();
    EXPECT_NE(run.output.find("nested deeper than 256 levels"), std::string::npos) << run.output;
  }
}

TEST(LocalApis, AKilledMocksTemporaryKeysAreRemovedAtTheNextStart) {
  auto killed = start({"mock-apns"});
  const std::filesystem::path left = killed.ready["pki"].get<std::string>();
  ASSERT_TRUE(std::filesystem::exists(left / "voip-services.key"));
  kill(killed.process->pid(), SIGKILL);
  ASSERT_TRUE(killed.process->wait_for_exit(60s));
  ASSERT_TRUE(std::filesystem::exists(left)); // nothing could remove it
  auto next = start({"mock-apns"});
  EXPECT_FALSE(std::filesystem::exists(left));
  // A running mock's folder is not touched by another start.
  auto third = start({"mock-apns"});
  EXPECT_TRUE(std::filesystem::exists(next.ready["pki"].get<std::string>()));
}

} // namespace
