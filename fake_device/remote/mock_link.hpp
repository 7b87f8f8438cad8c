#pragma once
// The device's side of a standalone mock APNs (`voipsim mock-apns`), over its admin API: tokens
// are issued here and registered at the mock for their bundle id, environment and kind, retired
// tokens are marked unregistered there, and the device's reachability becomes the reachability
// of each of its tokens, so the mock holds pushes while the device is away (pushkit-callkit.md
// §2.2, §3 "Device offline"; apns-provider-api.md §9).

#include "fake_device/issued_tokens.hpp"
#include "fake_device/reachability.hpp"
#include "fake_device/token_authority.hpp"
#include "net/http1_client.hpp"

#include <cstdint>
#include <functional>
#include <mutex>
#include <random>
#include <set>
#include <string>
#include <vector>

namespace fake_device::remote {

class MockLink final : public TokenAuthority, public ReachabilityListener {
public:
  // `seed` 0 draws tokens from std::random_device; another value repeats them run to run.
  MockLink(net::HttpEndpoint admin, std::uint64_t seed);

  // Calls that cannot return their error (invalidate, reachability) report it here; the
  // default drops it. Set before use.
  void set_error_handler(std::function<void(const std::string&)> handler) {
    on_error_ = std::move(handler);
  }

  // Fails when the mock cannot be reached, does not answer {"status":"ok"} or refuses the
  // endpoint's bearer secret (std::errc::permission_denied); `next_cursor`
  // gets the delivery feed's last cursor, where a follower starting now should begin.
  core::Result<void> check(std::uint64_t& next_cursor) const;

  core::Result<std::string> issue(const TokenRequest& request) override;
  void invalidate(std::string_view token_hex, core::TimePoint at) override;
  void on_reachability_changed(std::string_view device_id, Reachability from,
                               Reachability to) override;

  // The device did something with push `apns_id`: a step of its delivery status in the mock's
  // journal (POST /v1/journal/<apns-id>/device). A failure goes to the error handler.
  void report_step(std::string_view apns_id, const std::string& step) const;

  // True for a token this link issued (any thread): the deliveries the device should get.
  bool issued(std::string_view token_hex) const;

private:
  core::Result<std::string> post(const std::string& target, const std::string& body) const;
  void report(const std::string& message) const;

  net::HttpEndpoint admin_;
  std::function<void(const std::string&)> on_error_;
  std::mt19937_64 engine_;
  IssuedTokens tokens_;   // the follower's thread reads them
  bool reachable_ = true; // the device's, as last told; device thread only
};

} // namespace fake_device::remote
