#pragma once
// A running mock with its admin API, driven with curl as a user's script would: admin calls, and
// pushes over curl --http2 with the §11.1 universal certificate or a provider token.
// Spec: docs/spec/apns-provider-api.md
#include "integration/mock_fixture.hpp"
#include "mock_apns/admin_server.hpp"

#include <functional>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

namespace integration {

inline constexpr const char* kToken =
    "aa3582a31936a10992dcb438c512d71a0ca642b9b58c4fb2357f8c055043eaf6";

struct HttpResult {
  int status = 0;
  std::string body;
  nlohmann::json parsed() const { return nlohmann::json::parse(body, nullptr, false); }
};

class AdminApi : public ::testing::Test {
protected:
  // `configure` changes the mock's options before it starts (MockFixture).
  explicit AdminApi(std::function<void(mock_apns::ServerOptions&)> configure = {})
      : mock_(std::move(configure)) {}
  void SetUp() override;
  void TearDown() override;

  std::string url(const std::string& path) const;
  HttpResult call(const std::string& method, const std::string& path, const std::string& body = "");
  // One VoIP push of `body` to `token` over curl --http2, with the §11.1 universal certificate
  // unless `curl_args` bring their own credentials (and with any headers they add).
  HttpResult push(const std::string& token, const std::string& body = R"({"aps":{}})",
                  const std::vector<std::string>& curl_args = {});
  // The same as a token connection: "authorization: bearer <jwt>" and no client certificate.
  HttpResult push_with_token(const std::string& token, const std::string& jwt,
                             const std::vector<std::string>& curl_args = {});
  // A sandbox token record for kToken in `state`, as POST /v1/tokens takes it.
  std::string add_token_body(const std::string& state = "active") const;

  MockFixture mock_;
  mock_apns::AdminServer admin_{mock_.server(), {}};

private:
  HttpResult send(const std::string& token, const std::string& body,
                  const std::vector<std::string>& credentials,
                  const std::vector<std::string>& curl_args);
};

} // namespace integration
