// The stdin commands and flag values of `voipsim device`, applied to a device on the virtual
// clock.
#include "../fake_device/device_fixture.hpp"
#include "fake_device/remote/device_commands.hpp"

namespace fake_device::testing {
namespace {

using remote::parse_device_command;

class DeviceCommandTest : public DeviceTest {
protected:
  core::Result<void> run(std::string_view line) {
    auto action = parse_device_command(line, app_);
    if (!action) return core::Unexpected(action.error());
    return (*action)(device_);
  }
  AppConfig app_;
};

TEST_F(DeviceCommandTest, LifecycleWordsMoveTheApp) {
  install_and_register(app_);
  ASSERT_TRUE(run("home"));
  EXPECT_EQ(device_.process_state(kBundle), ProcessState::Background);
  ASSERT_TRUE(run("  suspend \r"));
  EXPECT_EQ(device_.process_state(kBundle), ProcessState::Suspended);
  ASSERT_TRUE(run("launch"));
  EXPECT_EQ(device_.process_state(kBundle), ProcessState::Foreground);
  ASSERT_TRUE(run("swipe"));
  EXPECT_EQ(device_.process_state(kBundle), ProcessState::TerminatedByUser);
}

TEST_F(DeviceCommandTest, NetworkWordsChangeReachability) {
  install_and_register(app_);
  ASSERT_TRUE(run("airplane"));
  EXPECT_EQ(device_.reachability(), Reachability::AirplaneMode);
  ASSERT_TRUE(run("power-off"));
  EXPECT_EQ(device_.reachability(), Reachability::PoweredOff);
  ASSERT_TRUE(run("online"));
  EXPECT_TRUE(device_.reachable());
}

TEST_F(DeviceCommandTest, CallKitFailureAppliesToTheNextPush) {
  install_in_background(app_);
  ASSERT_TRUE(run("callkit fail:filteredByDoNotDisturb"));
  const std::string apns_id = send_voip();
  const DeviceEvent* rejected = device_.journal().last(DeviceEventKind::CallRejected);
  ASSERT_NE(rejected, nullptr);
  EXPECT_EQ(rejected->apns_id, apns_id);
  EXPECT_EQ(rejected->code, static_cast<int>(IncomingCallError::FilteredByDoNotDisturb));
}

TEST_F(DeviceCommandTest, AnswerAndEndDriveTheCall) {
  install_in_background(app_);
  send_voip();
  const DeviceEvent* shown = device_.journal().last(DeviceEventKind::CallShown);
  ASSERT_NE(shown, nullptr);
  ASSERT_TRUE(run("answer " + shown->call_uuid));
  EXPECT_EQ(device_.call_state(shown->call_uuid), CallState::Connected);
  ASSERT_TRUE(run("end " + shown->call_uuid));
  EXPECT_EQ(device_.call_state(shown->call_uuid), CallState::Ended);
  EXPECT_EQ(device_.call_ended_reason(shown->call_uuid), CallEndedReason::RemoteEnded);
}

TEST_F(DeviceCommandTest, ReinstallGivesANewTokenAndRetiresTheOld) {
  install_and_register(app_);
  const auto old_token = device_.voip_token(kBundle);
  ASSERT_TRUE(old_token);
  ASSERT_TRUE(run("reinstall"));
  ASSERT_TRUE(run("launch"));
  const auto new_token = device_.voip_token(kBundle);
  ASSERT_TRUE(new_token);
  EXPECT_NE(*new_token, *old_token);
  const auto* record = authority_.find(*old_token);
  ASSERT_NE(record, nullptr);
  EXPECT_FALSE(record->active);
}

TEST_F(DeviceCommandTest, DndAndLockSetTheDevice) {
  ASSERT_TRUE(run("dnd on"));
  ASSERT_TRUE(run("lock on"));
  EXPECT_TRUE(device_.config().dnd);
  EXPECT_TRUE(device_.config().locked);
  ASSERT_TRUE(run("dnd off"));
  EXPECT_FALSE(device_.config().dnd);
}

TEST_F(DeviceCommandTest, BadCommandsSayWhatIsExpected) {
  const std::pair<const char*, const char*> cases[] = {
      {"", "empty command"},
      {"dance", "unknown command 'dance'"},
      {"home now", "usage: home"},
      {"answer", "usage: answer|decline|end CALL-UUID"},
      {"dnd maybe", "dnd takes on or off"},
      {"callkit sometimes", "CallKit behaviour must be"},
      {"callkit delay:soon", "delay:MS needs whole milliseconds"},
  };
  for (const auto& [line, message] : cases) {
    const auto parsed = parse_device_command(line, app_);
    ASSERT_FALSE(parsed) << line;
    EXPECT_NE(parsed.error().detail.find(message), std::string::npos)
        << line << ": " << parsed.error().detail;
  }
}

TEST_F(DeviceCommandTest, CommandsOnAMissingAppFailWithoutEffect) {
  const auto done = run("home");
  ASSERT_FALSE(done);
  EXPECT_EQ(device_.process_state(kBundle), ProcessState::NotInstalled);
}

TEST(CallKitFlag, EveryFormParses) {
  EXPECT_EQ(remote::parse_callkit_behaviour("immediate")->kind, CallKitBehaviour::Kind::Immediate);
  EXPECT_EQ(remote::parse_callkit_behaviour("never")->kind, CallKitBehaviour::Kind::Never);
  const auto delayed = remote::parse_callkit_behaviour("delay:1500");
  ASSERT_TRUE(delayed);
  EXPECT_EQ(delayed->kind, CallKitBehaviour::Kind::AfterDelay);
  EXPECT_EQ(delayed->delay, std::chrono::milliseconds(1500));
  EXPECT_EQ(remote::parse_callkit_behaviour("fail:4")->fail_with,
            IncomingCallError::FilteredByBlockList);
  EXPECT_EQ(remote::parse_callkit_behaviour("fail:callIsProtected")->fail_with,
            IncomingCallError::CallIsProtected);
  EXPECT_FALSE(remote::parse_callkit_behaviour("no-completion")->calls_completion);
  EXPECT_FALSE(remote::parse_callkit_behaviour("fail:8"));
  EXPECT_FALSE(remote::parse_callkit_behaviour("delay:-5"));
}

TEST(IosVersionFlag, MajorOrMajorDotMinor) {
  const auto seventeen = remote::parse_ios_version("17");
  ASSERT_TRUE(seventeen);
  EXPECT_EQ(*seventeen, (IosVersion{17, 0}));
  const auto twelve_four = remote::parse_ios_version("12.4");
  ASSERT_TRUE(twelve_four);
  EXPECT_EQ(*twelve_four, (IosVersion{12, 4}));
  for (const char* bad : {"", "x", "17.", "1", "17.x", "100", "-3"})
    EXPECT_FALSE(remote::parse_ios_version(bad)) << bad;
}

} // namespace
} // namespace fake_device::testing
