// The device's links to a standalone mock, against a real mock_apns::Server and its admin API on
// loopback: tokens issued at the mock, retired there, reachability holding pushes, a push
// sent with curl reaching the device's CallKit, and a mock whose admin API needs a secret.
#include "fake_device/remote/delivery_follower.hpp"
#include "fake_device/remote/device_runner.hpp"
#include "fake_device/remote/mock_link.hpp"
#include "linked_mock.hpp"
#include "remote_device.hpp"
#include "support/wait.hpp"

#include <condition_variable>
#include <mutex>
#include <optional>

#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

namespace fake_device::remote {
namespace {

using namespace std::chrono_literals;
constexpr const char* kBundle = "com.example.imapp";

TEST(MockLink, IssuesTokensTheMockKnowsByEnvironmentAndKind) {
  testing::LinkedMock mock;
  MockLink link(mock.admin(), 5);
  std::uint64_t cursor = 99;
  ASSERT_TRUE(link.check(cursor));
  EXPECT_EQ(cursor, 0u);
  const auto voip = link.issue({"iphone-1", kBundle, ApsEnvironment::Sandbox, PushKind::Voip});
  const auto alert = link.issue({"iphone-1", kBundle, ApsEnvironment::Production, PushKind::Alert});
  ASSERT_TRUE(voip) << voip.error().message();
  ASSERT_TRUE(alert) << alert.error().message();
  EXPECT_EQ(voip->size(), 64u);
  EXPECT_NE(*voip, *alert);
  const auto voip_record = mock.server().tokens().find(*voip);
  ASSERT_TRUE(voip_record);
  EXPECT_EQ(voip_record->environment, mock_apns::Environment::Sandbox);
  EXPECT_EQ(voip_record->topic, "com.example.imapp.voip");
  const auto alert_record = mock.server().tokens().find(*alert);
  ASSERT_TRUE(alert_record);
  EXPECT_EQ(alert_record->environment, mock_apns::Environment::Production);
  EXPECT_EQ(alert_record->topic, "com.example.imapp");
  EXPECT_TRUE(link.issued(*voip));
  std::string upper = *voip;
  for (auto& c : upper)
    c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  EXPECT_TRUE(link.issued(upper)); // senders may write tokens in upper case
  EXPECT_FALSE(link.issued(std::string(64, 'a')));
}

TEST(MockLink, InvalidatedTokenIsUnregisteredAtTheMockFromThatTime) {
  testing::LinkedMock mock;
  MockLink link(mock.admin(), 5);
  const auto token = link.issue({"iphone-1", kBundle, ApsEnvironment::Sandbox, PushKind::Voip});
  ASSERT_TRUE(token);
  const auto at = core::from_unix_seconds(1'800'000'000);
  link.invalidate(*token, at);
  const auto record = mock.server().tokens().find(*token);
  ASSERT_TRUE(record);
  EXPECT_EQ(record->state, mock_apns::TokenState::Unregistered);
  EXPECT_EQ(record->timestamp_ms, core::unix_millis(at));
}

TEST(MockLink, ReachabilityOfTheDeviceIsThatOfItsLiveTokens) {
  testing::LinkedMock mock;
  MockLink link(mock.admin(), 5);
  const auto token = link.issue({"iphone-1", kBundle, ApsEnvironment::Sandbox, PushKind::Voip});
  ASSERT_TRUE(token);
  link.on_reachability_changed("iphone-1", Reachability::Online, Reachability::AirplaneMode);
  EXPECT_FALSE(mock.server().held().reachable(*token));
  link.on_reachability_changed("iphone-1", Reachability::AirplaneMode, Reachability::Online);
  EXPECT_TRUE(mock.server().held().reachable(*token));
}

// A TCP socket bound to an ephemeral loopback port; `port` gets the port.
int bound_socket(std::uint16_t& port) {
  const int s = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t length = sizeof address;
  if (s < 0 || bind(s, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0 ||
      getsockname(s, reinterpret_cast<sockaddr*>(&address), &length) != 0)
    throw std::runtime_error("cannot bind a loopback socket");
  port = ntohs(address.sin_port);
  return s;
}

TEST(MockLink, UnreachableMockIsAClearError) {
  std::uint16_t port = 0;
  close(bound_socket(port)); // a port nothing listens on
  MockLink link({"127.0.0.1", port}, 5);
  std::uint64_t cursor = 0;
  const auto checked = link.check(cursor);
  ASSERT_FALSE(checked);
  EXPECT_NE(checked.error().detail.find("does not answer"), std::string::npos)
      << checked.error().detail;
  const auto issued = link.issue({"iphone-1", kBundle, ApsEnvironment::Sandbox, PushKind::Voip});
  EXPECT_FALSE(issued);
}

// Issue #8 "Security": the link sends the endpoint's secret, and a missing or wrong one stops
// the start with the mock's own words.
TEST(MockLink, AMockWithASecretIsReachedOnlyWithIt) {
  testing::LinkedMock mock("link-secret-42");
  for (const char* secret : {"", "not-link-secret-42"}) {
    net::HttpEndpoint admin = mock.admin();
    admin.bearer_secret = secret;
    MockLink link(admin, 5);
    std::uint64_t cursor = 0;
    const auto checked = link.check(cursor);
    ASSERT_FALSE(checked) << secret;
    EXPECT_EQ(checked.error().code, std::errc::permission_denied);
    EXPECT_NE(checked.error().detail.find("refused the request"), std::string::npos)
        << checked.error().detail;
    EXPECT_NE(checked.error().detail.find("--admin-secret-file"), std::string::npos)
        << checked.error().detail;
    EXPECT_FALSE(link.issue({"iphone-1", kBundle, ApsEnvironment::Sandbox, PushKind::Voip}));
  }
  MockLink link(mock.admin(), 5);
  std::uint64_t cursor = 0;
  ASSERT_TRUE(link.check(cursor));
  const auto token = link.issue({"iphone-1", kBundle, ApsEnvironment::Sandbox, PushKind::Voip});
  ASSERT_TRUE(token) << token.error().message();
  EXPECT_TRUE(mock.server().tokens().find(*token));
}

TEST(DeliveryFollower, FollowsAMockWhoseAdminApiNeedsASecret) {
  testing::LinkedMock mock("follower-secret-7");
  testing::RemoteDevice device(mock.admin());
  const std::string token = device.install_in_background();
  ASSERT_FALSE(token.empty());
  const std::string apns_id = mock.push_with_curl(token);
  ASSERT_FALSE(apns_id.empty());
  EXPECT_TRUE(device.wait_for(DeviceEventKind::CallReported, apns_id));
}

TEST(HttpClient, SilentServerTimesOut) {
  std::uint16_t port = 0;
  const int s = bound_socket(port);
  ASSERT_EQ(listen(s, 1), 0); // connections wait in the backlog; nothing ever answers
  const auto reply = net::http1_request({"127.0.0.1", port}, "GET", "/", {}, 200ms);
  close(s);
  ASSERT_FALSE(reply);
  EXPECT_NE(reply.error().detail.find("no answer within 200 ms"), std::string::npos)
      << reply.error().detail;
}

// The whole device process in-process: runner, link, follower, and pushes sent with curl.
class RemoteDeviceTest : public ::testing::Test {
protected:
  testing::LinkedMock mock_;
  testing::RemoteDevice device_{mock_.admin()};
};

TEST_F(RemoteDeviceTest, CurlPushRingsTheRemoteDevice) {
  const std::string token = device_.install_in_background();
  ASSERT_FALSE(token.empty());
  const std::string apns_id = mock_.push_with_curl(token);
  ASSERT_FALSE(apns_id.empty());
  EXPECT_TRUE(device_.wait_for(DeviceEventKind::PushArrived, apns_id));
  const auto reported = device_.wait_for(DeviceEventKind::CallReported, apns_id);
  ASSERT_TRUE(reported);
  EXPECT_TRUE(device_.wait_for(DeviceEventKind::CallShown, apns_id));
  EXPECT_FALSE(reported->call_uuid.empty());
  // Issue #20: what the device did joins the push's delivery status in the mock's journal (the
  // device posts each step before its event is seen here).
  const auto entry = mock_.server().journal().find(apns_id);
  ASSERT_TRUE(entry);
  std::vector<std::string> steps;
  for (const auto& step : entry->delivery)
    steps.push_back(step.status == mock_apns::DeliveryStatus::Device
                        ? step.detail
                        : std::string(mock_apns::delivery_status_name(step.status)));
  const std::vector<std::string> expected = {"Delivered", "delegate called (must report a call)",
                                             "call reported to CallKit", "call shown"};
  for (const auto& step : expected)
    EXPECT_NE(std::find(steps.begin(), steps.end(), step), steps.end())
        << step << " missing from: " << ::testing::PrintToString(steps);
}

TEST_F(RemoteDeviceTest, PushSentInAirplaneModeArrivesWhenBackOnline) {
  const std::string token = device_.install_in_background();
  ASSERT_FALSE(token.empty());
  device_.runner().call([](Device& d) { d.set_reachability(Reachability::AirplaneMode); });
  const std::string apns_id = mock_.push_with_curl(token);
  ASSERT_FALSE(apns_id.empty());
  // Held at the mock, not delivered: the journal says 200, the device has nothing.
  EXPECT_EQ(mock_.server().held().held(token).size(), 1u);
  EXPECT_EQ(device_.count(DeviceEventKind::PushArrived), 0u);
  device_.runner().call([](Device& d) { d.set_reachability(Reachability::Online); });
  EXPECT_TRUE(device_.wait_for(DeviceEventKind::CallShown, apns_id));
}

} // namespace
} // namespace fake_device::remote
