// pushkit-callkit.md §6 and §7.4 "CallKit": CallKit's answer to a report as a table, and the
// call state machine of §7.3 on the virtual clock.

#include "fake_device/callkit.hpp"
#include "fake_device/device_fixture.hpp"
#include "fake_device/error.hpp"

#include <optional>
#include <set>
#include <string>

namespace fake_device::testing {
namespace {

struct ReportCase {
  const char* name;
  IosVersion ios;
  bool voip_mode;
  bool uuid_in_use;
  bool dnd;
  const char* handle;
  std::optional<IncomingCallError> injected;
  std::optional<CallKitError> expected;
};

constexpr auto kIncoming = CallKitError::Domain::IncomingCall;
constexpr auto kCX = CallKitError::Domain::CXErrorDomain;

TEST(CallKitRule1, ReportOutcomesFollowTheSpecTable) {
  const std::set<std::string> allowed{"boss"};
  const std::set<std::string> blocked{"spammer", "boss-blocked"};
  const ReportCase cases[] = {
      {"allowed", {17, 0}, true, false, false, "alice", {}, std::nullopt},
      {"no voip mode on 14.5+: CXErrorDomain 3",
       {14, 5},
       false,
       false,
       false,
       "alice",
       {},
       CallKitError{kCX, 3}},
      {"no voip mode before 14.5: unentitled",
       {14, 4},
       false,
       false,
       false,
       "alice",
       {},
       CallKitError{kIncoming, 1}},
      {"uuid in use", {17, 0}, true, true, false, "alice", {}, CallKitError{kIncoming, 2}},
      {"dnd", {17, 0}, true, false, true, "alice", {}, CallKitError{kIncoming, 3}},
      {"dnd, allowed handle", {17, 0}, true, false, true, "boss", {}, std::nullopt},
      {"blocked handle", {17, 0}, true, false, false, "spammer", {}, CallKitError{kIncoming, 4}},
      {"injected unknown",
       {17, 0},
       true,
       false,
       false,
       "alice",
       IncomingCallError::Unknown,
       CallKitError{kIncoming, 0}},
      {"injected restricted sharing",
       {17, 0},
       true,
       false,
       false,
       "alice",
       IncomingCallError::FilteredDuringRestrictedSharingMode,
       CallKitError{kIncoming, 5}},
      {"injected protected",
       {17, 0},
       true,
       false,
       false,
       "alice",
       IncomingCallError::CallIsProtected,
       CallKitError{kIncoming, 6}},
      // §7.4 CallKit 1 checks in order: voip mode before the UUID, the UUID before filters.
      {"voip mode first", {17, 0}, false, true, true, "spammer", {}, CallKitError{kCX, 3}},
      {"uuid before dnd", {17, 0}, true, true, true, "spammer", {}, CallKitError{kIncoming, 2}},
      {"dnd before block list",
       {17, 0},
       true,
       false,
       true,
       "spammer",
       {},
       CallKitError{kIncoming, 3}},
  };
  for (const auto& c : cases) {
    CallReportContext context;
    context.ios = c.ios;
    context.voip_background_mode = c.voip_mode;
    context.uuid_in_use = c.uuid_in_use;
    context.dnd = c.dnd;
    context.handle = c.handle;
    context.allowed_handles = &allowed;
    context.blocked_handles = &blocked;
    context.injected = c.injected;
    EXPECT_EQ(decide_incoming_call(context), c.expected) << c.name;
  }
}

TEST(CallKitErrors, DescribeNamesDomainCodeAndName) {
  EXPECT_EQ((CallKitError{kIncoming, 3}.describe()),
            "com.apple.CallKit.error.incomingcall 3 filteredByDoNotDisturb");
  EXPECT_EQ((CallKitError{kCX, 3}.describe()), "CXErrorDomain 3 missingVoIPBackgroundMode");
}

TEST_F(DeviceTest, CallKit2_AnswerConnectsTheCall) {
  install_in_background();
  const auto call = call_for(send_voip());
  ASSERT_TRUE(device_.answer(call));
  EXPECT_EQ(device_.call_state(call), CallState::Connected);
  EXPECT_EQ(device_.journal().count(DeviceEventKind::CallAnswered), 1u);
  // A connected call does not time out.
  clock_.advance(5min);
  EXPECT_EQ(device_.call_state(call), CallState::Connected);
  EXPECT_FALSE(device_.answer(call));
}

TEST_F(DeviceTest, CallKit2_FailedAnswerActionEndsTheCallFailed) {
  AppConfig app;
  app.callkit.fulfils_answer = false;
  install_in_background(app);
  const auto call = call_for(send_voip());
  ASSERT_TRUE(device_.answer(call));
  EXPECT_EQ(device_.call_state(call), CallState::Ended);
  EXPECT_EQ(device_.call_ended_reason(call), CallEndedReason::Failed);
  ASSERT_NE(device_.journal().last(DeviceEventKind::CallAnswered), nullptr);
  EXPECT_EQ(device_.journal().last(DeviceEventKind::CallAnswered)->detail, "failed");
}

TEST_F(DeviceTest, CallKit3_DeclineEndsTheCall) {
  install_in_background();
  const auto call = call_for(send_voip());
  ASSERT_TRUE(device_.decline(call));
  EXPECT_EQ(device_.call_state(call), CallState::Ended);
  EXPECT_EQ(device_.call_ended_reason(call), CallEndedReason::Declined);
}

TEST_F(DeviceTest, CallKit4_RingTimeoutEndsTheCallUnanswered) {
  install_in_background();
  const auto call = call_for(send_voip());
  clock_.advance(29s);
  EXPECT_EQ(device_.call_state(call), CallState::Ringing);
  clock_.advance(1s);
  EXPECT_EQ(device_.call_state(call), CallState::Ended);
  EXPECT_EQ(device_.call_ended_reason(call), CallEndedReason::Unanswered);
  const auto* ended = device_.journal().last(DeviceEventKind::CallEnded);
  ASSERT_NE(ended, nullptr);
  EXPECT_EQ(ended->code, 3); // CXCallEndedReason.unanswered
}

TEST_F(DeviceTest, CallKit5_AppEndsTheCallWithAReason) {
  install_in_background();
  const auto call = call_for(send_voip());
  ASSERT_TRUE(device_.answer(call));
  ASSERT_TRUE(device_.end_call(call, CallEndedReason::RemoteEnded));
  EXPECT_EQ(device_.call_ended_reason(call), CallEndedReason::RemoteEnded);
  ASSERT_NE(device_.journal().last(DeviceEventKind::CallEnded), nullptr);
  EXPECT_EQ(device_.journal().last(DeviceEventKind::CallEnded)->code, 2);
  EXPECT_EQ(device_.end_call(call, CallEndedReason::Failed).error().code, Errc::InvalidState);
  EXPECT_EQ(device_.answer("nope").error().code, Errc::UnknownCall);
}

TEST_F(DeviceTest, CallKit_KillingTheAppEndsItsCalls) {
  install_in_background();
  const auto call = call_for(send_voip());
  ASSERT_TRUE(device_.swipe_away(kBundle));
  EXPECT_EQ(device_.call_ended_reason(call), CallEndedReason::Failed);
}

TEST_F(DeviceTest, CallKit_DelayedReportForAnExemptPushStillRings) {
  AppConfig app;
  app.callkit = CallKitBehaviour::after(500ms);
  install_and_register(app); // foreground: exempt, so no kill
  const auto id = send_voip();
  EXPECT_FALSE(has(DeviceEventKind::CallReported, id));
  clock_.advance(500ms);
  EXPECT_TRUE(has(DeviceEventKind::CallShown, id));
  EXPECT_TRUE(has(DeviceEventKind::CompletionCalled, id));
  EXPECT_FALSE(has(DeviceEventKind::AppKilled, id));
}

// A report scheduled by a process must never surface in a later install of the app: the
// generation that guards it is device-wide, so a reinstall does not repeat it.
TEST_F(DeviceTest, CallKit_ADelayedReportDiesWithTheInstallThatScheduledIt) {
  AppConfig app;
  app.callkit = CallKitBehaviour::after(500ms);
  install_and_register(app);
  const auto id = send_voip();
  ASSERT_TRUE(device_.uninstall(kBundle));
  install_and_register(app);
  clock_.advance(500ms);
  EXPECT_FALSE(has(DeviceEventKind::CallReported, id));
  EXPECT_FALSE(has(DeviceEventKind::CallShown, id));
}

} // namespace
} // namespace fake_device::testing
