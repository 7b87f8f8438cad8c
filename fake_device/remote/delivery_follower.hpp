#pragma once
// Follows a standalone mock's delivery feed (GET /v1/deliveries?after=N&wait_ms=M, the mock's
// admin API) on its own thread and hands the device the pushes addressed to its tokens.

#include "core/result.hpp"
#include "fake_device/push.hpp"
#include "net/http1_client.hpp"

#include <condition_variable>
#include <cstdint>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

namespace fake_device::remote {

// One answer of GET /v1/deliveries: the pushes in feed order and the cursor to ask after next.
struct DeliveryPage {
  std::vector<Push> pushes;
  std::uint64_t next = 0;
  std::optional<std::uint64_t> first_cursor; // of the first delivery, to notice a gap
  std::vector<std::string> skipped;          // deliveries that could not be read, and why
};

// Pure: the mock's delivery JSON (mock_apns/json_codec.cpp, to_json(Delivery)) as the device's
// Push. A page that is not the feed's shape is an error; a delivery that cannot be read is
// skipped (its reason in `skipped`) so that one bad record cannot stop the feed.
core::Result<DeliveryPage> parse_delivery_page(std::string_view body);

class DeliveryFollower {
public:
  struct Handlers {
    std::function<bool(std::string_view token)> wanted; // tokens of this device
    std::function<void(Push)> on_push;                  // called on the follower's thread
    // Told once when the feed cannot be read and once when it can again, and of deliveries
    // skipped or missed (the feed's ring moved past them); never throws.
    std::function<void(const std::string& message)> on_trouble;
  };

  // Starts after cursor `after` (MockLink::check gives the current one).
  DeliveryFollower(net::HttpEndpoint admin, std::uint64_t after, Handlers handlers);
  ~DeliveryFollower(); // stop()
  DeliveryFollower(const DeliveryFollower&) = delete;
  DeliveryFollower& operator=(const DeliveryFollower&) = delete;

  // Returns within one long-poll wait (kWaitMs).
  void stop();

  // Waits until every delivery before cursor `next` (the mock's health "deliveries") has been
  // read and the wanted ones handed to on_push; false when `timeout` passed first.
  bool wait_handed(std::uint64_t next, std::chrono::milliseconds timeout);

  static constexpr std::uint64_t kWaitMs = 500;

private:
  void run();
  // Sleeps up to `delay` unless stop() comes first; false when stopping.
  bool pause(std::chrono::milliseconds delay);

  net::HttpEndpoint admin_;
  std::uint64_t after_;
  Handlers handlers_;
  std::mutex mutex_;
  std::condition_variable stopping_changed_;
  bool stopping_ = false;
  std::condition_variable handed_changed_;
  std::uint64_t handed_ = 0; // every delivery before this cursor was handed on
  std::thread thread_;       // last: starts once everything above is set
};

} // namespace fake_device::remote
