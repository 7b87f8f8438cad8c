// The device side of every FAQ and note scenario in im-voip-flow.md §5, one test per case, named
// after it. Common fixtures (§5): com.example.imapp, certIdDev 1001, certIdProd 1002, bob's
// iPhone on iOS 17 with an app linked against SDK >= 13. Console-, pipeline- and mock-only cases
// (Notes 2, 3, 4, 7) have no device side: the device sees nothing.

#include "fake_device/log_lines.hpp"
#include "fake_device/recording_im_server.hpp"

#include <optional>
#include <string>

namespace fake_device::testing {
namespace {

constexpr std::int64_t kCertIdDev = 1001;
constexpr std::int64_t kCertIdProd = 1002;

class FaqTest : public ImServerDeviceTest {
protected:
  // "alice sends" (§5's default send) as far as the device can tell: the pipeline makes an APNs
  // request only for an installation that is offline but still logged in (§4.3 rules 3-4 and the
  // presence model), to the token setVOIP gave it. Returns the delivered push's apns-id, or
  // nothing when the pipeline makes no request.
  std::optional<std::string> alice_sends() {
    const auto presence = server_.presence.find(kBundle);
    if (presence == server_.presence.end() || (presence->second != ImPresence::Background &&
                                               presence->second != ImPresence::Disconnected)) {
      return std::nullopt;
    }
    std::optional<std::string> token;
    for (const auto& report : server_.accepted) {
      if (report.bundle_id == kBundle) token = report.token_hex;
    }
    if (!token) return std::nullopt; // SKIPPED_NO_REGISTRATION
    Push push = voip_push();
    push.token = *token;
    EXPECT_EQ(device_.deliver(push), DeliverResult::Delivered);
    return push.apns_id;
  }
};

TEST_F(FaqTest, FAQ1_NoPushCapabilityNoTokenAndNoSetVoip) {
  AppConfig app;
  app.push_notifications_capability = false;
  install_and_register(app); // launch, privacy consent implied, registry, login
  EXPECT_EQ(device_.journal().count(DeviceEventKind::TokenIssued), 0u);
  EXPECT_EQ(device_.journal().count(DeviceEventKind::TokenInvalidated), 1u);
  EXPECT_TRUE(server_.accepted.empty());
  EXPECT_TRUE(server_.refused.empty());
  // Fix check: rebuilt with the capability, the token is issued and setVOIP succeeds.
  ASSERT_TRUE(device_.uninstall(kBundle));
  install_and_register();
  ASSERT_EQ(server_.accepted.size(), 1u);
  EXPECT_EQ(server_.accepted[0].token_hex, device_.voip_token(kBundle));
}

TEST_F(FaqTest, FAQ2a_DevelopmentBuildReportedWithTheProductionId) {
  AppConfig app;
  app.certificate_id = kCertIdProd;
  install_in_background(app);
  ASSERT_EQ(server_.accepted.size(), 1u);
  const auto& report = server_.accepted[0];
  EXPECT_EQ(report.certificate_id, kCertIdProd);
  // The token is a sandbox token: the production mock will not know it (BadDeviceToken).
  EXPECT_EQ(authority_.find(*report.token_hex)->request.environment, ApsEnvironment::Sandbox);
}

TEST_F(FaqTest, FAQ2aPrime_AppStoreBuildReportedWithTheDevelopmentId) {
  AppConfig app;
  app.environment = ApsEnvironment::Production;
  app.certificate_id = kCertIdDev;
  install_in_background(app);
  ASSERT_EQ(server_.accepted.size(), 1u);
  EXPECT_EQ(server_.accepted[0].certificate_id, kCertIdDev);
  EXPECT_EQ(authority_.find(*server_.accepted[0].token_hex)->request.environment,
            ApsEnvironment::Production);
}

TEST_F(FaqTest, FAQ2aTriplePrime_OrdinaryApnsTokenReportedThroughSetVoip) {
  AppConfig app;
  app.reports_alert_token_as_voip = true;
  ASSERT_TRUE(device_.install(app));
  ASSERT_TRUE(device_.launch(kBundle));
  ASSERT_TRUE(device_.register_remote_notifications(kBundle));
  ASSERT_TRUE(device_.login(kBundle));
  ASSERT_FALSE(server_.accepted.empty());
  const auto reported = *server_.accepted.back().token_hex;
  EXPECT_EQ(reported, device_.alert_token(kBundle));
  EXPECT_NE(reported, device_.voip_token(kBundle));
  // Valid only for topic <bundle>: the mock answers DeviceTokenNotForTopic for .voip.
  EXPECT_EQ(authority_.find(reported)->request.kind, PushKind::Alert);
}

TEST_F(FaqTest, FAQ2b_ReceiverOnlineInForeground) {
  install_and_register();
  EXPECT_EQ(server_.presence[kBundle], ImPresence::Foreground);
  // Online: the message goes over the IM connection (SKIPPED_ONLINE); no PushKit callback.
  EXPECT_FALSE(alice_sends());
  EXPECT_EQ(device_.journal().count(DeviceEventKind::PushArrived), 0u);
  EXPECT_EQ(device_.journal().count(DeviceEventKind::DelegateCalled), 0u);
  // The same send reaches PushKit once bob presses Home (FAQ 2b-1).
  ASSERT_TRUE(device_.press_home(kBundle));
  const auto id = alice_sends();
  ASSERT_TRUE(id);
  EXPECT_TRUE(has(DeviceEventKind::DelegateCalled, *id));
}

TEST_F(FaqTest, FAQ2b1_ReceiverPressedHome) {
  install_in_background();
  EXPECT_EQ(server_.presence[kBundle], ImPresence::Background);
  const auto sent = alice_sends();
  ASSERT_TRUE(sent);
  const auto& id = *sent;
  EXPECT_TRUE(has(DeviceEventKind::DelegateCalled, id));
  EXPECT_TRUE(has(DeviceEventKind::CallReported, id));
  EXPECT_TRUE(has(DeviceEventKind::CallShown, id));
  EXPECT_TRUE(has(DeviceEventKind::CompletionCalled, id));
  EXPECT_FALSE(has(DeviceEventKind::AppKilled, id));
}

TEST_F(FaqTest, FAQ2b2_ReceiverKilledTheProcessWhileLoggedIn) {
  install_and_register();
  ASSERT_TRUE(device_.swipe_away(kBundle));
  EXPECT_EQ(server_.presence[kBundle], ImPresence::Disconnected);
  const auto start = clock_.now();
  const auto sent = alice_sends();
  ASSERT_TRUE(sent);
  const auto& id = *sent;
  EXPECT_TRUE(has(DeviceEventKind::AppLaunched, id));
  EXPECT_TRUE(has(DeviceEventKind::DelegateCalled, id));
  const auto* reported = device_.journal().last(DeviceEventKind::CallReported);
  ASSERT_NE(reported, nullptr);
  EXPECT_LT(reported->at - start, 7s);
  EXPECT_TRUE(has(DeviceEventKind::CallShown, id));
}

TEST_F(FaqTest, FAQ2b2_RegistryCreatedOnlyAfterLoginUiIsKilledByFrontboard) {
  AppConfig app;
  app.registry = RegistryCreation::AfterLogin;
  install_and_register(app);
  ASSERT_TRUE(device_.swipe_away(kBundle));
  const auto id = send_voip();
  clock_.advance(7s);
  const auto* killed = device_.journal().last(DeviceEventKind::AppKilled);
  ASSERT_NE(killed, nullptr);
  EXPECT_EQ(killed->apns_id, id);
  EXPECT_EQ(killed->detail, log_lines::kCrashFrontboard);
  EXPECT_FALSE(has(DeviceEventKind::CallShown, id));
}

TEST_F(FaqTest, FAQ2b3_ReceiverLoggedOutOrKicked) {
  install_in_background();
  ASSERT_TRUE(device_.logout(kBundle));
  EXPECT_EQ(server_.presence[kBundle], ImPresence::LoggedOut);
  EXPECT_FALSE(alice_sends()); // SKIPPED_LOGGED_OUT
  ASSERT_TRUE(device_.launch(kBundle));
  ASSERT_TRUE(device_.login(kBundle));
  ASSERT_TRUE(device_.kick(kBundle));
  ASSERT_TRUE(device_.press_home(kBundle));
  EXPECT_EQ(server_.presence[kBundle], ImPresence::Kicked);
  EXPECT_FALSE(alice_sends()); // SKIPPED_KICKED
  // Device: nothing happened.
  EXPECT_EQ(device_.journal().count(DeviceEventKind::PushArrived), 0u);
  // Logged in again and in the background, the same send rings.
  ASSERT_TRUE(device_.launch(kBundle));
  ASSERT_TRUE(device_.login(kBundle));
  ASSERT_TRUE(device_.press_home(kBundle));
  const auto id = alice_sends();
  ASSERT_TRUE(id);
  EXPECT_TRUE(has(DeviceEventKind::CallShown, *id));
}

TEST_F(FaqTest, FAQ2c_NoVoipBackgroundModeInBackgroundDropsThePush) {
  AppConfig app;
  app.voip_background_mode = false;
  install_in_background(app);
  // "certificate uploaded and token reported successfully"
  ASSERT_EQ(server_.accepted.size(), 1u);
  const auto id = send_voip();
  EXPECT_TRUE(has(DeviceEventKind::PushArrived, id));
  const auto* dropped = device_.journal().last(DeviceEventKind::PushDropped);
  ASSERT_NE(dropped, nullptr);
  EXPECT_EQ(dropped->apns_id, id);
  EXPECT_EQ(dropped->detail, "app lacks voip background mode");
  EXPECT_FALSE(has(DeviceEventKind::CallShown, id));
}

TEST_F(FaqTest, FAQ2c_NoVoipBackgroundModeInForegroundReportFails) {
  struct Case {
    IosVersion ios;
    CallKitError expected;
  };
  const Case cases[] = {
      {{17, 0}, {CallKitError::Domain::CXErrorDomain, 3}},
      {{14, 5}, {CallKitError::Domain::CXErrorDomain, 3}},
      {{14, 4}, {CallKitError::Domain::IncomingCall, 1}},
  };
  for (const auto& c : cases) {
    device_.config().ios = c.ios;
    AppConfig app;
    app.voip_background_mode = false;
    install_and_register(app);
    const auto id = send_voip();
    EXPECT_TRUE(has(DeviceEventKind::DelegateCalled, id));
    const auto* rejected = device_.journal().last(DeviceEventKind::CallRejected);
    ASSERT_NE(rejected, nullptr);
    EXPECT_EQ(rejected->apns_id, id);
    EXPECT_EQ(rejected->detail, c.expected.describe()) << c.ios.major << "." << c.ios.minor;
    EXPECT_FALSE(has(DeviceEventKind::CallShown, id));
    ASSERT_TRUE(device_.uninstall(kBundle));
  }
}

TEST_F(FaqTest, Note1_Ios13WithoutCallKitCrashesThenIsBlocked) {
  AppConfig app;
  app.callkit = CallKitBehaviour::never(); // shows an in-app banner instead
  install_in_background(app);
  for (int i = 1; i <= 3; ++i) {
    const auto id = send_voip();
    EXPECT_EQ(device_.journal().log_count(log_lines::kMustPostIncomingCall),
              static_cast<std::size_t>(i));
    EXPECT_EQ(device_.journal().log_count(log_lines::kKillingApp), static_cast<std::size_t>(i));
    EXPECT_TRUE(has(DeviceEventKind::AppKilled, id));
    EXPECT_EQ(device_.kill_count(kBundle), i);
    clock_.advance(2min);
  }
  const auto events_before = device_.journal().events().size();
  const auto fourth = send_voip();
  EXPECT_TRUE(device_.journal().logged(log_lines::blocked_drop(kBundle)));
  // "and nothing else": arrival, the log line, the drop.
  EXPECT_EQ(device_.journal().events().size() - events_before, 3u);
  EXPECT_TRUE(has(DeviceEventKind::BlockedDrop, fourth));

  // Recovery check: uninstall + reinstall -> new token -> setVOIP -> pushes ring again.
  const auto old_token = *device_.voip_token(kBundle);
  ASSERT_TRUE(device_.uninstall(kBundle));
  install_in_background();
  EXPECT_NE(*device_.voip_token(kBundle), old_token);
  EXPECT_EQ(server_.accepted.back().token_hex, device_.voip_token(kBundle));
  EXPECT_TRUE(has(DeviceEventKind::CallShown, send_voip()));
}

TEST_F(FaqTest, Note5_TokenReportedBeforeLoginFailsAndIsNotRetried) {
  AppConfig app;
  app.token_reporting = TokenReporting::OnTokenOnly;
  install_in_background(app);
  ASSERT_EQ(server_.refused.size(), 1u); // from didUpdate, before login: 6014
  EXPECT_TRUE(server_.accepted.empty()); // login did not report it again
  const auto* failed = device_.journal().last(DeviceEventKind::TokenReportFailed);
  ASSERT_NE(failed, nullptr);
  EXPECT_NE(failed->detail.find("ERR_SDK_NOT_LOGGED_IN"), std::string::npos);
}

TEST_F(FaqTest, Note5_CorrectAppKeepsTheTokenAndReportsItAfterLogin) {
  install_and_register(); // token at launch, login afterwards
  EXPECT_TRUE(server_.refused.empty());
  ASSERT_EQ(server_.accepted.size(), 1u);
  EXPECT_EQ(server_.accepted[0].token_hex, device_.voip_token(kBundle));
  // §3.2: after every login, and on every new token while logged in.
  ASSERT_TRUE(device_.rotate_token(kBundle));
  ASSERT_EQ(server_.accepted.size(), 2u);
  EXPECT_EQ(server_.accepted[1].token_hex, device_.voip_token(kBundle));
  // §3.2: a removed registration is reported as a null token.
  ASSERT_TRUE(device_.remove_voip_registration(kBundle));
  ASSERT_EQ(server_.accepted.size(), 3u);
  EXPECT_FALSE(server_.accepted[2].token_hex);
}

TEST_F(FaqTest, Note6_ConsentDeclinedMeansNoRegistrationAtAll) {
  AppConfig app;
  app.registry = RegistryCreation::AfterConsent;
  ASSERT_TRUE(device_.install(app));
  ASSERT_TRUE(device_.launch(kBundle)); // the user declines: give_consent is never called
  ASSERT_TRUE(device_.login(kBundle));
  EXPECT_EQ(device_.journal().count(DeviceEventKind::RegistryCreated), 0u);
  EXPECT_FALSE(device_.voip_token(kBundle));
  EXPECT_TRUE(server_.accepted.empty());
  EXPECT_TRUE(authority_.issued().empty());
}

TEST_F(FaqTest, Note8_AppUninstalledTokenUnregisteredAtThatTime) {
  install_in_background();
  const auto token = *device_.voip_token(kBundle);
  clock_.advance(3h);
  const auto t = clock_.now();
  ASSERT_TRUE(device_.uninstall(kBundle));
  const auto* record = authority_.find(token);
  ASSERT_NE(record, nullptr);
  EXPECT_FALSE(record->active);
  EXPECT_EQ(record->unregistered_at, t); // the mock's 410 timestamp
  // A push that still reaches the device finds no app.
  Push push = voip_push();
  push.token = token;
  EXPECT_EQ(device_.deliver(push), DeliverResult::Delivered);
  EXPECT_TRUE(has(DeviceEventKind::PushDropped, push.apns_id));
}

TEST_F(FaqTest, BaselineB1_EverythingCorrect) {
  install_in_background();
  ASSERT_EQ(server_.accepted.size(), 1u);
  EXPECT_EQ(server_.accepted[0].certificate_id, kCertIdDev);
  const auto id = send_voip(
      kBundle,
      R"({"ext":"{\"entity\":{\"action\":1,\"sender\":\"alice\",\"nickname\":\"nickName\"}}","sender":"alice","chatType":1})");
  EXPECT_TRUE(has(DeviceEventKind::CallShown, id));
  EXPECT_TRUE(has(DeviceEventKind::CompletionCalled, id));
  EXPECT_FALSE(has(DeviceEventKind::AppKilled, id));
  const auto call = call_for(id);
  ASSERT_TRUE(device_.answer(call));
  EXPECT_EQ(device_.call_state(call), CallState::Connected);
}

} // namespace
} // namespace fake_device::testing
