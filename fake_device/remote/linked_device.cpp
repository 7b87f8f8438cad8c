#include "fake_device/remote/linked_device.hpp"

namespace fake_device::remote {

LinkedDevice::LinkedDevice(LinkedDeviceOptions options)
    : options_(std::move(options)), link_(options_.mock_admin, options_.seed) {}

core::Result<std::unique_ptr<LinkedDevice>> LinkedDevice::start(LinkedDeviceOptions options) {
  std::unique_ptr<LinkedDevice> linked(new LinkedDevice(std::move(options)));
  const auto warn = [on_warning = linked->options_.on_warning](const std::string& message) {
    if (on_warning) on_warning(message);
  };
  linked->link_.set_error_handler(warn);
  std::uint64_t cursor = 0;
  if (auto checked = linked->link_.check(cursor); !checked)
    return core::Unexpected(checked.error());

  LinkedDevice& self = *linked;
  self.runner_.emplace(self.link_, self.options_.device);
  self.runner_->call([&self](Device& d) {
    // What the device does with a push joins its delivery status in the mock's journal.
    d.set_event_observer([&self](const DeviceEvent& event) {
      if (auto step = delivery_step_of(event)) self.link_.report_step(event.apns_id, *step);
      if (self.options_.on_event) self.options_.on_event(event);
    });
    d.set_reachability_listener(&self.link_);
    d.set_im_server(self.options_.im);
  });
  // Started before any app registers, so no push to its first token can be missed.
  self.follower_.emplace(
      self.options_.mock_admin, cursor,
      DeliveryFollower::Handlers{
          [&self](std::string_view token) { return self.link_.issued(token); },
          [&self, warn](Push push) {
            self.runner_->post([warn, push = std::move(push)](Device& d) {
              if (d.deliver(push) == DeliverResult::Unreachable)
                warn("push " + push.apns_id +
                     " came from the mock while the device is unreachable; the device did not "
                     "take it");
            });
          },
          warn});
  return linked;
}

LinkedDevice::~LinkedDevice() {
  follower_.reset(); // nothing is posted to the runner after this
  if (runner_) runner_->call([](Device& d) { d.set_event_observer(nullptr); });
  runner_.reset();
}

bool LinkedDevice::wait_for_deliveries(std::uint64_t next, std::chrono::milliseconds timeout) {
  if (!follower_->wait_handed(next, timeout)) return false;
  runner_->call([](Device&) {}); // the pushes posted before this have run
  return true;
}

} // namespace fake_device::remote
