#pragma once
// Whether APNs can reach the device, and the hook the mock uses to hold pushes while it cannot
// and to hand them over on reconnect (pushkit-callkit.md §3 "Device offline", §7.4 "Push
// arrival" 1; the store-and-forward itself is the mock's).

#include <string_view>

namespace fake_device {

enum class Reachability { Online, AirplaneMode, PoweredOff };

std::string_view to_string(Reachability reachability);

// Told after every change, on the thread that changed it. Implementations must not call back
// into the device from inside the notification except to deliver().
class ReachabilityListener {
public:
  virtual ~ReachabilityListener() = default;
  virtual void on_reachability_changed(std::string_view device_id, Reachability from,
                                       Reachability to) = 0;
};

} // namespace fake_device
