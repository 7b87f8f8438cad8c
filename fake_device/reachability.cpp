#include "fake_device/reachability.hpp"

namespace fake_device {

std::string_view to_string(Reachability reachability) {
  switch (reachability) {
  case Reachability::Online:
    return "online";
  case Reachability::AirplaneMode:
    return "airplane_mode";
  case Reachability::PoweredOff:
    return "powered_off";
  }
  return "unknown";
}

} // namespace fake_device
