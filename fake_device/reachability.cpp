#include "fake_device/reachability.hpp"

#include "core/names.hpp"

namespace fake_device {
namespace {

constexpr core::Names<Reachability, 3> kReachabilityNames{{
    {Reachability::Online, "online"},
    {Reachability::AirplaneMode, "airplane_mode"},
    {Reachability::PoweredOff, "powered_off"},
}};

} // namespace

std::string_view to_string(Reachability reachability) {
  return core::name_of(kReachabilityNames, reachability);
}

} // namespace fake_device
