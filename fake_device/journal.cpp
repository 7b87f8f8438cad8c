#include "fake_device/journal.hpp"

#include <algorithm>

namespace fake_device {

std::vector<DeviceEvent> Journal::of_kind(DeviceEventKind kind) const {
  std::vector<DeviceEvent> out;
  std::copy_if(events_.begin(), events_.end(), std::back_inserter(out),
               [kind](const DeviceEvent& e) { return e.kind == kind; });
  return out;
}

std::vector<DeviceEvent> Journal::for_push(std::string_view apns_id) const {
  std::vector<DeviceEvent> out;
  std::copy_if(events_.begin(), events_.end(), std::back_inserter(out),
               [apns_id](const DeviceEvent& e) { return e.apns_id == apns_id; });
  return out;
}

std::size_t Journal::count(DeviceEventKind kind) const {
  return static_cast<std::size_t>(std::count_if(
      events_.begin(), events_.end(), [kind](const DeviceEvent& e) { return e.kind == kind; }));
}

std::size_t Journal::count(DeviceEventKind kind, std::string_view apns_id) const {
  return static_cast<std::size_t>(
      std::count_if(events_.begin(), events_.end(), [kind, apns_id](const DeviceEvent& e) {
        return e.kind == kind && e.apns_id == apns_id;
      }));
}

const DeviceEvent* Journal::last(DeviceEventKind kind) const {
  auto it = std::find_if(events_.rbegin(), events_.rend(),
                         [kind](const DeviceEvent& e) { return e.kind == kind; });
  return it == events_.rend() ? nullptr : &*it;
}

std::size_t Journal::log_count(std::string_view line) const {
  return static_cast<std::size_t>(
      std::count_if(events_.begin(), events_.end(), [line](const DeviceEvent& e) {
        return e.kind == DeviceEventKind::Log && e.detail == line;
      }));
}

} // namespace fake_device
