#include "fake_device/remote/device_runner.hpp"

namespace fake_device::remote {

DeviceRunner::DeviceRunner(TokenAuthority& authority, DeviceConfig config)
    : device_(std::make_unique<Device>(clock_, authority, std::move(config))) {}

DeviceRunner::~DeviceRunner() {
  // A timer callback may be running on the clock's thread right now; ending the device there
  // waits for it, and the device's destructor cancels the timers it still has.
  call([this](Device&) { device_.reset(); });
}

void DeviceRunner::post(std::function<void(Device&)> task) {
  clock_.schedule_after(core::Duration::zero(), [this, task = std::move(task)] {
    if (device_) task(*device_);
  });
}

} // namespace fake_device::remote
