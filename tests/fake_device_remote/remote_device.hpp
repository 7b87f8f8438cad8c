#pragma once
// A simulated iPhone wired to a mock's admin API as `voipsim device` wires it (MockLink,
// DeliveryFollower, DeviceRunner), inside a test process, with its events collected for the
// test's thread to wait on.
#include "fake_device/remote/delivery_follower.hpp"
#include "fake_device/remote/device_runner.hpp"
#include "fake_device/remote/mock_link.hpp"
#include "support/wait.hpp"

#include <algorithm>
#include <condition_variable>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <vector>

#include <gtest/gtest.h>

namespace fake_device::testing {

class RemoteDevice {
public:
  // `im` (may be null) gets setVOIP and presence; it must outlive the device.
  explicit RemoteDevice(net::HttpEndpoint admin, DeviceConfig config = {}, ImServer* im = nullptr,
                        std::uint64_t seed = 11)
      : link_(admin, seed) {
    std::uint64_t cursor = 0;
    if (auto checked = link_.check(cursor); !checked)
      throw std::runtime_error(checked.error().message());
    runner_.emplace(link_, std::move(config));
    runner_->call([this, im](Device& d) {
      d.set_event_observer([this](const DeviceEvent& e) { add(e); });
      d.set_reachability_listener(&link_);
      d.set_im_server(im);
    });
    follower_.emplace(admin, cursor,
                      remote::DeliveryFollower::Handlers{
                          [this](std::string_view token) { return link_.issued(token); },
                          [this](Push push) {
                            runner_->post([push = std::move(push)](Device& d) { d.deliver(push); });
                          },
                          [](const std::string& m) { ADD_FAILURE() << m; }});
  }
  ~RemoteDevice() {
    follower_.reset(); // before the runner it posts to
    runner_.reset();
  }

  remote::DeviceRunner& runner() { return *runner_; }
  remote::MockLink& link() { return link_; }

  // Installs `app`, gives consent, launches it, logs in and presses Home; its VoIP token or "".
  std::string install_in_background(const AppConfig& app = {}) {
    const auto token = runner_->call([&app](Device& d) -> std::optional<std::string> {
      const auto& b = app.bundle_id;
      if (!d.install(app) || !d.give_consent(b) || !d.launch(b) || !d.login(b) || !d.press_home(b))
        return std::nullopt;
      return d.voip_token(b);
    });
    return token.value_or("");
  }

  // The first event of `kind` for the push `apns_id`, waiting for it up to kEventTimeout.
  std::optional<DeviceEvent> wait_for(DeviceEventKind kind, const std::string& apns_id) {
    std::unique_lock lock(mutex_);
    std::optional<DeviceEvent> found;
    changed_.wait_for(lock, support::kEventTimeout, [&] {
      for (const auto& e : events_)
        if (e.kind == kind && e.apns_id == apns_id) return (found = e), true;
      return false;
    });
    return found;
  }
  std::size_t count(DeviceEventKind kind) {
    std::lock_guard lock(mutex_);
    return std::count_if(events_.begin(), events_.end(),
                         [&](const DeviceEvent& e) { return e.kind == kind; });
  }

private:
  void add(const DeviceEvent& event) {
    std::lock_guard lock(mutex_);
    events_.push_back(event);
    changed_.notify_all();
  }

  remote::MockLink link_;
  std::mutex mutex_;
  std::condition_variable changed_;
  std::vector<DeviceEvent> events_;
  std::optional<remote::DeviceRunner> runner_;
  std::optional<remote::DeliveryFollower> follower_;
};

} // namespace fake_device::testing
