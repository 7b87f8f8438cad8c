// pushkit-callkit.md §7.3 process state P, im-voip-flow.md §4.3 presence, and reachability.
// Spec: docs/spec/pushkit-callkit.md

#include "fake_device/device_fixture.hpp"
#include "fake_device/error.hpp"

#include <tuple>
#include <vector>

namespace fake_device::testing {
namespace {

TEST_F(DeviceTest, ProcessStates_UserAndSystemTransitions) {
  EXPECT_EQ(device_.process_state(kBundle), ProcessState::NotInstalled);
  ASSERT_TRUE(device_.install({}));
  EXPECT_EQ(device_.process_state(kBundle), ProcessState::NotRunning);
  ASSERT_TRUE(device_.launch(kBundle));
  EXPECT_EQ(device_.process_state(kBundle), ProcessState::Foreground);
  ASSERT_TRUE(device_.press_home(kBundle));
  EXPECT_EQ(device_.process_state(kBundle), ProcessState::Background);
  ASSERT_TRUE(device_.suspend(kBundle));
  EXPECT_EQ(device_.process_state(kBundle), ProcessState::Suspended);
  ASSERT_TRUE(device_.launch(kBundle));
  EXPECT_EQ(device_.process_state(kBundle), ProcessState::Foreground);
  ASSERT_TRUE(device_.swipe_away(kBundle));
  EXPECT_EQ(device_.process_state(kBundle), ProcessState::TerminatedByUser);
  ASSERT_TRUE(device_.launch(kBundle));
  ASSERT_TRUE(device_.terminate(kBundle));
  EXPECT_EQ(device_.process_state(kBundle), ProcessState::TerminatedBySystem);
  EXPECT_EQ(device_.journal().count(DeviceEventKind::AppStateChanged), 7u);
}

TEST_F(DeviceTest, ProcessStates_InvalidTransitionsAreErrors) {
  ASSERT_TRUE(device_.install({}));
  EXPECT_EQ(device_.press_home(kBundle).error().code, Errc::InvalidState);
  EXPECT_EQ(device_.suspend(kBundle).error().code, Errc::InvalidState);
  EXPECT_EQ(device_.swipe_away(kBundle).error().code, Errc::InvalidState);
  EXPECT_EQ(device_.login(kBundle).error().code, Errc::InvalidState); // not in the foreground
  EXPECT_EQ(device_.launch("com.example.none").error().code, Errc::UnknownApp);
}

// im-voip-flow.md §4.3 "Presence model", one row per transition.
TEST_F(DeviceTest, Presence_OnlineOnlyWhileLoggedInAndInForeground) {
  ASSERT_TRUE(device_.install({}));
  ASSERT_TRUE(device_.launch(kBundle));
  EXPECT_EQ(device_.presence(kBundle), ImPresence::LoggedOut);
  ASSERT_TRUE(device_.login(kBundle));
  EXPECT_EQ(device_.presence(kBundle), ImPresence::Foreground);
  ASSERT_TRUE(device_.press_home(kBundle));
  EXPECT_EQ(device_.presence(kBundle), ImPresence::Background);
  ASSERT_TRUE(device_.suspend(kBundle));
  EXPECT_EQ(device_.presence(kBundle), ImPresence::Background);
  ASSERT_TRUE(device_.launch(kBundle));
  EXPECT_EQ(device_.presence(kBundle), ImPresence::Foreground);
  ASSERT_TRUE(device_.swipe_away(kBundle));
  EXPECT_EQ(device_.presence(kBundle), ImPresence::Disconnected);
  ASSERT_TRUE(device_.launch(kBundle)); // the session survives the process
  EXPECT_EQ(device_.presence(kBundle), ImPresence::Foreground);
  ASSERT_TRUE(device_.logout(kBundle));
  EXPECT_EQ(device_.presence(kBundle), ImPresence::LoggedOut);
  ASSERT_TRUE(device_.login(kBundle));
  ASSERT_TRUE(device_.kick(kBundle));
  EXPECT_EQ(device_.presence(kBundle), ImPresence::Kicked);
  const auto* changed = device_.journal().last(DeviceEventKind::PresenceChanged);
  ASSERT_NE(changed, nullptr);
  EXPECT_EQ(changed->detail, "kicked");
}

// im-voip-flow.md §4.3 "Presence model": a logout makes the installation LOGGED_OUT, also when
// another login had kicked it before.
TEST_F(DeviceTest, Presence_LogoutAfterAKickIsLoggedOut) {
  install_and_register();
  ASSERT_TRUE(device_.kick(kBundle));
  ASSERT_EQ(device_.presence(kBundle), ImPresence::Kicked);
  ASSERT_TRUE(device_.logout(kBundle));
  EXPECT_EQ(device_.presence(kBundle), ImPresence::LoggedOut);
  const auto* changed = device_.journal().last(DeviceEventKind::PresenceChanged);
  ASSERT_NE(changed, nullptr);
  EXPECT_EQ(changed->detail, "logged_out");
}

class RecordingListener final : public ReachabilityListener {
public:
  void on_reachability_changed(std::string_view device_id, Reachability from,
                               Reachability to) override {
    seen.emplace_back(std::string(device_id), from, to);
  }
  std::vector<std::tuple<std::string, Reachability, Reachability>> seen;
};

TEST_F(DeviceTest, Reachability_ListenerHearsEveryChangeOnce) {
  RecordingListener listener;
  device_.set_reachability_listener(&listener);
  EXPECT_TRUE(device_.reachable());
  device_.set_reachability(Reachability::AirplaneMode);
  device_.set_reachability(Reachability::AirplaneMode); // no change, no call
  device_.set_reachability(Reachability::Online);
  device_.set_reachability(Reachability::PoweredOff);
  EXPECT_FALSE(device_.reachable());
  const std::vector<std::tuple<std::string, Reachability, Reachability>> expected{
      {"iphone-1", Reachability::Online, Reachability::AirplaneMode},
      {"iphone-1", Reachability::AirplaneMode, Reachability::Online},
      {"iphone-1", Reachability::Online, Reachability::PoweredOff},
  };
  EXPECT_EQ(listener.seen, expected);
  EXPECT_EQ(device_.journal().count(DeviceEventKind::ReachabilityChanged), 3u);
}

TEST_F(DeviceTest, Reachability_AirplaneModeDisconnectsTheImSession) {
  install_and_register();
  device_.set_reachability(Reachability::AirplaneMode);
  EXPECT_EQ(device_.presence(kBundle), ImPresence::Disconnected);
  EXPECT_EQ(device_.process_state(kBundle), ProcessState::Foreground);
  device_.set_reachability(Reachability::Online);
  EXPECT_EQ(device_.presence(kBundle), ImPresence::Foreground);
}

TEST_F(DeviceTest, Reachability_PowerOffStopsEveryAppAndKeepsKillCounts) {
  AppConfig app;
  app.callkit = CallKitBehaviour::never();
  install_in_background(app);
  send_voip();
  ASSERT_EQ(device_.kill_count(kBundle), 1);
  ASSERT_TRUE(device_.launch(kBundle));
  device_.set_reachability(Reachability::PoweredOff);
  EXPECT_EQ(device_.process_state(kBundle), ProcessState::NotRunning);
  device_.set_reachability(Reachability::Online);
  EXPECT_EQ(device_.process_state(kBundle), ProcessState::NotRunning);
  // §7.3: the kill count persists across reboots.
  EXPECT_EQ(device_.kill_count(kBundle), 1);
}

TEST_F(DeviceTest, Reachability_ListenerMayDeliverHeldPushesOnReconnect) {
  install_in_background();
  // The mock's side, reduced to one held push: delivered when the device is back.
  struct Holder final : ReachabilityListener {
    Device* device = nullptr;
    std::optional<Push> held;
    void on_reachability_changed(std::string_view, Reachability, Reachability to) override {
      if (to == Reachability::Online && held) {
        EXPECT_EQ(device->deliver(*held), DeliverResult::Delivered);
        held.reset();
      }
    }
  } holder;
  holder.device = &device_;
  device_.set_reachability_listener(&holder);
  device_.set_reachability(Reachability::AirplaneMode);
  const Push push = voip_push();
  ASSERT_EQ(device_.deliver(push), DeliverResult::Unreachable);
  holder.held = push;
  clock_.advance(1min);
  device_.set_reachability(Reachability::Online);
  EXPECT_TRUE(has(DeviceEventKind::CallShown, push.apns_id));
  device_.set_reachability_listener(nullptr);
}

TEST_F(DeviceTest, Journal_EventsCarryTheVirtualTime) {
  const auto start = clock_.now();
  ASSERT_TRUE(device_.install({}));
  clock_.advance(90s);
  ASSERT_TRUE(device_.launch(kBundle));
  const auto& events = device_.journal().events();
  ASSERT_FALSE(events.empty());
  EXPECT_EQ(events.front().at, start);
  EXPECT_EQ(events.back().at, start + 90s);
  EXPECT_EQ(to_string(events.front().kind), "app_installed");
}

TEST(DeviceEventJson, OneObjectPerLineWithoutEmptyFields) {
  DeviceEvent event;
  event.at = core::from_unix_seconds(1'767'225'600);
  event.kind = DeviceEventKind::CallRejected;
  event.bundle_id = kBundle;
  event.apns_id = "0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0";
  event.code = 3;
  event.detail = "dnd \"quoted\"\n\xff";
  EXPECT_EQ(to_json_line(event),
            R"({"event":"device","ts":1767225600000,"kind":"call_rejected",)"
            R"("bundle_id":"com.example.imapp","apns_id":"0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0",)"
            R"("code":3,)"
            R"("detail":"dnd \"quoted\"\n)"
            "\xEF\xBF\xBD\"}"); // U+FFFD for the byte that is not UTF-8
}

TEST_F(DeviceTest, Device_DestroyedWithPendingTimersLeavesNoneBehind) {
  const auto before = clock_.pending_timers();
  {
    Device other(clock_, authority_);
    ASSERT_TRUE(other.install({}));
    ASSERT_TRUE(other.launch(kBundle));
    ASSERT_TRUE(other.press_home(kBundle));
    Push push;
    push.apns_id = uuid_text();
    push.token = *other.voip_token(kBundle);
    push.payload = R"({"sender":"alice"})";
    ASSERT_EQ(other.deliver(push), DeliverResult::Delivered);
    EXPECT_GT(clock_.pending_timers(), before); // ring timeout
  }
  EXPECT_EQ(clock_.pending_timers(), before);
  clock_.advance(1h);
}

} // namespace
} // namespace fake_device::testing
