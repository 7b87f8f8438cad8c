#pragma once
// A simulated iPhone wired to an in-process mock APNs without HTTP: the device's tokens are
// issued straight into the server's registry for their bundle id, environment and kind, retired
// tokens are marked unregistered there, and the device's reachability becomes its tokens'
// reachability, so the mock holds pushes while the device is away (pushkit-callkit.md §2.2, §3;
// apns-provider-api.md §9). The in-process twin of fake_device::remote::MockLink.

#include "fake_device/issued_tokens.hpp"
#include "fake_device/push.hpp"
#include "fake_device/reachability.hpp"
#include "fake_device/token_authority.hpp"
#include "mock_apns/server.hpp"

#include <cstdint>
#include <mutex>
#include <random>
#include <set>
#include <string>

namespace scenario {

class MockDeviceLink final : public fake_device::TokenAuthority,
                             public fake_device::ReachabilityListener {
public:
  // `server` must outlive the link; the same seed gives the same tokens.
  MockDeviceLink(mock_apns::Server& server, std::uint64_t seed);

  core::Result<std::string> issue(const fake_device::TokenRequest& request) override;
  void invalidate(std::string_view token_hex, core::TimePoint at) override;
  void on_reachability_changed(std::string_view device_id, fake_device::Reachability from,
                               fake_device::Reachability to) override;

  // True for a token this link issued (any thread): the deliveries its device should get.
  bool issued(std::string_view token_hex) const;

private:
  mock_apns::Server& server_;
  std::mt19937_64 engine_;
  fake_device::IssuedTokens tokens_; // read from the mock's I/O threads
  bool reachable_ = true;            // the device's, as last told; device thread only
};

// The mock's delivery record as the device receives it.
fake_device::Push push_of(const mock_apns::Delivery& delivery);

} // namespace scenario
