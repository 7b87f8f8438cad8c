// `voipsim jwt` as a curl user runs it (issue #22 acceptance 2): its token, from the folder the
// mock names in its ready line, is accepted on a token connection; a token naming a key the mock
// does not know gets 403 InvalidProviderToken; the mock's journal shows which key it verified.
#include "cli_support.hpp"
#include "support/child_process.hpp"
#include "support/temp_dir.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

namespace {

using namespace std::chrono_literals;
using nlohmann::json;

constexpr const char* kToken = "5f2a0c3d9e8b7a6f5e4d3c2b1a0f9e8d7c6b5a4f3e2d1c0b9a8f7e6d5c4b3a21";

// The status and body curl got for a token-auth VoIP push with `authorization` (a header line).
cli_test::CurlAnswer push(const std::string& pki, const std::string& sandbox,
                          const std::string& authorization) {
  const std::string port = cli_test::port_of(sandbox);
  return cli_test::curl_status("https://api.sandbox.push.apple.com:" + port + "/3/device/" + kToken,
                               {"--http2", "--cacert", pki + "/ca-bundle.pem", "--resolve",
                                "api.sandbox.push.apple.com:" + port + ":127.0.0.1", "-H",
                                authorization, "-H", "apns-topic: com.example.imapp.voip", "-H",
                                "apns-push-type: voip", "--data-binary", R"({"aps":{}})"});
}

TEST(JwtCli, ATokenFromTheMocksFolderIsAcceptedAndAnUnknownKeyIsNot) {
  ASSERT_FALSE(support::find_program("curl").empty()) << "curl is missing: run scripts/setup.sh";
  support::TempDir dir;
  const std::string tokens = dir.write(
      "tokens.json",
      json::array(
          {{{"token", kToken}, {"environment", "sandbox"}, {"topic", "com.example.imapp.voip"}}})
          .dump());
  support::BackgroundProcess mock({VOIPSIM_BINARY, "mock-apns", "--tokens", tokens});
  ASSERT_TRUE(mock.wait_for_output("\"event\":\"ready\"", 60s)) << mock.output();
  const json ready = cli_test::event_line(mock.output(), "ready");
  const std::string pki = ready["pki"];
  const std::string sandbox = ready["sandbox"];

  const auto header = cli_test::voipsim({"jwt", "--pki", pki, "--header"});
  ASSERT_EQ(header.exit_code, 0) << header.describe();
  ASSERT_TRUE(header.output.starts_with("authorization: bearer ey")) << header.output;
  const std::string line = header.output.substr(0, header.output.find('\n'));
  const auto accepted = push(pki, sandbox, line);
  EXPECT_EQ(accepted.status, 200) << accepted.body;

  const auto bare = cli_test::voipsim({"jwt", "--pki", pki, "--key-id", "XXXXXXXXXX"});
  ASSERT_EQ(bare.exit_code, 0) << bare.describe();
  const std::string token = bare.output.substr(0, bare.output.find('\n'));
  EXPECT_EQ(token.find("bearer"), std::string::npos) << "without --header: the token alone";
  const auto refused = push(pki, sandbox, "authorization: bearer " + token);
  EXPECT_EQ(refused.status, 403) << refused.body;
  EXPECT_NE(refused.body.find("InvalidProviderToken"), std::string::npos) << refused.body;

  // The mock verified the first with the folder's key.
  const auto journal = cli_test::curl_status("http://" + ready["admin"].get<std::string>() +
                                             "/v1/journal?accepted=true");
  EXPECT_NE(journal.body.find("token KB00000001"), std::string::npos) << journal.body;
}

TEST(JwtCli, AFolderWithoutAManifestIsAFailureThatNamesIt) {
  support::TempDir dir;
  const auto missing = cli_test::voipsim({"jwt", "--pki", dir.path().string()});
  EXPECT_EQ(missing.exit_code, 1) << missing.describe();
  EXPECT_NE(missing.output.find("manifest.json"), std::string::npos) << missing.describe();
  const auto usage = cli_test::voipsim({"jwt"});
  EXPECT_EQ(usage.exit_code, 2) << usage.describe();
  EXPECT_NE(usage.output.find("--pki is required"), std::string::npos) << usage.describe();
}

} // namespace
