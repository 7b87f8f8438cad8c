#pragma once
// The hand-off from the mock to whoever plays the device (apns-provider-api.md §10, "Delivery
// hand-off"): every accepted notification is published to the subscribers, in process (fake_device)
// or through the admin API's stream. Thread-safe; subscribers run on the publishing I/O thread,
// must not block and must not subscribe or unsubscribe from inside the call (the bus holds its
// lock).
#include "core/clock.hpp"
#include "mock_apns/push_type.hpp"

#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <shared_mutex>
#include <string>

namespace mock_apns {

struct Delivery {
  std::uint64_t sequence = 0; // the journal entry of the request
  std::string apns_id;
  std::string unique_id; // apns-unique-id; sandbox only
  Environment environment = Environment::Sandbox;
  std::string token; // lower case
  std::string topic;
  PushType push_type = PushType::Alert;
  int priority = 10;
  std::optional<std::int64_t> expiration; // seconds; 0: try once, do not store
  std::string collapse_id;
  std::string payload;
  bool invalid_payload = false; // not a JSON object: the device drops it (§4.4)
  core::TimePoint received_at;
};

class DeliveryBus {
public:
  using Subscriber = std::function<void(const Delivery&)>;

  std::uint64_t subscribe(Subscriber subscriber);
  // After it returns, the subscriber is not running and will not be called again.
  bool unsubscribe(std::uint64_t id);
  void publish(const Delivery& delivery) const;

private:
  mutable std::shared_mutex mutex_;
  std::map<std::uint64_t, Subscriber> subscribers_;
  std::uint64_t next_id_ = 1;
};

} // namespace mock_apns
