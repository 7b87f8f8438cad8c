#pragma once
// The pipeline's setVOIP and presence as far as the device can observe them, and a device
// fixture that reports to it (im-voip-flow.md §3.2, §4.3).

#include "fake_device/device_fixture.hpp"
#include "fake_device/im_server.hpp"

#include <map>
#include <string>
#include <string_view>
#include <system_error>
#include <vector>

namespace fake_device::testing {

// Refuses reports with 6014 (ERR_SDK_NOT_LOGGED_IN) unless the installation is logged in.
class RecordingImServer final : public ImServer {
public:
  core::Result<void> set_voip(const VoipTokenReport& report) override {
    const auto it = presence.find(report.bundle_id);
    if (it == presence.end() || it->second == ImPresence::LoggedOut ||
        it->second == ImPresence::Kicked) {
      refused.push_back(report);
      return core::fail(std::error_code(6014, std::generic_category()), "ERR_SDK_NOT_LOGGED_IN");
    }
    accepted.push_back(report);
    return {};
  }
  void presence_changed(std::string_view, std::string_view bundle_id, ImPresence now) override {
    presence[std::string(bundle_id)] = now;
    history.push_back(now);
  }

  std::vector<VoipTokenReport> accepted;
  std::vector<VoipTokenReport> refused;
  std::map<std::string, ImPresence> presence;
  std::vector<ImPresence> history;
};

class ImServerDeviceTest : public DeviceTest {
protected:
  ImServerDeviceTest() { device_.set_im_server(&server_); }
  ~ImServerDeviceTest() override { device_.set_im_server(nullptr); }

  RecordingImServer server_;
};

} // namespace fake_device::testing
