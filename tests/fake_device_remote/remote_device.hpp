#pragma once
// A simulated iPhone wired to a mock's admin API as `voipsim device` wires it (LinkedDevice),
// inside a test process, with its events collected for the test's thread to wait on.
#include "fake_device/remote/linked_device.hpp"
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
                        std::uint64_t seed = 11) {
    auto linked = remote::LinkedDevice::start({admin, std::move(config), im, seed,
                                               [this](const DeviceEvent& e) { add(e); },
                                               [](const std::string& m) { ADD_FAILURE() << m; }});
    if (!linked) throw std::runtime_error(linked.error().message());
    linked_ = std::move(*linked);
  }

  remote::DeviceRunner& runner() { return linked_->runner(); }
  remote::MockLink& link() { return linked_->link(); }

  // Installs `app`, gives consent, launches it, logs in and presses Home; its VoIP token or "".
  std::string install_in_background(const AppConfig& app = {}) {
    const auto token = runner().call([&app](Device& d) -> std::optional<std::string> {
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

  std::mutex mutex_;
  std::condition_variable changed_;
  std::vector<DeviceEvent> events_;
  std::unique_ptr<remote::LinkedDevice> linked_; // last: ended before the events it reports to
};

} // namespace fake_device::testing
