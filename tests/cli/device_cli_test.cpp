// `voipsim device` as its own process against a standalone `voipsim mock-apns` (issue #5,
// acceptance 3): a push sent with curl to the mock reaches the device, which reports the call;
// a mock whose admin API needs a secret; plus its stdin commands and its usage errors.
#include "cli_support.hpp"
#include "support/child_process.hpp"
#include "support/curl_push.hpp"
#include "support/temp_dir.hpp"

#include <csignal>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

namespace {

using namespace std::chrono_literals;
using cli_test::event_line;
using cli_test::json_lines;
using cli_test::port_of;
using cli_test::voipsim;
using nlohmann::json;

constexpr const char* kBundle = "com.example.imapp";

class DeviceCli : public ::testing::Test {
protected:
  void SetUp() override {
    ASSERT_FALSE(support::find_program("curl").empty()) << "curl is missing: run scripts/setup.sh";
    mock_ = std::make_unique<support::BackgroundProcess>(
        std::vector<std::string>{VOIPSIM_BINARY, "mock-apns"});
    ASSERT_TRUE(mock_->wait_for_output("\"event\":\"ready\"", 60s)) << mock_->output();
    ready_ = event_line(mock_->output(), "ready");
    ASSERT_TRUE(ready_.is_object()) << mock_->output();
  }

  std::string admin_url() const { return "http://" + ready_["admin"].get<std::string>(); }

  // Starts a device with `extra` flags and returns its VoIP token ("" on failure).
  std::string start_device(std::vector<std::string> extra = {}) {
    std::vector<std::string> argv = {VOIPSIM_BINARY, "device", "--mock-admin", admin_url(),
                                     "--app",        kBundle,  "--env",        "development",
                                     "--ios",        "17",     "--seed",       "5"};
    argv.insert(argv.end(), extra.begin(), extra.end());
    device_ = std::make_unique<support::BackgroundProcess>(argv);
    if (!device_->wait_for_output("\"event\":\"ready\"", 60s)) {
      ADD_FAILURE() << device_->output();
      return "";
    }
    const json ready = event_line(device_->output(), "ready");
    if (!ready.is_object() || !ready["voip_token"].is_string()) {
      ADD_FAILURE() << device_->output();
      return "";
    }
    return ready["voip_token"];
  }

  // A VoIP push sent with curl --http2 and the PKI's VoIP Services certificate; its apns-id.
  std::string push_with_curl(const std::string& token) {
    const std::string pki = ready_["pki"];
    const std::string origin = "api.sandbox.push.apple.com:" + port_of(ready_["sandbox"]);
    const auto result = support::curl_push({.url = "https://" + origin + "/3/device/" + token,
                                            .ca_file = pki + "/ca-bundle.pem",
                                            .certificate_file = pki + "/voip-services.pem",
                                            .key_file = pki + "/voip-services.key",
                                            .topic = std::string(kBundle) + ".voip",
                                            .extra_args = {"--resolve", origin + ":127.0.0.1"}});
    const auto apns_id = support::accepted_apns_id(result);
    if (!apns_id) ADD_FAILURE() << result.describe();
    return apns_id.value_or("");
  }

  // The device's event lines of `kind` for the push `apns_id`.
  std::vector<json> device_events(const std::string& kind, const std::string& apns_id) const {
    std::vector<json> found;
    for (auto& line : json_lines(device_->output())) {
      if (line.value("event", "") == "device" && line.value("kind", "") == kind &&
          line.value("apns_id", "") == apns_id)
        found.push_back(line);
    }
    return found;
  }

  std::string needle(const std::string& kind, const std::string& apns_id) const {
    return "\"kind\":\"" + kind + "\",\"bundle_id\":\"" + kBundle + "\",\"apns_id\":\"" + apns_id +
           "\"";
  }

