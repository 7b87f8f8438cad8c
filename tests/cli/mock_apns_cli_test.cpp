// `voipsim mock-apns` as a test suite in another language runs it: start, read the ready line,
// push with curl, ask the admin API, stop with a signal; its admin secret; certificate-only
// auth; and its usage errors.
#include "cli_support.hpp"
#include "core/clock.hpp"
#include "pki/provider_token.hpp"
#include "support/child_process.hpp"
#include "support/temp_dir.hpp"
#include "support/test_pki.hpp"

#include <csignal>
#include <filesystem>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>
#include <sys/stat.h>

namespace {

using namespace std::chrono_literals;
using nlohmann::json;

constexpr const char* kToken = "db3582a31936a10992dcb438c512d71a0ca642b9b58c4fb2357f8c055043eaf6";

using cli_test::curl_status;
using cli_test::event_line;
using cli_test::port_of;
using cli_test::voipsim;

// A --tokens file that registers kToken as a sandbox VoIP token.
std::string tokens_file(const support::TempDir& dir) {
  return dir.write("tokens.json", json::array({{{"token", kToken},
                                                {"environment", "sandbox"},
                                                {"topic", "com.example.imapp.voip"}}})
                                      .dump());
}

TEST(MockApnsCli, ServesAPushFromReadyLineToSignal) {
  ASSERT_FALSE(support::find_program("curl").empty()) << "curl is missing: run scripts/setup.sh";
  support::TempDir dir;
  const std::string tokens = tokens_file(dir);
  support::BackgroundProcess mock({VOIPSIM_BINARY, "mock-apns", "--tokens", tokens, "--seed", "7"});
  ASSERT_TRUE(mock.wait_for_output("\"event\":\"ready\"", 60s)) << mock.output();
  const json ready = event_line(mock.output(), "ready");
  ASSERT_TRUE(ready.is_object()) << mock.output();
  const std::string pki = ready["pki"];
  for (const char* file : {"ca-bundle.pem", "voip-services.pem", "AuthKey_KB00000001.p8"}) {
    EXPECT_TRUE(std::filesystem::exists(pki + "/" + file)) << file;
  }
  // Its own PKI holds private keys: the folder is the owner's alone, the keys 0600.
  for (const auto& [file, mode] : {std::pair<std::string, unsigned>{"", 0700},
                                   {"/voip-services.key", 0600},
                                   {"/voip-services.p12", 0600},
                                   {"/AuthKey_KB00000001.p8", 0600},
                                   {"/server.key", 0600}}) {
    struct stat st {};
    ASSERT_EQ(::stat((pki + file).c_str(), &st), 0) << file;
    EXPECT_EQ(st.st_mode & 0777, mode) << pki + file;
  }
  const std::string port = port_of(ready["sandbox"]);
  const auto pushed = support::run_process(
      {"curl", "-sS", "--http2", "--cacert", pki + "/ca-bundle.pem", "--cert",
       pki + "/voip-services.pem", "--key", pki + "/voip-services.key", "--resolve",
       "api.sandbox.push.apple.com:" + port + ":127.0.0.1", "-H", "apns-push-type: voip", "-w",
       "%{http_code}", "--data-binary", R"({"aps":{}})",
       "https://api.sandbox.push.apple.com:" + port + "/3/device/" + kToken},
      30s);
  EXPECT_EQ(pushed.output, "200") << pushed.describe();
  const auto journal = support::run_process(
      {"curl", "-sS", "http://" + ready["admin"].get<std::string>() + "/v1/journal"}, 30s);
  const auto entries = json::parse(journal.output, nullptr, false);
  ASSERT_TRUE(entries.is_object()) << journal.describe();
  ASSERT_EQ(entries["entries"].size(), 1u);
  EXPECT_EQ(entries["entries"][0]["auth"], "certificate \"VoIP Services: com.example.imapp\"");
  // Issue #24.9: an accepted push's entry has its path too.
  EXPECT_EQ(entries["entries"][0]["path"], std::string("/3/device/") + kToken);

  const pid_t pid = mock.pid();
  ASSERT_EQ(kill(pid, SIGTERM), 0);
  ASSERT_TRUE(mock.wait_for_output("\"event\":\"stopped\"", 30s)) << mock.output();
  EXPECT_EQ(event_line(mock.output(), "stopped")["accepted"], 1);
  // The folder it made for itself goes with it; wait for the exit that follows the line.
  EXPECT_EQ(mock.wait_for_exit(30s), 0) << mock.output();
  EXPECT_FALSE(std::filesystem::exists(pki)) << "temporary PKI left behind";
}

TEST(MockApnsCli, UsageErrorsAndStartFailuresSayWhatIsWrong) {
  const auto auth = voipsim({"mock-apns", "--auth", "password"});
  EXPECT_EQ(auth.exit_code, 2);
  EXPECT_NE(auth.output.find("--auth takes cert, token or cert,token"), std::string::npos)
      << auth.describe();
  const auto address = voipsim({"mock-apns", "--sandbox", "localhost"});
  EXPECT_EQ(address.exit_code, 2);
  EXPECT_NE(address.output.find("HOST:PORT"), std::string::npos) << address.describe();
  const auto pki = voipsim({"mock-apns", "--pki", "/nonexistent/pki"});
  EXPECT_EQ(pki.exit_code, 1);
  EXPECT_NE(pki.output.find("manifest.json"), std::string::npos) << pki.describe();
  support::TempDir dir;
  const auto tokens =
      voipsim({"mock-apns", "--tokens", dir.write("t.json", R"([{"token":"ab"}])")});
  EXPECT_EQ(tokens.exit_code, 2);
  EXPECT_NE(tokens.output.find("record 0"), std::string::npos) << tokens.describe();
  const auto config =
      voipsim({"mock-apns", "--config", dir.write("c.json", R"({"perTokenBrust":0})")});
  EXPECT_EQ(config.exit_code, 2);
  EXPECT_NE(config.output.find("unknown setting \"perTokenBrust\""), std::string::npos)
      << config.describe();
}

// Issue #8 "Security": the admin secret from a file (its newline trimmed) or the environment.
TEST(MockApnsCli, TheAdminSecretComesFromAFileOrTheEnvironment) {
  ASSERT_FALSE(support::find_program("curl").empty()) << "curl is missing: run scripts/setup.sh";
  support::TempDir dir;
  const std::string file = dir.write("admin.secret", "c0ffee-from-a-file\n");
  support::BackgroundProcess from_file({VOIPSIM_BINARY, "mock-apns", "--admin-secret-file", file});
  ASSERT_TRUE(from_file.wait_for_output("\"event\":\"ready\"", 60s)) << from_file.output();
  const std::string admin =
      "http://" + event_line(from_file.output(), "ready")["admin"].get<std::string>();
  EXPECT_EQ(curl_status(admin + "/v1/tokens").status, 401);
  // The file ends in a newline; the secret does not.
  EXPECT_EQ(
      curl_status(admin + "/v1/tokens", {"-H", "Authorization: Bearer c0ffee-from-a-file"}).status,
      200);
  EXPECT_EQ(curl_status(admin + "/v1/health").status, 200);
  EXPECT_TRUE(event_line(from_file.output(), "warning").is_null()) << from_file.output();

  const cli_test::ScopedEnv env("VOIPSIM_ADMIN_SECRET", "from-the-environment");
  support::BackgroundProcess from_env({VOIPSIM_BINARY, "mock-apns"});
  ASSERT_TRUE(from_env.wait_for_output("\"event\":\"ready\"", 60s)) << from_env.output();
  const std::string admin2 =
      "http://" + event_line(from_env.output(), "ready")["admin"].get<std::string>();
  EXPECT_EQ(curl_status(admin2 + "/v1/settings").status, 401);
  EXPECT_EQ(
      curl_status(admin2 + "/v1/settings", {"-H", "Authorization: Bearer from-the-environment"})
          .status,
      200);
  EXPECT_EQ(from_env.output().find("from-the-environment"), std::string::npos)
      << "the secret was printed: " << from_env.output();
}

TEST(MockApnsCli, AnUnusableSecretIsAUsageError) {
  support::TempDir dir;
  const struct {
    std::vector<std::string> args;
    const char* says;
  } cases[] = {
      {{"--admin-secret-file", dir.write("empty", "\n")}, "the secret is empty"},
      {{"--admin-secret-file", dir.file("missing")}, "cannot read --admin-secret-file"},
      {{"--admin-secret-file", dir.write("spaced", "two words\n")}, "visible ASCII"},
      {{"--admin-secret", "plain"}, "unknown option --admin-secret"},
  };
  for (const auto& c : cases) {
    std::vector<std::string> args = {"mock-apns"};
    args.insert(args.end(), c.args.begin(), c.args.end());
    const auto run = voipsim(args);
    EXPECT_EQ(run.exit_code, 2) << run.describe();
    EXPECT_NE(run.output.find(c.says), std::string::npos) << run.describe();
  }
  const cli_test::ScopedEnv empty("VOIPSIM_ADMIN_SECRET", "");
  const auto run = voipsim({"mock-apns"});
  EXPECT_EQ(run.exit_code, 2) << run.describe();
  EXPECT_NE(run.output.find("VOIPSIM_ADMIN_SECRET: the secret is empty"), std::string::npos)
      << run.describe();
}

TEST(MockApnsCli, AnAdminApiBeyondLoopbackWithoutASecretIsWarnedAbout) {
  support::BackgroundProcess open({VOIPSIM_BINARY, "mock-apns", "--admin", "0.0.0.0:0"});
  ASSERT_TRUE(open.wait_for_output("\"event\":\"ready\"", 60s)) << open.output();
  const json warning = event_line(open.output(), "warning");
  ASSERT_TRUE(warning.is_object()) << open.output();
  EXPECT_NE(warning["message"].get<std::string>().find("0.0.0.0, beyond loopback, with no secret"),
            std::string::npos)
      << warning;
  EXPECT_NE(warning["message"].get<std::string>().find("--admin-secret-file"), std::string::npos);
  EXPECT_LT(open.output().find("\"event\":\"warning\""), open.output().find("\"event\":\"ready\""));

  const cli_test::ScopedEnv env("VOIPSIM_ADMIN_SECRET", "set-so-no-warning");
  support::BackgroundProcess guarded({VOIPSIM_BINARY, "mock-apns", "--admin", "0.0.0.0:0"});
  ASSERT_TRUE(guarded.wait_for_output("\"event\":\"ready\"", 60s)) << guarded.output();
  EXPECT_TRUE(event_line(guarded.output(), "warning").is_null()) << guarded.output();
}

// Issue #8 "Security", apns-provider-api.md §2 and §5.4: with --auth cert, a client without a
// certificate is a token connection, as at APNs: 403 MissingProviderToken, and InvalidProviderToken
// for a JWT even signed with the mock's own key. A certificate from another CA fails the TLS
// handshake, both a plain one and one shaped exactly like the mock's own (a fake Apple CA of the
// same names, made now with other keys); no request of theirs reaches the journal.
TEST(MockApnsCli, CertificateOnlyAuthRefusesWhatApnsRefuses) {
  ASSERT_FALSE(support::find_program("curl").empty()) << "curl is missing: run scripts/setup.sh";
  support::TempDir dir;
  const auto other_pki =
      voipsim({"certs", "--out", dir.file("other-ca"), "--bundle-id", "com.example.imapp",
               "--team-id", "TEAMA12345", "--key-id", "KB00000001", "--p12-password", "pw"});
  ASSERT_EQ(other_pki.exit_code, 0) << other_pki.describe();
  support::BackgroundProcess mock(
      {VOIPSIM_BINARY, "mock-apns", "--auth", "cert", "--tokens", tokens_file(dir)});
  ASSERT_TRUE(mock.wait_for_output("\"event\":\"ready\"", 60s)) << mock.output();
  const json ready = event_line(mock.output(), "ready");
  const std::string pki = ready["pki"];
  const std::string origin = "api.sandbox.push.apple.com:" + port_of(ready["sandbox"]);
  // One push with curl: the body and status ("<body><status>"), or curl's error.
  auto push = [&](std::vector<std::string> credentials) {
    std::vector<std::string> argv = {"curl",
                                     "-sS",
                                     "--http2",
                                     "--cacert",
                                     pki + "/ca-bundle.pem",
                                     "--resolve",
                                     origin + ":127.0.0.1",
                                     "-H",
                                     "apns-push-type: voip",
                                     "-H",
                                     "apns-topic: com.example.imapp.voip",
                                     "-w",
                                     "%{http_code}",
                                     "--data-binary",
                                     R"({"aps":{}})"};
    argv.insert(argv.end(), credentials.begin(), credentials.end());
    argv.push_back("https://" + origin + "/3/device/" + kToken);
    return support::run_process(argv, 30s);
  };

  const auto anonymous = push({});
  EXPECT_EQ(anonymous.output, R"({"reason":"MissingProviderToken"}403)") << anonymous.describe();
  const auto jwt = pki::make_provider_token(support::read_file(pki + "/AuthKey_KB00000001.p8"),
                                            "KB00000001", "TEAMA12345", core::SystemClock().now());
  ASSERT_TRUE(jwt) << jwt.error().message();
  const auto with_token = push({"-H", "authorization: bearer " + *jwt});
  EXPECT_EQ(with_token.output, R"({"reason":"InvalidProviderToken"}403)") << with_token.describe();

  const auto& stranger = support::TestPki::get();
  const std::string other = dir.file("other-ca");
  for (const auto& [cert, key] :
       {std::pair{stranger.other_client_cert, stranger.other_client_key},
        std::pair{other + "/voip-services.pem", other + "/voip-services.key"}}) {
    const auto refused = push({"--cert", cert, "--key", key});
    EXPECT_NE(refused.exit_code, 0) << refused.describe();
    // No HTTP answer at all: curl's error is a TLS alert or a closed connection, by timing.
    EXPECT_TRUE(refused.output.ends_with("000")) << refused.describe();
  }
  // Issue #24.9: the refusal is on stderr too, with the listener, the client and OpenSSL's
  // reason (the second may be folded into the next line: at most one a second).
  const std::string logged = "voipsim mock-apns: the sandbox listener (port " +
                             port_of(ready["sandbox"]) +
                             ") refused a TLS handshake from 127.0.0.1:";
  ASSERT_TRUE(mock.wait_for_output(logged, 30s)) << mock.output();
  const std::string output = mock.output();
  const std::string line = output.substr(output.find(logged));
  EXPECT_NE(line.substr(0, line.find('\n')).find("certificate verify failed"), std::string::npos)
      << line;

  const auto own =
      push({"--cert", pki + "/voip-services.pem", "--key", pki + "/voip-services.key"});
  EXPECT_EQ(own.output, "200") << own.describe();
  const auto journal = curl_status("http://" + ready["admin"].get<std::string>() + "/v1/journal");
  const json entries = json::parse(journal.body, nullptr, false);
  ASSERT_TRUE(entries.is_object()) << journal.body;
  ASSERT_EQ(entries["entries"].size(), 3u) << "the handshake refusals are no requests";
  EXPECT_EQ(entries["entries"][0]["reason"], "MissingProviderToken");
  EXPECT_EQ(entries["entries"][1]["reason"], "InvalidProviderToken");
  EXPECT_NE(entries["entries"][1]["cause"].get<std::string>().find("--auth cert"),
            std::string::npos);
  EXPECT_EQ(entries["entries"][2]["status"], 200);
  // The server counts the refused handshakes; it may finish counting after curl gave up.
  const std::string counted = "apns_tls_handshake_failures_total{environment=\"sandbox\"} 2\n";
  std::string metrics;
  for (int attempt = 0; attempt < 100 && metrics.find(counted) == std::string::npos; ++attempt)
    metrics = curl_status("http://" + ready["admin"].get<std::string>() + "/metrics").body;
  EXPECT_NE(metrics.find(counted), std::string::npos) << metrics;
}

// How often `needle` occurs in `text`.
std::size_t occurrences(const std::string& text, const std::string& needle) {
  std::size_t n = 0;
  for (auto at = text.find(needle); at != std::string::npos; at = text.find(needle, at + 1))
    ++n;
  return n;
}

// Issue #24.9: each failure's text is printed once, not once per layer it went through.
TEST(MockApnsCli, ABusyPortIsAStartFailure) {
  support::BackgroundProcess first({VOIPSIM_BINARY, "mock-apns"});
  ASSERT_TRUE(first.wait_for_output("\"event\":\"ready\"", 60s)) << first.output();
  const std::string taken = event_line(first.output(), "ready")["sandbox"];
  const auto second = voipsim({"mock-apns", "--sandbox", taken});
  EXPECT_EQ(second.exit_code, 1) << second.describe();
  EXPECT_NE(second.output.find("sandbox listener"), std::string::npos) << second.describe();
  EXPECT_EQ(occurrences(second.output, "Address already in use"), 1u) << second.describe();
}

TEST(MockApnsCli, StartFailuresAndUsageErrorsArePrintedOnce) {
  support::TempDir dir;
  const std::string pki = dir.file("pki");
  const auto certs =
      voipsim({"certs", "--out", pki, "--bundle-id", "com.example.imapp", "--team-id", "TEAMA12345",
               "--key-id", "KB00000001", "--p12-password", "pw"});
  ASSERT_EQ(certs.exit_code, 0) << certs.describe();
  dir.write("pki/server.key", "not a key");
  const auto broken = voipsim({"mock-apns", "--pki", pki});
  EXPECT_EQ(broken.exit_code, 1) << broken.describe();
  EXPECT_NE(broken.output.find("server.key"), std::string::npos) << broken.describe();
  EXPECT_EQ(occurrences(broken.output, "invalid options"), 1u) << broken.describe();

  const auto bogus = voipsim({"mock-apns", "--bogus"});
  EXPECT_EQ(bogus.exit_code, 2) << bogus.describe();
  EXPECT_EQ(occurrences(bogus.output, "unknown option --bogus"), 1u) << bogus.describe();
  EXPECT_EQ(occurrences(bogus.output, "--help"), 1u) << bogus.describe();
}

TEST(MockApnsCli, HelpListsEveryOption) {
  const auto help = voipsim({"help", "mock-apns"});
  ASSERT_EQ(help.exit_code, 0);
  for (const char* option :
       {"--sandbox", "--production", "--admin", "--pki", "--auth", "--strict", "--permissive",
        "--tokens", "--config", "--seed", "--threads", "--journal-size", "--per-token-burst",
        "--unregister-delay", "--record", "--admin-secret-file"}) {
    EXPECT_NE(help.output.find(std::string("\n  ") + option), std::string::npos) << option;
  }
}

// Issue #7 "Record": the traffic a standalone mock saw comes back as a scenario that replays.
TEST(MockApnsCli, RecordsTrafficAsAScenarioThatReplays) {
  ASSERT_FALSE(support::find_program("curl").empty()) << "curl is missing: run scripts/setup.sh";
  support::TempDir dir;
  const std::string tokens = tokens_file(dir);
  const std::string recording = dir.file("recorded.yaml");
  support::BackgroundProcess mock(
      {VOIPSIM_BINARY, "mock-apns", "--tokens", tokens, "--record", recording});
  ASSERT_TRUE(mock.wait_for_output("\"event\":\"ready\"", 60s)) << mock.output();
  const json ready = event_line(mock.output(), "ready");
  const std::string pki = ready["pki"];
  const std::string port = port_of(ready["sandbox"]);
  auto push = [&](const std::string& token) {
    return support::run_process(
               {"curl",
                "-sS",
                "--http2",
                "--cacert",
                pki + "/ca-bundle.pem",
                "--cert",
                pki + "/voip-services.pem",
                "--key",
                pki + "/voip-services.key",
                "--resolve",
                "api.sandbox.push.apple.com:" + port + ":127.0.0.1",
                "-H",
                "apns-topic: com.example.imapp.voip",
                "-H",
                "apns-push-type: voip",
                "-w",
                "%{http_code}",
                "-o",
                "/dev/null",
                "--data-binary",
                R"({"aps":{}})",
                "https://api.sandbox.push.apple.com:" + port + "/3/device/" + token},
               30s)
        .output;
  };
  EXPECT_EQ(push(kToken), "200");
  EXPECT_EQ(push(std::string(64, 'c')), "400"); // a token the mock never issued
  ASSERT_EQ(kill(mock.pid(), SIGTERM), 0);
  ASSERT_TRUE(mock.wait_for_output("\"event\":\"stopped\"", 30s)) << mock.output();
  EXPECT_EQ(event_line(mock.output(), "stopped")["recorded"], recording);
  EXPECT_EQ(mock.wait_for_exit(30s), 0) << mock.output();

  const std::string text = support::read_file(recording);
  EXPECT_NE(text.find("response: {status: 400, reason: BadDeviceToken}"), std::string::npos)
      << text;
  // Told by the journal's typed auth fields: curl's certificate is the PKI's voip-services.
  EXPECT_NE(text.find("auth: certificate\n      credential: voip-services\n"), std::string::npos)
      << text;
  const auto replay = voipsim({"run", recording});
  EXPECT_EQ(replay.exit_code, 0) << replay.describe() << "\n" << text;
  EXPECT_NE(replay.output.find("-> 200"), std::string::npos) << replay.output;
  EXPECT_NE(replay.output.find("-> 400 BadDeviceToken"), std::string::npos) << replay.output;

  const auto unwritable = voipsim({"mock-apns", "--record", "/nonexistent/dir/r.yaml"});
  EXPECT_EQ(unwritable.exit_code, 1);
  EXPECT_NE(unwritable.output.find("cannot write --record"), std::string::npos)
      << unwritable.describe();
}

} // namespace
