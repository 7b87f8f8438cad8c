#include "fake_device/error.hpp"

#include <string>

namespace fake_device {
namespace {

class FakeDeviceCategory final : public std::error_category {
public:
  const char* name() const noexcept override { return "voipsim.fake_device"; }
  std::string message(int ev) const override {
    switch (static_cast<Errc>(ev)) {
    case Errc::UnknownApp:
      return "app not installed";
    case Errc::AlreadyInstalled:
      return "app already installed";
    case Errc::InvalidState:
      return "not possible in the app's current state";
    case Errc::UnknownCall:
      return "unknown call";
    case Errc::NoToken:
      return "no push token";
    case Errc::InvalidApnsFile:
      return "invalid .apns file";
    case Errc::TokenAuthority:
      return "token authority failure";
    }
    return "unknown fake_device error";
  }
};

} // namespace

const std::error_category& fake_device_category() noexcept {
  static const FakeDeviceCategory category;
  return category;
}

std::error_code make_error_code(Errc e) noexcept {
  return {static_cast<int>(e), fake_device_category()};
}

} // namespace fake_device
