#pragma once
// The mock's switches (apns-provider-api.md §10). Defaults are the spec's; each is a flag of
// `voipsim mock-apns` and a key of its JSON config file.
#include "mock_apns/reason.hpp"
#include "mock_apns/token_registry.hpp"

#include <chrono>
#include <cstdint>

namespace mock_apns {

struct Settings {
  // Strict: a token the registry does not hold is BadDeviceToken. Permissive: any well-formed
  // token is accepted, as an accept-all mock would (issue #4).
  bool strict_tokens = true;
  TokenSyntax token_syntax;
  // An unregistered token keeps getting 200 this long after its unregistration time, then 410
  // (APNs notices an uninstall late).
  std::chrono::milliseconds unregister_delay{0};

  ReasonSpelling env_key_reason_spelling = ReasonSpelling::Observed; // §5.4 notes
  bool per_stream_cert_env_errors = false; // BadCertificateEnvironment as 403, not GOAWAY (§3.4)
  bool strict_json = false;                // invalid JSON body: 400 BadPayload (§4.4)

  // Provider tokens (apns-provider-api.md §6.3).
  std::chrono::seconds token_max_age{3600};
  std::chrono::seconds token_max_future_skew{300};
  std::chrono::seconds token_refresh_interval{1200};

  // Per-token rate limit (apns-provider-api.md §9): more than `per_token_burst` requests within
  // `per_token_window` answer TooManyRequests. 0 turns it off (benchmarks).
  std::uint32_t per_token_burst = 20;
  std::chrono::seconds per_token_window{60};

  // HTTP/2 (apns-provider-api.md §3): the 2021 values APNs advertised.
  std::uint32_t max_concurrent_streams = 1000;
  std::uint32_t header_table_size = 4096;
  std::uint32_t initial_window_size = 65535;
  std::uint32_t max_frame_size = 16384;
  std::uint32_t max_header_list_size = 8000;

  // Error throttling (apns-provider-api.md §3.2), off by default.
  bool error_throttling = false;
  std::uint32_t error_budget = 50;
  std::uint32_t bad_device_token_budget = 10;

  std::chrono::milliseconds stream_idle_timeout{10'000};        // apns-provider-api.md §3.5
  std::chrono::milliseconds connection_idle_timeout{3'600'000}; // apns-provider-api.md §3.5

  // Store and forward (apns-provider-api.md §9): how long an `apns-expiration: 0` push waits for an
  // offline device.
  std::chrono::milliseconds zero_expiry_grace{30'000};

  bool operator==(const Settings&) const = default;
};

} // namespace mock_apns
