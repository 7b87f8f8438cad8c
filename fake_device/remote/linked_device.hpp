#pragma once
// A Device wired to a standalone mock APNs (and, through an ImServer, to a pipeline) the one way
// voipsim does it: tokens issued at the mock (MockLink), the device's reachability told to it,
// its deliveries followed (DeliveryFollower) and handed to the device on its own thread
// (DeviceRunner). `voipsim device` and the tests use this.

#include "fake_device/remote/delivery_follower.hpp"
#include "fake_device/remote/device_runner.hpp"
#include "fake_device/remote/mock_link.hpp"

#include <functional>
#include <memory>
#include <optional>
#include <string>

namespace fake_device::remote {

struct LinkedDeviceOptions {
  net::HttpEndpoint mock_admin;
  DeviceConfig device;
  ImServer* im = nullptr; // not owned; must outlive the device
  std::uint64_t seed = 0; // tokens (0: random)
  // Each device event, on the device's thread.
  std::function<void(const DeviceEvent&)> on_event;
  // What could not be done and did not stop the device: a call to the mock that failed, the
  // feed lost or skipped, a delivery that came while unreachable. Any thread.
  std::function<void(const std::string&)> on_warning;
};

class LinkedDevice {
public:
  // Fails when the mock's admin API does not answer as a voipsim mock.
  static core::Result<std::unique_ptr<LinkedDevice>> start(LinkedDeviceOptions options);
  // Stops following deliveries, then ends the device.
  ~LinkedDevice();
  LinkedDevice(const LinkedDevice&) = delete;
  LinkedDevice& operator=(const LinkedDevice&) = delete;

  DeviceRunner& runner() { return *runner_; }
  MockLink& link() { return link_; }
  // Waits until the device has taken every delivery the mock published before cursor `next`
  // (its health "deliveries"), including what it did with them; false on timeout.
  bool wait_for_deliveries(std::uint64_t next, std::chrono::milliseconds timeout);

private:
  explicit LinkedDevice(LinkedDeviceOptions options);

  LinkedDeviceOptions options_;
  MockLink link_;
  std::optional<DeviceRunner> runner_;
  std::optional<DeliveryFollower> follower_; // last: destroyed first, before the runner
};

} // namespace fake_device::remote
