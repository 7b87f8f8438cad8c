#pragma once
// What the device receives: the mock's delivery record for one accepted request
// (apns-provider-api.md §10 "Delivery hand-off"), or a push injected from a .apns file.

#include "core/clock.hpp"
#include "fake_device/token_authority.hpp"

#include <cstdint>
#include <optional>
#include <string>

namespace fake_device {

struct Push {
  std::string apns_id;                  // canonical UUID text, as the mock answered it
  std::optional<std::string> unique_id; // apns-unique-id (sandbox only)
  ApsEnvironment environment = ApsEnvironment::Sandbox;
  std::string token;     // hex device token the request was addressed to
  std::string topic;     // apns-topic, e.g. "com.example.imapp.voip"
  std::string push_type; // apns-push-type as sent or inferred: "voip", "alert", ...
  int priority = 10;
  std::optional<std::int64_t> expiration; // apns-expiration, UNIX seconds; absent if not sent
  std::optional<std::string> collapse_id;
  std::string payload; // the request body, JSON text
  core::TimePoint accepted_at{};
};

} // namespace fake_device
