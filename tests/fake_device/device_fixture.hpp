#pragma once
// A device on a virtual clock with an in-memory token authority, plus helpers that build the
// pushes the mock would hand over.

#include "core/clock.hpp"
#include "fake_device/device.hpp"
#include "fake_device/fake_token_authority.hpp"

#include <chrono>
#include <string>

#include <gtest/gtest.h>

namespace fake_device::testing {

using namespace std::chrono_literals;

inline constexpr const char* kBundle = "com.example.imapp";

class DeviceTest : public ::testing::Test {
protected:
  DeviceTest() : device_(clock_, authority_, DeviceConfig{}) {}

  // Installs `config`, launches it, makes it register, logs in; leaves it in the foreground.
  void install_and_register(const AppConfig& config = {}) {
    ASSERT_TRUE(device_.install(config));
    ASSERT_TRUE(device_.launch(config.bundle_id));
    if (config.registry == RegistryCreation::AfterConsent) {
      ASSERT_TRUE(device_.give_consent(config.bundle_id));
    }
    ASSERT_TRUE(device_.login(config.bundle_id));
  }

  void install_in_background(const AppConfig& config = {}) {
    install_and_register(config);
    ASSERT_TRUE(device_.press_home(config.bundle_id));
  }

  // A VoIP push as the mock would deliver it to the app's current VoIP token.
  Push voip_push(const std::string& bundle = kBundle, std::string payload = {}) {
    Push push;
    push.apns_id = uuid_text();
    push.token = device_.voip_token(bundle).value_or("no-token");
    push.topic = bundle + ".voip";
    push.push_type = "voip";
    push.payload = payload.empty() ? R"({"sender":"alice","ext":"{}"})" : std::move(payload);
    push.accepted_at = clock_.now();
    return push;
  }

  // Delivers a VoIP push and returns its apns-id.
  std::string send_voip(const std::string& bundle = kBundle, std::string payload = {}) {
    const Push push = voip_push(bundle, std::move(payload));
    EXPECT_EQ(device_.deliver(push), DeliverResult::Delivered);
    return push.apns_id;
  }

  std::string uuid_text() { return ids_.next().to_string(); }

  // The UUID of the call reported for this push, or "".
  std::string call_for(const std::string& apns_id) const {
    for (const auto& e : device_.journal().for_push(apns_id)) {
      if (e.kind == DeviceEventKind::CallReported) return e.call_uuid;
    }
    return {};
  }

  bool has(DeviceEventKind kind, const std::string& apns_id) const {
    return device_.journal().has(kind, apns_id);
  }

  core::VirtualClock clock_;
  FakeTokenAuthority authority_{42};
  Device device_;
  core::UuidGenerator ids_{7};
};

} // namespace fake_device::testing
