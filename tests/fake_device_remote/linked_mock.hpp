#pragma once
// A mock APNs with its admin API on loopback, as `voipsim mock-apns` runs them, for tests of the
// parts that reach the mock through that API (the remote device, the pipeline).
#include "mock_apns/admin_server.hpp"
#include "mock_apns/testing/mock_apns_test.hpp"
#include "net/http1_client.hpp"
#include "support/curl_push.hpp"

#include <stdexcept>
#include <string>

#include <gtest/gtest.h>

namespace fake_device::testing {

// A mock with its admin API, as `voipsim mock-apns` runs them; with `secret`, the admin API
// requires it (--admin-secret-file).
class LinkedMock {
public:
  explicit LinkedMock(std::string secret = {})
      : secret_(std::move(secret)), admin_(mock_.server(), {.bearer_secret = secret_}) {
    if (auto started = admin_.start(); !started)
      throw std::runtime_error(started.error().message());
  }
  mock_apns::Server& server() { return mock_.server(); }
  const mock_apns::testing::ScopedMockApns& scoped() const { return mock_; }
  // The admin API, with the secret to send.
  net::HttpEndpoint admin() const { return {"127.0.0.1", admin_.port(), secret_}; }

  // Sends a VoIP push with curl and a VoIP Services certificate; the apns-id answered with 200,
  // or "" (the failure is reported).
  std::string push_with_curl(const std::string& token) {
    const auto result = support::curl_push(
        {.url = mock_.url(mock_apns::Environment::Sandbox) + "/3/device/" + token,
         .ca_file = mock_.ca_file(),
         .certificate_file = mock_.certificate_file("voip-services"),
         .key_file = mock_.key_file("voip-services"),
         .topic = "com.example.imapp.voip",
         .extra_args = {}});
    const auto apns_id = support::accepted_apns_id(result);
    if (!apns_id) ADD_FAILURE() << result.describe();
    return apns_id.value_or("");
  }

private:
  mock_apns::testing::ScopedMockApns mock_;
  std::string secret_;
  mock_apns::AdminServer admin_;
};

} // namespace fake_device::testing
