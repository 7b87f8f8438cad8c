#pragma once
// Runs one Device in real time for `voipsim device`: the device lives on the thread of its own
// SystemClock, so its timers and every call from outside (pushes from the delivery follower,
// commands from stdin) run one at a time on that thread, in the order they were posted, with
// no lock around the device (Device is single-threaded by design).

#include "core/clock.hpp"
#include "fake_device/device.hpp"

#include <functional>
#include <future>
#include <memory>
#include <type_traits>

namespace fake_device::remote {

class DeviceRunner {
public:
  // `authority` must outlive the runner; it is called on the device's thread.
  DeviceRunner(TokenAuthority& authority, DeviceConfig config);
  // Ends the device on its own thread, then the clock (pending timers are dropped).
  ~DeviceRunner();
  DeviceRunner(const DeviceRunner&) = delete;
  DeviceRunner& operator=(const DeviceRunner&) = delete;

  // Runs `task` on the device's thread after everything posted before it.
  void post(std::function<void(Device&)> task);

  // Runs `task` there and waits for its result. Never call it from the device's thread (from a
  // posted task, a timer or an observer): it would wait for itself.
  template <class F>
  auto call(F task) -> std::invoke_result_t<F, Device&> {
    using R = std::invoke_result_t<F, Device&>;
    auto promise = std::make_shared<std::promise<R>>();
    auto result = promise->get_future();
    post([promise, task = std::move(task)](Device& device) mutable {
      if constexpr (std::is_void_v<R>) {
        task(device);
        promise->set_value();
      } else {
        promise->set_value(task(device));
      }
    });
    return result.get();
  }

  const core::Clock& clock() const { return clock_; }

private:
  core::SystemClock clock_; // first: the device and its timers go before it
  std::unique_ptr<Device> device_;
};

} // namespace fake_device::remote
