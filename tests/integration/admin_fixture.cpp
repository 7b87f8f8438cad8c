#include "integration/admin_fixture.hpp"

#include "support/child_process.hpp"
#include "support/temp_dir.hpp"

#include <chrono>

namespace integration {

using namespace std::chrono_literals;
using mock_apns::Environment;
using nlohmann::json;

namespace {

HttpResult run_curl(const std::vector<std::string>& argv) {
  const auto run = support::run_process(argv, 30s);
  EXPECT_EQ(run.exit_code, 0) << run.describe();
  const auto newline = run.output.rfind('\n');
  return {std::atoi(run.output.c_str() + newline + 1), run.output.substr(0, newline)};
}

} // namespace

void AdminApi::SetUp() {
  ASSERT_FALSE(support::find_program("curl").empty()) << "curl is missing: run scripts/setup.sh";
  ASSERT_TRUE(admin_.start());
}

void AdminApi::TearDown() {
  admin_.stop();
}

std::string AdminApi::url(const std::string& path) const {
  return "http://127.0.0.1:" + std::to_string(admin_.port()) + path;
}

HttpResult AdminApi::call(const std::string& method, const std::string& path,
                          const std::string& body) {
  std::vector<std::string> argv = {"curl", "-sS", "-X", method, "-w", "\n%{http_code}", url(path)};
  // Every write says JSON, as the admin API requires (net/request_guard.hpp).
  if (method != "GET") argv.insert(argv.end(), {"-H", "content-type: application/json"});
  if (!body.empty()) argv.insert(argv.end(), {"--data-binary", body});
  return run_curl(argv);
}

HttpResult AdminApi::push(const std::string& token, const std::string& body,
                          const std::vector<std::string>& curl_args) {
  const WirePki& pki = WirePki::get();
  return send(token, body, {"--cert", pki.cert_file("C_UNIV"), "--key", pki.key_file("C_UNIV")},
              curl_args);
}

HttpResult AdminApi::push_with_token(const std::string& token, const std::string& jwt,
                                     const std::vector<std::string>& curl_args) {
  return send(token, R"({"aps":{}})", {"-H", "authorization: bearer " + jwt}, curl_args);
}

HttpResult AdminApi::send(const std::string& token, const std::string& body,
                          const std::vector<std::string>& credentials,
                          const std::vector<std::string>& curl_args) {
  support::TempDir dir;
  std::vector<std::string> argv = mock_.curl_to(Environment::Sandbox);
  argv.insert(argv.end(), credentials.begin(), credentials.end());
  argv.insert(argv.end(),
              {"-H", "apns-push-type: voip", "-H", "apns-topic: com.example.imapp.voip"});
  argv.insert(argv.end(), curl_args.begin(), curl_args.end());
  argv.insert(argv.end(), {"-w", "\n%{http_code}", "--data-binary", "@" + dir.write("body", body),
                           mock_.origin(Environment::Sandbox) + "/3/device/" + token});
  return run_curl(argv);
}

std::string AdminApi::add_token_body(const std::string& state) const {
  return json{{"token", kToken},
              {"environment", "sandbox"},
              {"topic", "com.example.imapp.voip"},
              {"state", state},
              {"timestamp", 0}}
      .dump();
}

} // namespace integration
