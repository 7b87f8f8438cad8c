// pushkit-callkit.md §3, §4 and §7.4 "Push arrival": the conformance checks D01-D15, D18, D19,
// D21 of §7.6 and the remaining steps, each on the virtual clock.

#include "fake_device/device_fixture.hpp"
#include "fake_device/log_lines.hpp"

namespace fake_device::testing {
namespace {

AppConfig with_behaviour(CallKitBehaviour behaviour) {
  AppConfig app;
  app.callkit = behaviour;
  return app;
}

TEST_F(DeviceTest, D01_BackgroundAppReportingSynchronouslyRings) {
  install_in_background();
  const auto id = send_voip();
  EXPECT_TRUE(has(DeviceEventKind::PushArrived, id));
  EXPECT_TRUE(has(DeviceEventKind::DelegateCalled, id));
  EXPECT_TRUE(has(DeviceEventKind::CallReported, id));
  EXPECT_TRUE(has(DeviceEventKind::CallShown, id));
  EXPECT_TRUE(has(DeviceEventKind::CompletionCalled, id));
  EXPECT_FALSE(has(DeviceEventKind::AppKilled, id));
  EXPECT_EQ(device_.call_state(call_for(id)), CallState::Ringing);
  EXPECT_EQ(device_.kill_count(kBundle), 0);
  // The events come in the order iOS produces them.
  std::vector<DeviceEventKind> kinds;
  for (const auto& e : device_.journal().for_push(id))
    kinds.push_back(e.kind);
  EXPECT_EQ(kinds, (std::vector<DeviceEventKind>{
                       DeviceEventKind::PushArrived, DeviceEventKind::DelegateCalled,
                       DeviceEventKind::CallReported, DeviceEventKind::CallShown,
                       DeviceEventKind::CompletionCalled}));
}

TEST_F(DeviceTest, D02_TerminatedAppIsLaunchedAndReports) {
  install_and_register();
  ASSERT_TRUE(device_.swipe_away(kBundle));
  const auto id = send_voip();
  EXPECT_TRUE(has(DeviceEventKind::AppLaunched, id));
  EXPECT_TRUE(has(DeviceEventKind::CallReported, id));
  EXPECT_TRUE(has(DeviceEventKind::CallShown, id));
  EXPECT_EQ(device_.process_state(kBundle), ProcessState::Background);
}

TEST_F(DeviceTest, Section3_SuspendedAppIsWokenAndReports) {
  install_in_background();
  ASSERT_TRUE(device_.suspend(kBundle));
  const auto id = send_voip();
  EXPECT_TRUE(has(DeviceEventKind::AppWoken, id));
  EXPECT_FALSE(has(DeviceEventKind::AppLaunched, id));
  EXPECT_TRUE(has(DeviceEventKind::CallShown, id));
}

TEST_F(DeviceTest, Section3_NeverLaunchedAppIsLaunchedInTheBackground) {
  ASSERT_TRUE(device_.install({}));
  ASSERT_TRUE(device_.launch(kBundle));
  ASSERT_TRUE(device_.terminate(kBundle)); // killed by the system, e.g. memory
  const auto id = send_voip();
  EXPECT_TRUE(has(DeviceEventKind::AppLaunched, id));
  EXPECT_TRUE(has(DeviceEventKind::CallShown, id));
}

TEST_F(DeviceTest, D03_NoReportKillsTheAppWithBothLogLinesAndTheCrashRecord) {
  install_in_background(with_behaviour(CallKitBehaviour::never()));
  const auto id = send_voip();
  EXPECT_TRUE(device_.journal().logged(log_lines::kMustPostIncomingCall));
  EXPECT_TRUE(device_.journal().logged(log_lines::kKillingApp));
  const auto* killed = device_.journal().last(DeviceEventKind::AppKilled);
  ASSERT_NE(killed, nullptr);
  EXPECT_EQ(killed->apns_id, id);
  EXPECT_EQ(killed->detail, log_lines::kCrashUnhandledPush);
  EXPECT_EQ(killed->code, 1);
  EXPECT_EQ(device_.kill_count(kBundle), 1);
  // §7.4 step 9: P=NotRunning.
  EXPECT_EQ(device_.process_state(kBundle), ProcessState::NotRunning);
  EXPECT_FALSE(has(DeviceEventKind::CompletionCalled, id));
}

TEST_F(DeviceTest, Section4_4_Ios13StyleKillMessageIsConfigurable) {
  device_.config().ios13_kill_message = true;
  install_in_background(with_behaviour(CallKitBehaviour::never()));
  send_voip();
  EXPECT_TRUE(device_.journal().logged(log_lines::kKillingAppCallback));
  EXPECT_FALSE(device_.journal().logged(log_lines::kKillingApp));
}

TEST_F(DeviceTest, Section4_2_UnrestrictedVoipEntitlementNoLongerExemptsRecentBuilds) {
  AppConfig app = with_behaviour(CallKitBehaviour::never());
  app.unrestricted_voip = true;
  install_in_background(app);
  send_voip();
  const auto& events = device_.journal().of_kind(DeviceEventKind::Log);
  ASSERT_GE(events.size(), 3u);
  EXPECT_EQ(events[0].detail, log_lines::kUnrestrictedVoipUnsupported);
  EXPECT_EQ(events[1].detail, log_lines::kMustPostIncomingCall);
  EXPECT_EQ(device_.kill_count(kBundle), 1);
}

TEST_F(DeviceTest, D04_ReportAfterTheDelegateReturnedDoesNotCount) {
  install_in_background(with_behaviour(CallKitBehaviour::after(500ms)));
  const auto id = send_voip();
  EXPECT_TRUE(has(DeviceEventKind::AppKilled, id));
  EXPECT_EQ(device_.kill_count(kBundle), 1);
  clock_.advance(1s);
  // The late report is lost with the process.
  EXPECT_FALSE(has(DeviceEventKind::CallReported, id));
}

TEST_F(DeviceTest, D05_ThirdFailureBlocksVoipLaunchesWhileApnsStillAccepts) {
  install_in_background(with_behaviour(CallKitBehaviour::never()));
  for (int i = 1; i <= 3; ++i) {
    const auto id = send_voip();
    EXPECT_TRUE(has(DeviceEventKind::AppKilled, id)) << i;
    EXPECT_EQ(device_.kill_count(kBundle), i);
    EXPECT_TRUE(has(DeviceEventKind::AppLaunched, id) || i == 1) << i;
    clock_.advance(1min);
  }
  EXPECT_TRUE(device_.voip_launch_blocked(kBundle));
  // §7.4 step 10: nothing extra is logged at the third kill.
  EXPECT_FALSE(device_.journal().logged(log_lines::blocked_drop(kBundle)));
  const auto fourth = send_voip();
  // deliver() took the push: what the mock saw was a 200 and a delivery.
  EXPECT_TRUE(has(DeviceEventKind::PushArrived, fourth));
  EXPECT_TRUE(has(DeviceEventKind::BlockedDrop, fourth));
  EXPECT_TRUE(device_.journal().logged(log_lines::blocked_drop(kBundle)));
  EXPECT_FALSE(has(DeviceEventKind::AppLaunched, fourth));
  EXPECT_FALSE(has(DeviceEventKind::DelegateCalled, fourth));
  EXPECT_EQ(device_.kill_count(kBundle), 3);
}

TEST_F(DeviceTest, D06_BlockedAppInForegroundGetsThePayloadAndIsNotKilled) {
  install_in_background(with_behaviour(CallKitBehaviour::never()));
  for (int i = 0; i < 3; ++i) {
    send_voip();
    clock_.advance(1min);
  }
  // Without the general foreground exemption (D08), only §7.4 step 3's "deliver with
  // mustReport=false" for a blocked foreground app keeps it alive.
  device_.config().foreground_exempt = false;
  ASSERT_TRUE(device_.launch(kBundle));
  const auto id = send_voip();
  EXPECT_TRUE(device_.journal().logged(log_lines::blocked_foreground(kBundle)));
  EXPECT_TRUE(has(DeviceEventKind::DelegateCalled, id));
  const auto* delegate = device_.journal().last(DeviceEventKind::DelegateCalled);
  ASSERT_NE(delegate, nullptr);
  EXPECT_EQ(delegate->apns_id, id);
  EXPECT_EQ(delegate->code, 0); // mustReport
  EXPECT_NE(delegate->detail.find("blocked app in the foreground"), std::string::npos);
  EXPECT_FALSE(has(DeviceEventKind::AppKilled, id));
  EXPECT_EQ(device_.kill_count(kBundle), 3);
}

TEST_F(DeviceTest, D07_ReinstallClearsTheBlockAndPushesArriveAgain) {
  install_in_background(with_behaviour(CallKitBehaviour::never()));
  for (int i = 0; i < 3; ++i) {
    send_voip();
    clock_.advance(1min);
  }
  ASSERT_TRUE(device_.voip_launch_blocked(kBundle));
  const auto old_token = *device_.voip_token(kBundle);
  ASSERT_TRUE(device_.uninstall(kBundle));
  install_in_background();
  EXPECT_EQ(device_.kill_count(kBundle), 0);
  EXPECT_FALSE(device_.voip_launch_blocked(kBundle));
  EXPECT_NE(*device_.voip_token(kBundle), old_token);
  const auto id = send_voip();
  EXPECT_TRUE(has(DeviceEventKind::CallShown, id));
}

TEST_F(DeviceTest, D08_ForegroundAppIsExemptUnlessConfiguredOtherwise) {
  install_and_register(with_behaviour(CallKitBehaviour::never()));
  const auto id = send_voip();
  EXPECT_TRUE(has(DeviceEventKind::DelegateCalled, id));
  EXPECT_FALSE(has(DeviceEventKind::AppKilled, id));
  EXPECT_TRUE(has(DeviceEventKind::CompletionCalled, id));

  device_.config().foreground_exempt = false;
  const auto strict = send_voip();
  EXPECT_TRUE(has(DeviceEventKind::AppKilled, strict));
}

TEST_F(DeviceTest, D09_OngoingCallExemptsTheNextPush) {
  install_in_background();
  const auto first = send_voip();
  ASSERT_EQ(device_.call_state(call_for(first)), CallState::Ringing);
  ASSERT_TRUE(device_.answer(call_for(first)));
  ASSERT_TRUE(device_.set_callkit_behaviour(kBundle, CallKitBehaviour::never()));
  clock_.advance(20s); // beyond the 7 s grace window
  const auto second = send_voip();
  EXPECT_TRUE(has(DeviceEventKind::DelegateCalled, second));
  EXPECT_FALSE(has(DeviceEventKind::AppKilled, second));
}

TEST_F(DeviceTest, D10_PushWithinSevenSecondsOfAReportNeedsNoReport) {
  install_in_background();
  const auto first = send_voip();
  ASSERT_TRUE(device_.decline(call_for(first))); // no call in progress any more
  ASSERT_TRUE(device_.set_callkit_behaviour(kBundle, CallKitBehaviour::never()));
  clock_.advance(5s);
  const auto within = send_voip();
  EXPECT_FALSE(has(DeviceEventKind::AppKilled, within));
  clock_.advance(3s); // 8 s after the report
  const auto after = send_voip();
  EXPECT_TRUE(has(DeviceEventKind::AppKilled, after));
}

TEST_F(DeviceTest, D10_GraceWindowCanBeSwitchedOff) {
  device_.config().report_grace_window = false;
  install_in_background();
  const auto first = send_voip();
  ASSERT_TRUE(device_.decline(call_for(first)));
  ASSERT_TRUE(device_.set_callkit_behaviour(kBundle, CallKitBehaviour::never()));
  clock_.advance(5s);
  EXPECT_TRUE(has(DeviceEventKind::AppKilled, send_voip()));
}

// §4.2: the grace window is kept by PushKit inside the app's process; a process launched for
// the next push has never reported a call, so the push must be reported again.
TEST_F(DeviceTest, D10_GraceWindowDoesNotSurviveTheProcess) {
  install_in_background();
  send_voip(); // reported now
  ASSERT_TRUE(device_.swipe_away(kBundle));
  ASSERT_TRUE(device_.set_callkit_behaviour(kBundle, CallKitBehaviour::never()));
  clock_.advance(5s);
  const auto id = send_voip();
  EXPECT_TRUE(has(DeviceEventKind::AppLaunched, id));
  EXPECT_TRUE(has(DeviceEventKind::AppKilled, id));
}

TEST_F(DeviceTest, D11_RegistryBehindLoginMeansFrontboardKillAfterSevenSeconds) {
  AppConfig app;
  app.registry = RegistryCreation::AfterLogin;
  install_and_register(app);
  ASSERT_TRUE(device_.swipe_away(kBundle));
  const auto start = clock_.now();
  const auto id = send_voip();
  EXPECT_TRUE(has(DeviceEventKind::AppLaunched, id));
  EXPECT_FALSE(has(DeviceEventKind::DelegateCalled, id));
  clock_.advance(6999ms);
  EXPECT_FALSE(has(DeviceEventKind::AppKilled, id));
  clock_.advance(1ms);
  const auto* killed = device_.journal().last(DeviceEventKind::AppKilled);
  ASSERT_NE(killed, nullptr);
  EXPECT_EQ(killed->apns_id, id);
  EXPECT_EQ(killed->detail, log_lines::kCrashFrontboard);
  EXPECT_EQ(killed->at - start, 7s);
  EXPECT_EQ(device_.kill_count(kBundle), 1);
  // §7.4 step 7: P=NotRunning.
  EXPECT_EQ(device_.process_state(kBundle), ProcessState::NotRunning);
}

TEST_F(DeviceTest, D12_DoNotDisturbRejectsTheCallWithCode3WithoutKilling) {
  device_.config().dnd = true;
  install_in_background();
  const auto id = send_voip();
  const auto* rejected = device_.journal().last(DeviceEventKind::CallRejected);
  ASSERT_NE(rejected, nullptr);
  EXPECT_EQ(rejected->apns_id, id);
  EXPECT_EQ(rejected->code, 3);
  EXPECT_FALSE(has(DeviceEventKind::CallShown, id));
  EXPECT_FALSE(has(DeviceEventKind::AppKilled, id));
  EXPECT_EQ(device_.call_state(call_for(id)), CallState::Rejected);
}

TEST_F(DeviceTest, D12_AllowedHandleGetsThroughDoNotDisturb) {
  device_.config().dnd = true;
  device_.config().allowed_handles.insert("alice");
  install_in_background();
  EXPECT_TRUE(has(DeviceEventKind::CallShown, send_voip()));
}

TEST_F(DeviceTest, D13_BlockedHandleRejectsWithCode4) {
  device_.config().blocked_handles.insert("alice");
  install_in_background();
  const auto id = send_voip();
  ASSERT_NE(device_.journal().last(DeviceEventKind::CallRejected), nullptr);
  EXPECT_EQ(device_.journal().last(DeviceEventKind::CallRejected)->code, 4);
  EXPECT_FALSE(has(DeviceEventKind::CallShown, id));
  EXPECT_FALSE(has(DeviceEventKind::AppKilled, id));
}

TEST_F(DeviceTest, D14_SameCallUuidTwiceRejectsWithCode2) {
  install_in_background();
  const std::string payload = R"({"uuid":"6F1B2D3C-4B5A-4978-8796-A5B4C3D2E1F0","sender":"alice"})";
  const auto first = send_voip(kBundle, payload);
  EXPECT_TRUE(has(DeviceEventKind::CallShown, first));
  EXPECT_EQ(call_for(first), "6f1b2d3c-4b5a-4978-8796-a5b4c3d2e1f0");
  const auto second = send_voip(kBundle, payload);
  ASSERT_NE(device_.journal().last(DeviceEventKind::CallRejected), nullptr);
  EXPECT_EQ(device_.journal().last(DeviceEventKind::CallRejected)->code, 2);
  EXPECT_FALSE(has(DeviceEventKind::AppKilled, second));
  // The first call is untouched.
  EXPECT_EQ(device_.call_state(call_for(first)), CallState::Ringing);
}

TEST_F(DeviceTest, Section6_2_InjectedCallKitFailureStillCountsAsAReport) {
  install_in_background(with_behaviour(
      CallKitBehaviour::failing(IncomingCallError::FilteredBySensitiveParticipants)));
  const auto id = send_voip();
  ASSERT_NE(device_.journal().last(DeviceEventKind::CallRejected), nullptr);
  EXPECT_EQ(device_.journal().last(DeviceEventKind::CallRejected)->code, 7);
  EXPECT_FALSE(has(DeviceEventKind::AppKilled, id));
  EXPECT_TRUE(has(DeviceEventKind::CompletionCalled, id));
}

TEST_F(DeviceTest, D15_NoVoipBackgroundModeDropsThePushInBackground) {
  AppConfig app;
  app.voip_background_mode = false;
  install_in_background(app);
  EXPECT_TRUE(device_.voip_token(kBundle)); // the token is still issued (FAQ 2c)
  const auto id = send_voip();
  EXPECT_TRUE(has(DeviceEventKind::PushArrived, id));
  EXPECT_TRUE(has(DeviceEventKind::PushDropped, id));
  EXPECT_TRUE(device_.journal().logged(log_lines::kNoVoipBackgroundMode));
  EXPECT_FALSE(has(DeviceEventKind::DelegateCalled, id));
  EXPECT_EQ(device_.kill_count(kBundle), 0);
}

// docs/spec/pushkit-callkit.md §7.4 "Push arrival" step 5: strict = iosVersion>=13 &&
// linkedSdk>=13 && !(unrestrictedVoip && linkedSdk<13); step 6: the assertion is 7 s if strict
// else 30 s.
class PolicyTest : public DeviceTest {
protected:
  // Installs an app that never reports nor calls completion() (so only the assertion timer ends
  // the handling) on a device running `ios`, and delivers one VoIP push in the background.
  std::string push_unreported(IosVersion ios, AppConfig app) {
    device_.config().ios = ios;
    app.callkit = CallKitBehaviour::never();
    app.callkit.calls_completion = false;
    install_in_background(app);
    return send_voip();
  }

