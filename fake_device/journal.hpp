#pragma once
// The device's event timeline, in the order things happened, with the queries tests ask of it.
// Not thread-safe: owned and written by one Device.

#include "fake_device/device_event.hpp"

#include <cstddef>
#include <functional>
#include <string_view>
#include <vector>

namespace fake_device {

class Journal {
public:
  void record(DeviceEvent event) {
    events_.push_back(std::move(event));
    if (observer_) observer_(events_.back());
  }
  // Told of every event as it is recorded, on the device's thread (`voipsim device` prints
  // them as they happen).
  void set_observer(std::function<void(const DeviceEvent&)> observer) {
    observer_ = std::move(observer);
  }

  const std::vector<DeviceEvent>& events() const { return events_; }
  std::vector<DeviceEvent> of_kind(DeviceEventKind kind) const;
  std::vector<DeviceEvent> for_push(std::string_view apns_id) const;
  std::size_t count(DeviceEventKind kind) const;
  std::size_t count(DeviceEventKind kind, std::string_view apns_id) const;
  bool has(DeviceEventKind kind, std::string_view apns_id) const {
    return count(kind, apns_id) != 0;
  }
  // The latest event of that kind, or nullptr.
  const DeviceEvent* last(DeviceEventKind kind) const;
  // How many times this exact system log line was written.
  std::size_t log_count(std::string_view line) const;
  bool logged(std::string_view line) const { return log_count(line) != 0; }

private:
  std::vector<DeviceEvent> events_;
  std::function<void(const DeviceEvent&)> observer_;
};

} // namespace fake_device
