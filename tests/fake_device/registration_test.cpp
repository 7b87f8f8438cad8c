// pushkit-callkit.md §1, §2 and §7.4 "Registration": when a token is issued, what it looks like,
// and when it changes or dies.

#include "core/encoding.hpp"
#include "fake_device/device_fixture.hpp"
#include "fake_device/error.hpp"
#include "fake_device/log_lines.hpp"
#include "fake_device/recording_im_server.hpp"

namespace fake_device::testing {
namespace {

TEST_F(DeviceTest, Registration1_TokenIssuedAtLaunchForBundleEnvironmentAndKind) {
  ASSERT_TRUE(device_.install({}));
  EXPECT_EQ(device_.registration_state(kBundle), RegistrationState::Unregistered);
  ASSERT_TRUE(device_.launch(kBundle));
  EXPECT_EQ(device_.registration_state(kBundle), RegistrationState::Issued);
  const auto token = device_.voip_token(kBundle);
  ASSERT_TRUE(token);
  // §2.2 "Encoding": 32 bytes, 64 hex characters.
  EXPECT_EQ(token->size(), 64u);
  EXPECT_TRUE(core::is_hex(*token));
  const auto* record = authority_.find(*token);
  ASSERT_NE(record, nullptr);
  EXPECT_TRUE(record->active);
  EXPECT_EQ(record->request.bundle_id, kBundle);
  EXPECT_EQ(record->request.environment, ApsEnvironment::Sandbox);
  EXPECT_EQ(record->request.kind, PushKind::Voip);
  EXPECT_EQ(record->request.device_id, device_.config().device_id);
  EXPECT_EQ(device_.journal().count(DeviceEventKind::RegistryCreated), 1u);
  EXPECT_EQ(device_.journal().count(DeviceEventKind::TokenIssued), 1u);
}

TEST_F(DeviceTest, Registration1_D17_NoPushCapabilityMeansNoTokenAndAnInvalidation) {
  AppConfig app;
  app.push_notifications_capability = false;
  ASSERT_TRUE(device_.install(app));
  ASSERT_TRUE(device_.launch(kBundle));
  EXPECT_EQ(device_.registration_state(kBundle), RegistrationState::Invalidated);
  EXPECT_FALSE(device_.voip_token(kBundle));
  EXPECT_EQ(device_.journal().count(DeviceEventKind::TokenIssued), 0u);
  EXPECT_EQ(device_.journal().count(DeviceEventKind::TokenInvalidated), 1u);
  EXPECT_TRUE(authority_.issued().empty());
  // §1: no push token of any kind.
  EXPECT_FALSE(device_.register_remote_notifications(kBundle));
  EXPECT_FALSE(device_.alert_token(kBundle));
}

TEST_F(DeviceTest, Registration1_D16_CallKitNotLinkedCrashesWithTheLinkMessage) {
  AppConfig app;
  app.callkit_linked = false;
  ASSERT_TRUE(device_.install(app));
  ASSERT_TRUE(device_.launch(kBundle));
  EXPECT_TRUE(device_.journal().logged(log_lines::kCallKitNotLinked));
  EXPECT_EQ(device_.journal().count(DeviceEventKind::AppCrashed), 1u);
  // §7.4 Registration 1: P=Crashed, which §7.3 makes transient: the app ends NotRunning.
  EXPECT_EQ(device_.process_state(kBundle), ProcessState::NotRunning);
  EXPECT_FALSE(device_.voip_token(kBundle));
}

TEST_F(DeviceTest, Registration1_CallKitNotLinkedIsFineForPreIos13Sdk) {
  AppConfig app;
  app.callkit_linked = false;
  app.linked_sdk = {12, 4};
  ASSERT_TRUE(device_.install(app));
  ASSERT_TRUE(device_.launch(kBundle));
  EXPECT_FALSE(device_.journal().logged(log_lines::kCallKitNotLinked));
  EXPECT_TRUE(device_.voip_token(kBundle));
}

// §7.4 Registration 1: the link check is `!callKitLinked && linkedSdk>=13 && iosVersion>=13`;
// iOS 12's PushKit does not make it (the iOS 13 rule, §4, §7.6 D21).
TEST_F(DeviceTest, Registration1_CallKitNotLinkedIsFineOnAnIos12Device) {
  device_.config().ios = {12, 4};
  AppConfig app;
  app.callkit_linked = false; // linked against SDK 17
  ASSERT_TRUE(device_.install(app));
  ASSERT_TRUE(device_.launch(kBundle));
  EXPECT_FALSE(device_.journal().logged(log_lines::kCallKitNotLinked));
  EXPECT_EQ(device_.journal().count(DeviceEventKind::AppCrashed), 0u);
  EXPECT_TRUE(device_.voip_token(kBundle));
}

TEST_F(DeviceTest, Registration1_AuthorityFailureIsAnInvalidation) {
  ASSERT_TRUE(device_.install({}));
  authority_.fail_next_issue();
  ASSERT_TRUE(device_.launch(kBundle));
  EXPECT_EQ(device_.registration_state(kBundle), RegistrationState::Invalidated);
  EXPECT_EQ(device_.journal().count(DeviceEventKind::TokenInvalidated), 1u);
}

TEST_F(DeviceTest, Registration_TokenKeptAcrossLaunchesOfTheSameInstall) {
  install_and_register();
  const auto token = device_.voip_token(kBundle);
  ASSERT_TRUE(device_.swipe_away(kBundle));
  ASSERT_TRUE(device_.launch(kBundle));
  EXPECT_EQ(device_.voip_token(kBundle), token);
  EXPECT_EQ(authority_.issued().size(), 1u);
}

TEST_F(DeviceTest, Section2_2_VoipTokenDiffersFromAlertToken) {
  install_and_register();
  ASSERT_TRUE(device_.register_remote_notifications(kBundle));
  const auto voip = device_.voip_token(kBundle);
  const auto alert = device_.alert_token(kBundle);
  ASSERT_TRUE(voip && alert);
  EXPECT_NE(*voip, *alert);
  EXPECT_EQ(authority_.find(*alert)->request.kind, PushKind::Alert);
  EXPECT_EQ(topic_for(kBundle, PushKind::Alert), kBundle);
  EXPECT_EQ(topic_for(kBundle, PushKind::Voip), std::string(kBundle) + ".voip");
}

TEST_F(DeviceTest, Section2_2_TokenChangesWithEnvironment) {
  AppConfig dev;
  install_and_register(dev);
  const auto dev_token = *device_.voip_token(kBundle);
  ASSERT_TRUE(device_.uninstall(kBundle));
  AppConfig prod;
  prod.environment = ApsEnvironment::Production;
  install_and_register(prod);
  const auto prod_token = *device_.voip_token(kBundle);
  EXPECT_NE(dev_token, prod_token);
  EXPECT_EQ(authority_.find(dev_token)->request.environment, ApsEnvironment::Sandbox);
  EXPECT_EQ(authority_.find(prod_token)->request.environment, ApsEnvironment::Production);
}

TEST_F(DeviceTest, Section2_2_TokensAreDeterministicForASeed) {
  FakeTokenAuthority a(5), b(5), c(6);
  const TokenRequest request{"d", kBundle, ApsEnvironment::Sandbox, PushKind::Voip};
  const auto ta = a.issue(request);
  const auto tb = b.issue(request);
  const auto tc = c.issue(request);
  ASSERT_TRUE(ta && tb && tc);
  EXPECT_EQ(*ta, *tb);
  EXPECT_NE(*ta, *tc);
}

TEST_F(DeviceTest, Section2_3_SwitchingSigningEnvironmentGivesADifferentToken) {
  install_and_register();
  const auto dev_token = *device_.voip_token(kBundle);
  AppConfig prod;
  prod.environment = ApsEnvironment::Production;
  ASSERT_TRUE(device_.update(prod));
  EXPECT_EQ(device_.process_state(kBundle), ProcessState::NotRunning);
  ASSERT_TRUE(device_.launch(kBundle));
  const auto prod_token = device_.voip_token(kBundle);
  ASSERT_TRUE(prod_token);
  EXPECT_NE(*prod_token, dev_token);
  EXPECT_EQ(authority_.find(*prod_token)->request.environment, ApsEnvironment::Production);
  // The same environment again keeps the token.
  ASSERT_TRUE(device_.update(prod));
  ASSERT_TRUE(device_.launch(kBundle));
  EXPECT_EQ(device_.voip_token(kBundle), prod_token);
}

TEST_F(DeviceTest, Registration2_RotateTokenRetiresTheOldOne) {
  install_and_register();
  const auto old_token = *device_.voip_token(kBundle);
  clock_.advance(5s);
  ASSERT_TRUE(device_.rotate_token(kBundle));
  const auto new_token = *device_.voip_token(kBundle);
  EXPECT_NE(old_token, new_token);
  EXPECT_FALSE(authority_.find(old_token)->active);
  EXPECT_EQ(authority_.find(old_token)->unregistered_at, clock_.now());
  EXPECT_TRUE(authority_.find(new_token)->active);
  EXPECT_EQ(device_.journal().count(DeviceEventKind::TokenIssued), 2u);
}

// The app's side of a new token: setVOIP (im-voip-flow.md §3.2) as the IM server sees it.
class SetVoipTest : public ImServerDeviceTest {};

// §2.3 / §7.4 Registration 2: the app hears of a token rotated while it was not running through
// didUpdate once its next process creates the registry; logged in, it reports it
// (im-voip-flow.md §3.2).
TEST_F(SetVoipTest, Registration2_TokenRotatedWhileNotRunningIsReportedAtTheNextLaunch) {
  install_and_register();
  ASSERT_EQ(server_.accepted.size(), 1u);
  ASSERT_TRUE(device_.swipe_away(kBundle));
  ASSERT_TRUE(device_.rotate_token(kBundle));
  const auto rotated = device_.voip_token(kBundle);
  ASSERT_TRUE(rotated);
  EXPECT_EQ(device_.registration_state(kBundle), RegistrationState::Requested);
  EXPECT_EQ(server_.accepted.size(), 1u); // no process to call setVOIP
  // A VoIP push to the new token launches the app, which creates its registry at launch.
  const auto id = send_voip();
  EXPECT_TRUE(has(DeviceEventKind::AppLaunched, id));
  EXPECT_EQ(device_.registration_state(kBundle), RegistrationState::Issued);
  ASSERT_EQ(server_.accepted.size(), 2u);
  EXPECT_EQ(server_.accepted[1].token_hex, rotated);
  // Told once: the next launch hands the same token back without another report.
  ASSERT_TRUE(device_.swipe_away(kBundle));
  ASSERT_TRUE(device_.launch(kBundle));
  EXPECT_EQ(server_.accepted.size(), 2u);
}

// A process that is not running cannot call setVOIP, even for an app that reports from didUpdate
// alone (Note 5's habit): it reports once it runs and its registry hands over the new token.
TEST_F(SetVoipTest, Registration2_OnTokenOnlyAppReportsARotatedTokenOnlyOnceItRuns) {
  AppConfig app;
  app.token_reporting = TokenReporting::OnTokenOnly;
  install_and_register(app);
  ASSERT_TRUE(device_.swipe_away(kBundle));
  const auto reports_before = server_.accepted.size() + server_.refused.size();
  ASSERT_TRUE(device_.rotate_token(kBundle));
  EXPECT_EQ(server_.accepted.size() + server_.refused.size(), reports_before);
  ASSERT_TRUE(device_.launch(kBundle));
  ASSERT_FALSE(server_.accepted.empty());
  EXPECT_EQ(server_.accepted.back().token_hex, device_.voip_token(kBundle));
}

// im-voip-flow.md §3.2: one setVOIP per login, with the latest token. A registry kept behind the
// login screen (§2.1) is created by the login and hands over that token in the same step.
TEST_F(SetVoipTest, Section3_2_LoginThatCreatesTheRegistryReportsTheTokenOnce) {
  AppConfig app;
  app.registry = RegistryCreation::AfterLogin;
  install_and_register(app);
  ASSERT_EQ(server_.accepted.size(), 1u);
  EXPECT_EQ(server_.accepted[0].token_hex, device_.voip_token(kBundle));
  EXPECT_EQ(device_.journal().count(DeviceEventKind::TokenReported), 1u);
  // After a logout, the next login in a new process reports the cached token, again once.
  ASSERT_TRUE(device_.logout(kBundle));
  ASSERT_TRUE(device_.swipe_away(kBundle));
  ASSERT_TRUE(device_.launch(kBundle));
  ASSERT_TRUE(device_.login(kBundle));
  ASSERT_EQ(server_.accepted.size(), 2u);
  EXPECT_EQ(server_.accepted[1].token_hex, device_.voip_token(kBundle));
}

// §2.3: a new APNs identity drops every app's VoIP token "for that environment"; apps signed for
// the other environment keep theirs.
TEST_F(DeviceTest, Registration2_ResetApsIdentityRotatesTheVoipTokensOfThatEnvironmentOnly) {
  install_and_register();
  AppConfig other;
  other.bundle_id = "com.example.other";
  install_and_register(other);
  AppConfig production;
  production.bundle_id = "com.example.store";
  production.environment = ApsEnvironment::Production;
  install_and_register(production);
  const auto a = *device_.voip_token(kBundle);
  const auto b = *device_.voip_token(other.bundle_id);
  const auto p = *device_.voip_token(production.bundle_id);
  device_.reset_aps_identity(ApsEnvironment::Sandbox);
  EXPECT_NE(*device_.voip_token(kBundle), a);
  EXPECT_NE(*device_.voip_token(other.bundle_id), b);
  EXPECT_FALSE(authority_.find(a)->active);
  EXPECT_FALSE(authority_.find(b)->active);
  EXPECT_EQ(*device_.voip_token(production.bundle_id), p);
  EXPECT_TRUE(authority_.find(p)->active);
  device_.reset_aps_identity(ApsEnvironment::Production);
  EXPECT_NE(*device_.voip_token(production.bundle_id), p);
  EXPECT_FALSE(authority_.find(p)->active);
}

TEST_F(DeviceTest, Registration3_RemovingVoipFromDesiredTypesUnregistersTheToken) {
  install_and_register();
  const auto token = *device_.voip_token(kBundle);
  ASSERT_TRUE(device_.remove_voip_registration(kBundle));
  EXPECT_EQ(device_.registration_state(kBundle), RegistrationState::Unregistered);
  EXPECT_FALSE(device_.voip_token(kBundle));
  EXPECT_FALSE(authority_.find(token)->active);
}

TEST_F(DeviceTest, Registration4_UninstallUnregistersTokensAtThatTime) {
  install_and_register();
  ASSERT_TRUE(device_.register_remote_notifications(kBundle));
  const auto voip = *device_.voip_token(kBundle);
  const auto alert = *device_.alert_token(kBundle);
  clock_.advance(1h);
  const auto t = clock_.now();
  ASSERT_TRUE(device_.uninstall(kBundle));
  EXPECT_EQ(device_.process_state(kBundle), ProcessState::NotInstalled);
  EXPECT_EQ(authority_.find(voip)->unregistered_at, t);
  EXPECT_EQ(authority_.find(alert)->unregistered_at, t);
}

TEST_F(DeviceTest, Registration4_UninstallInvalidationCanBeDelayedLikeNightlyReconciliation) {
  device_.config().uninstall_invalidate_delay = 6h;
  install_and_register();
  const auto voip = *device_.voip_token(kBundle);
  ASSERT_TRUE(device_.uninstall(kBundle));
  clock_.advance(5h);
  EXPECT_TRUE(authority_.find(voip)->active);
  clock_.advance(1h);
  EXPECT_FALSE(authority_.find(voip)->active);
  EXPECT_EQ(authority_.find(voip)->unregistered_at, clock_.now());
}

TEST_F(DeviceTest, Registration4_ReinstallIssuesANewToken) {
  install_and_register();
  const auto old_token = *device_.voip_token(kBundle);
  ASSERT_TRUE(device_.uninstall(kBundle));
  install_and_register();
  EXPECT_NE(*device_.voip_token(kBundle), old_token);
  EXPECT_FALSE(authority_.find(old_token)->active);
}

// §2.1 / §7.2: when the registry is created decides when the token arrives.
TEST_F(DeviceTest, Section2_1_RegistryAfterConsentWaitsForConsent) {
  AppConfig app;
  app.registry = RegistryCreation::AfterConsent;
  ASSERT_TRUE(device_.install(app));
  ASSERT_TRUE(device_.launch(kBundle));
  EXPECT_FALSE(device_.voip_token(kBundle));
  ASSERT_TRUE(device_.give_consent(kBundle));
  EXPECT_TRUE(device_.voip_token(kBundle));
}

TEST_F(DeviceTest, Section2_1_RegistryAfterLoginWaitsForLogin) {
  AppConfig app;
  app.registry = RegistryCreation::AfterLogin;
  ASSERT_TRUE(device_.install(app));
  ASSERT_TRUE(device_.launch(kBundle));
  EXPECT_FALSE(device_.voip_token(kBundle));
  ASSERT_TRUE(device_.login(kBundle));
  EXPECT_TRUE(device_.voip_token(kBundle));
}

TEST_F(DeviceTest, Section2_1_RegistryNeverMeansNoToken) {
  AppConfig app;
  app.registry = RegistryCreation::Never;
  install_and_register(app);
  EXPECT_FALSE(device_.voip_token(kBundle));
  EXPECT_EQ(device_.journal().count(DeviceEventKind::RegistryCreated), 0u);
}

TEST_F(DeviceTest, Install_TwiceIsAnError) {
  ASSERT_TRUE(device_.install({}));
  const auto again = device_.install({});
  ASSERT_FALSE(again);
  EXPECT_EQ(again.error().code, Errc::AlreadyInstalled);
  EXPECT_EQ(device_.uninstall("com.example.missing").error().code, Errc::UnknownApp);
}

} // namespace
} // namespace fake_device::testing