  // What the lenient policy does with an unreported push: no kill, and the process assertion is
  // released after 30 s, not 7 s (step 6; D18, D21).
  void expect_lenient(const std::string& id) {
    const auto* delegate = device_.journal().last(DeviceEventKind::DelegateCalled);
    ASSERT_NE(delegate, nullptr);
    EXPECT_EQ(delegate->code, 0); // mustReport=false
    EXPECT_FALSE(has(DeviceEventKind::AppKilled, id));
    clock_.advance(29s);
    EXPECT_FALSE(has(DeviceEventKind::AssertionReleased, id));
    clock_.advance(1s);
    EXPECT_TRUE(has(DeviceEventKind::AssertionReleased, id));
    EXPECT_EQ(device_.process_state(kBundle), ProcessState::Suspended);
    EXPECT_EQ(device_.kill_count(kBundle), 0);
  }
};

TEST_F(PolicyTest, D18_PreIos13SdkIsNotKilledAndGetsA30SecondAssertion) {
  AppConfig app;
  app.linked_sdk = {12, 0};
  expect_lenient(push_unreported({17, 0}, app));
}

// §7.6 D21: iOS 12 does not enforce the rule ("for iOS 13.0 and later, VoIP Push must be used
// together with CallKit"), whatever SDK the app was linked against.
TEST_F(PolicyTest, D21_Ios12_4DeviceRunningAnSdk17AppIsNotKilledAndGetsA30SecondAssertion) {
  AppConfig app;
  app.linked_sdk = {17, 0};
  expect_lenient(push_unreported({12, 4}, app));
}

TEST_F(PolicyTest, D21_TheSameAppOnIos13_0IsKilled) {
  AppConfig app;
  app.linked_sdk = {17, 0};
  const auto id = push_unreported({13, 0}, app);
  const auto* delegate = device_.journal().last(DeviceEventKind::DelegateCalled);
  ASSERT_NE(delegate, nullptr);
  EXPECT_EQ(delegate->code, 1); // mustReport=true
  EXPECT_TRUE(has(DeviceEventKind::AppKilled, id));
  EXPECT_EQ(device_.kill_count(kBundle), 1);
}

// Step 5's formula, row by row, at its boundaries.
struct PolicyCase {
  IosVersion ios;
  IosVersion linked_sdk;
  bool unrestricted_voip;
  bool strict;
};

// NOLINTNEXTLINE(readability-identifier-naming): the name GoogleTest looks for.
void PrintTo(const PolicyCase& c, std::ostream* out) {
  *out << "iOS " << c.ios.major << "." << c.ios.minor << ", SDK " << c.linked_sdk.major << "."
       << c.linked_sdk.minor << (c.unrestricted_voip ? ", unrestricted-voip" : "");
}

class StrictPolicyTable : public PolicyTest, public ::testing::WithParamInterface<PolicyCase> {};

TEST_P(StrictPolicyTable, MustReportAndKillFollowStep5) {
  const PolicyCase& c = GetParam();
  AppConfig app;
  app.linked_sdk = c.linked_sdk;
  app.unrestricted_voip = c.unrestricted_voip;
  const auto id = push_unreported(c.ios, app);
  const auto* delegate = device_.journal().last(DeviceEventKind::DelegateCalled);
  ASSERT_NE(delegate, nullptr);
  EXPECT_EQ(delegate->code, c.strict ? 1 : 0) << delegate->detail;
  EXPECT_EQ(has(DeviceEventKind::AppKilled, id), c.strict);
  EXPECT_EQ(device_.kill_count(kBundle), c.strict ? 1 : 0);
}

INSTANTIATE_TEST_SUITE_P(
    Section7_4, StrictPolicyTable,
    ::testing::Values(PolicyCase{{12, 4}, {17, 0}, false, false}, // D21
                      PolicyCase{{12, 9}, {13, 0}, false, false}, // last iOS 12, first strict SDK
                      PolicyCase{{12, 4}, {12, 4}, false, false},
                      PolicyCase{{13, 0}, {17, 0}, false, true}, // D21's other half
                      PolicyCase{{13, 0}, {13, 0}, false, true},
                      PolicyCase{{17, 0}, {12, 4}, false, false}, // D18
                      PolicyCase{{17, 0}, {12, 4}, true, false},
                      PolicyCase{{17, 0}, {17, 0}, true, true}, // §1: no longer exempts
                      PolicyCase{{12, 4}, {17, 0}, true, false}),
    [](const ::testing::TestParamInfo<PolicyCase>& info) {
      const PolicyCase& c = info.param;
      return "ios" + std::to_string(c.ios.major) + "_" + std::to_string(c.ios.minor) + "_sdk" +
             std::to_string(c.linked_sdk.major) + "_" + std::to_string(c.linked_sdk.minor) +
             (c.unrestricted_voip ? "_unrestricted" : "");
    });

TEST_F(DeviceTest, Step9_NoCompletionReleasesTheAssertionAfterSevenSecondsAndSuspends) {
  AppConfig app;
  app.callkit.calls_completion = false;
  install_in_background(app);
  const auto id = send_voip();
  ASSERT_TRUE(device_.decline(call_for(id)));
  clock_.advance(7s);
  EXPECT_TRUE(has(DeviceEventKind::AssertionReleased, id));
  EXPECT_FALSE(has(DeviceEventKind::CompletionCalled, id));
  EXPECT_EQ(device_.process_state(kBundle), ProcessState::Suspended);
}

// Step 9 names no exemption for an app whose call still rings: the assertion lapses and the
// app is suspended all the same; CallKit still hands the suspended app the answer action.
TEST_F(DeviceTest, Step9_NoCompletionSuspendsTheAppEvenWhileItsCallRings) {
  AppConfig app;
  app.callkit.calls_completion = false;
  install_in_background(app);
  const auto id = send_voip();
  const auto call = call_for(id);
  clock_.advance(7s);
  EXPECT_TRUE(has(DeviceEventKind::AssertionReleased, id));
  EXPECT_EQ(device_.process_state(kBundle), ProcessState::Suspended);
  ASSERT_TRUE(device_.answer(call));
  const auto* answered = device_.journal().last(DeviceEventKind::CallAnswered);
  ASSERT_NE(answered, nullptr);
  EXPECT_EQ(answered->detail, "fulfilled");
}

TEST_F(DeviceTest, D19_MetadataDelegateOnIos26_4InForegroundIsToldMustReportFalse) {
  device_.config().ios = {26, 4};
  AppConfig app;
  app.implements_metadata_delegate = true;
  install_and_register(app);
  const auto id = send_voip();
  const auto* delegate = device_.journal().last(DeviceEventKind::DelegateCalled);
  ASSERT_NE(delegate, nullptr);
  EXPECT_EQ(delegate->apns_id, id);
  EXPECT_NE(delegate->detail.find("didReceiveIncomingVoIPPushWith:metadata:"), std::string::npos);
  EXPECT_NE(delegate->detail.find("mustReport=false"), std::string::npos);
  EXPECT_EQ(delegate->code, 0);
}

TEST_F(DeviceTest, Section5_MetadataDelegateNotUsedBeforeIos26_4) {
  device_.config().ios = {26, 3};
  AppConfig app;
  app.implements_metadata_delegate = true;
  install_in_background(app);
  send_voip();
  const auto* delegate = device_.journal().last(DeviceEventKind::DelegateCalled);
  ASSERT_NE(delegate, nullptr);
  EXPECT_NE(delegate->detail.find("didReceiveIncomingPushWith:for:completion:"), std::string::npos);
  EXPECT_EQ(delegate->code, 1);
}

TEST_F(DeviceTest, Step1_UnreachableDeviceRefusesDeliverySoTheSenderHoldsIt) {
  install_in_background();
  device_.set_reachability(Reachability::AirplaneMode);
  const Push push = voip_push();
  EXPECT_EQ(device_.deliver(push), DeliverResult::Unreachable);
  EXPECT_TRUE(device_.journal().for_push(push.apns_id).empty());
  device_.set_reachability(Reachability::Online);
  EXPECT_EQ(device_.deliver(push), DeliverResult::Delivered);
  EXPECT_TRUE(has(DeviceEventKind::CallShown, push.apns_id));
}

TEST_F(DeviceTest, Delivery_TokenHeldByNoAppIsDropped) {
  install_in_background();
  Push push = voip_push();
  push.token = std::string(64, 'a');
  EXPECT_EQ(device_.deliver(push), DeliverResult::Delivered);
  EXPECT_TRUE(has(DeviceEventKind::PushArrived, push.apns_id));
  EXPECT_TRUE(has(DeviceEventKind::PushDropped, push.apns_id));
}

TEST_F(DeviceTest, Delivery_InvalidPayloadIsLoggedAndDropped) {
  install_in_background();
  for (const char* body : {"not json", "[1,2]", "\"text\"", "{\"a\":"}) {
    const auto id = send_voip(kBundle, body);
    EXPECT_TRUE(has(DeviceEventKind::PushDropped, id)) << body;
    EXPECT_FALSE(has(DeviceEventKind::DelegateCalled, id)) << body;
  }
  EXPECT_EQ(device_.journal().log_count(log_lines::kInvalidPayload), 4u);
}

TEST_F(DeviceTest, Delivery_AlertTokenGetsAnAlertNotPushKit) {
  install_in_background();
  ASSERT_TRUE(device_.register_remote_notifications(kBundle));
  Push push = voip_push();
  push.token = *device_.alert_token(kBundle);
  push.topic = kBundle;
  push.push_type = "alert";
  push.payload = R"({"aps":{"alert":"hi"}})";
  EXPECT_EQ(device_.deliver(push), DeliverResult::Delivered);
  EXPECT_TRUE(has(DeviceEventKind::AlertDelivered, push.apns_id));
  EXPECT_FALSE(has(DeviceEventKind::DelegateCalled, push.apns_id));
}

TEST_F(DeviceTest, Section3_LockedDeviceShowsTheFullScreenCallUi) {
  device_.config().locked = true;
  install_in_background();
  const auto id = send_voip();
  const auto* shown = device_.journal().last(DeviceEventKind::CallShown);
  ASSERT_NE(shown, nullptr);
  EXPECT_EQ(shown->apns_id, id);
  EXPECT_NE(shown->detail.find("lock screen"), std::string::npos);
}

// apns-provider-api.md §8: tokens compare case-insensitively; a sender may upper-case them.
TEST_F(DeviceTest, Delivery_ATokenInUpperCaseReachesItsApp) {
  install_and_register();
  Push push = voip_push();
  for (char& c : push.token)
    c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  ASSERT_EQ(device_.deliver(push), DeliverResult::Delivered);
  EXPECT_EQ(device_.journal().count(DeviceEventKind::DelegateCalled), 1u);
}

} // namespace
} // namespace fake_device::testing
