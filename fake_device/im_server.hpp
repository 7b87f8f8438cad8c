#pragma once
// The IM backend as the app's IM SDK sees it: where the app reports its VoIP token (setVOIP,
// im-voip-flow.md §3.2) and where the installation's presence shows (§4.3). The pipeline
// implements it; tests use a recording fake.

#include "core/result.hpp"
#include "fake_device/app_state.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace fake_device {

struct VoipTokenReport {
  std::string device_id; // the installation
  std::string bundle_id;
  std::optional<std::string> token_hex; // nullopt removes the registration (didInvalidate)
  std::int64_t certificate_id = 0;      // the console's certIdDev or certIdProd, as the app chose
};

// Called on the device's thread. An error is what setVOIP's fail block would get (e.g. 6014
// when not logged in); the device records it and does not retry, as the SDK does not.
class ImServer {
public:
  virtual ~ImServer() = default;
  virtual core::Result<void> set_voip(const VoipTokenReport& report) = 0;
  virtual void presence_changed(std::string_view device_id, std::string_view bundle_id,
                                ImPresence presence) = 0;
};

} // namespace fake_device