  std::unique_ptr<support::BackgroundProcess> mock_;
  std::unique_ptr<support::BackgroundProcess> device_;
  json ready_;
};

// Issue #8 "Security": a mock started with --admin-secret-file is followed by a device given the
// same secret (file or VOIPSIM_ADMIN_SECRET); without it the device does not start and says why.
class DeviceCliWithSecret : public DeviceCli {
protected:
  void SetUp() override {
    secret_file_ = dir_.write("admin.secret", "d3v1ce-follows-the-mock\n");
    mock_ = std::make_unique<support::BackgroundProcess>(
        std::vector<std::string>{VOIPSIM_BINARY, "mock-apns", "--admin-secret-file", secret_file_});
    ASSERT_TRUE(mock_->wait_for_output("\"event\":\"ready\"", 60s)) << mock_->output();
    ready_ = event_line(mock_->output(), "ready");
  }
  support::TempDir dir_;
  std::string secret_file_;
};

TEST_F(DeviceCliWithSecret, TheDeviceFollowsTheMockWithTheSecretFromAFile) {
  const std::string token = start_device({"--mock-admin-secret-file", secret_file_});
  ASSERT_EQ(token.size(), 64u);
  const std::string apns_id = push_with_curl(token);
  ASSERT_FALSE(apns_id.empty());
  ASSERT_TRUE(device_->wait_for_output(needle("call_reported", apns_id), 30s)) << device_->output();
  EXPECT_TRUE(event_line(device_->output(), "warning").is_null()) << device_->output();
  EXPECT_EQ(device_->output().find("d3v1ce-follows-the-mock"), std::string::npos)
      << device_->output();
}

TEST_F(DeviceCliWithSecret, TheDeviceTakesTheSecretFromTheEnvironment) {
  const cli_test::ScopedEnv env("VOIPSIM_ADMIN_SECRET", "d3v1ce-follows-the-mock");
  const std::string token = start_device();
  ASSERT_EQ(token.size(), 64u);
  const std::string apns_id = push_with_curl(token);
  ASSERT_FALSE(apns_id.empty());
  EXPECT_TRUE(device_->wait_for_output(needle("call_reported", apns_id), 30s)) << device_->output();
}

TEST_F(DeviceCliWithSecret, WithoutTheSecretTheDeviceDoesNotStartAndSaysWhy) {
  const auto bare = voipsim({"device", "--mock-admin", admin_url()});
  EXPECT_EQ(bare.exit_code, 1) << bare.describe();
  EXPECT_NE(bare.output.find("refused the request: this API needs a bearer secret"),
            std::string::npos)
      << bare.describe();
  EXPECT_NE(bare.output.find("--admin-secret-file"), std::string::npos) << bare.describe();
  const auto wrong = voipsim({"device", "--mock-admin", admin_url(), "--mock-admin-secret-file",
                              dir_.write("wrong.secret", "another-secret")});
  EXPECT_EQ(wrong.exit_code, 1) << wrong.describe();
  EXPECT_NE(wrong.output.find("not the one this API was started with"), std::string::npos)
      << wrong.describe();
  const auto empty = voipsim({"device", "--mock-admin", admin_url(), "--mock-admin-secret-file",
                              dir_.write("empty.secret", "")});
  EXPECT_EQ(empty.exit_code, 2) << empty.describe();
  EXPECT_NE(empty.output.find("the secret is empty"), std::string::npos) << empty.describe();
}

TEST_F(DeviceCli, CurlPushToTheStandaloneMockRingsTheDevice) {
  const std::string token = start_device({"--callkit", "immediate"});
  ASSERT_EQ(token.size(), 64u);
  const std::string apns_id = push_with_curl(token);
  ASSERT_FALSE(apns_id.empty());
  // completion() is the delegate's last step: everything before it is printed by then.
  ASSERT_TRUE(device_->wait_for_output(needle("completion_called", apns_id), 30s))
      << device_->output();
  EXPECT_EQ(device_events("call_shown", apns_id).size(), 1u) << device_->output();
  EXPECT_EQ(device_events("push_arrived", apns_id).size(), 1u) << device_->output();
  const auto reported = device_events("call_reported", apns_id);
  ASSERT_EQ(reported.size(), 1u) << device_->output();
  EXPECT_FALSE(reported[0].value("call_uuid", "").empty());
  EXPECT_EQ(device_events("completion_called", apns_id).size(), 1u) << device_->output();

  ASSERT_EQ(kill(device_->pid(), SIGTERM), 0);
  EXPECT_EQ(device_->wait_for_exit(30s), 0) << device_->output();
  // Issue #24.9: "signal", the word of mock-apns and pipeline.
  EXPECT_EQ(event_line(device_->output(), "stopped")["signal"], "SIGTERM");
}

TEST_F(DeviceCli, AnAppThatNeverReportsIsKilledAsIosDoes) {
  const std::string token = start_device({"--callkit", "never"});
  ASSERT_EQ(token.size(), 64u);
  const std::string apns_id = push_with_curl(token);
  ASSERT_FALSE(apns_id.empty());
  ASSERT_TRUE(device_->wait_for_output(needle("app_killed", apns_id), 30s)) << device_->output();
  EXPECT_TRUE(device_events("call_reported", apns_id).empty()) << device_->output();
}

TEST_F(DeviceCli, CommandsOnStdinAreAnsweredInOrder) {
  const auto run = voipsim({"device", "--mock-admin", admin_url(), "--seed", "9"},
                           "dance\nairplane\n\nonline\nhelp\nquit\n");
  ASSERT_EQ(run.exit_code, 0) << run.describe();
  std::vector<json> commands;
  for (auto& line : json_lines(run.output))
    if (line.value("event", "") == "command") commands.push_back(line);
  ASSERT_EQ(commands.size(), 5u) << run.output;
  EXPECT_EQ(commands[0]["ok"], false);
  EXPECT_NE(commands[0]["error"].get<std::string>().find("unknown command 'dance'"),
            std::string::npos);
  EXPECT_EQ(commands[1]["command"], "airplane");
  EXPECT_EQ(commands[1]["ok"], true);
  EXPECT_EQ(commands[2]["command"], "online");
  EXPECT_NE(commands[3]["help"].get<std::string>().find("answer UUID"), std::string::npos);
  EXPECT_EQ(commands[4]["command"], "quit");
  const json stopped = event_line(run.output, "stopped");
  EXPECT_TRUE(stopped["signal"].is_null()) << stopped;
  EXPECT_EQ(stopped["command"], "quit");
  EXPECT_FALSE(stopped.contains("by")) << stopped;
  // Issue #24.9: the ready line comes first, the start-up's events (token_issued, ...) after it.
  const auto lines = json_lines(run.output);
  ASSERT_FALSE(lines.empty()) << run.output;
  EXPECT_EQ(lines.front()["event"], "ready") << run.output;
  EXPECT_NE(run.output.find("\"kind\":\"token_issued\""), std::string::npos) << run.output;
  // The commands took effect on the device, in order.
  EXPECT_NE(run.output.find("\"detail\":\"online -> airplane_mode\""), std::string::npos)
      << run.output;
}

TEST(DeviceCliUsage, ErrorsSayWhatIsWrong) {
  const std::pair<std::vector<std::string>, const char*> usage[] = {
      {{"device"}, "--mock-admin URL is required"},
      {{"device", "--mock-admin", "https://127.0.0.1:1"}, "uses TLS"},
      {{"device", "--mock-admin", "127.0.0.1:1", "--env", "staging"}, "--env takes sandbox"},
      {{"device", "--mock-admin", "127.0.0.1:1", "--callkit", "sometimes"}, "--callkit:"},
      {{"device", "--mock-admin", "127.0.0.1:1", "--ios", "seventeen"}, "--ios:"},
      {{"device", "--mock-admin", "127.0.0.1:1", "--start", "asleep"}, "--start takes"},
      {{"device", "--mock-admin", "127.0.0.1:1", "extra"}, "unexpected argument 'extra'"},
  };
  for (const auto& [args, message] : usage) {
    const auto run = voipsim(args);
    EXPECT_EQ(run.exit_code, 2) << run.describe();
    EXPECT_NE(run.output.find(message), std::string::npos) << run.describe();
  }
  // Port 1 on loopback: nothing listens there.
  const auto unreachable = voipsim({"device", "--mock-admin", "127.0.0.1:1"});
  EXPECT_EQ(unreachable.exit_code, 1) << unreachable.describe();
  EXPECT_NE(unreachable.output.find("does not answer"), std::string::npos)
      << unreachable.describe();
}

TEST(DeviceCliUsage, HelpListsEveryOptionAndCommand) {
  const auto help = voipsim({"help", "device"});
  ASSERT_EQ(help.exit_code, 0);
  for (const char* option :
       {"--mock-admin", "--pipeline", "--app", "--env", "--ios", "--linked-sdk",
        "--no-voip-background", "--no-push-capability", "--no-consent", "--callkit", "--user",
        "--no-login", "--certificate-id", "--start", "--device-id", "--seed",
        "--mock-admin-secret-file", "--pipeline-secret-file"}) {
    EXPECT_NE(help.output.find(std::string("\n  ") + option), std::string::npos) << option;
  }
  for (const char* command : {"launch", "airplane", "answer UUID", "callkit", "reinstall", "quit"})
    EXPECT_NE(help.output.find(command), std::string::npos) << command;
}

} // namespace
