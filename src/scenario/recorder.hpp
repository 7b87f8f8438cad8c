#pragma once
// Turns the traffic a mock saw into a scenario skeleton that `voipsim run` replays (`voipsim
// mock-apns --record FILE`): one simulated device per VoIP token the mock knew, each request
// as a `push` step with the answer it got as its expectation, the time between requests as
// `advance` steps, and an uninstall where a token died. Pure: journal entries in, YAML text out.

#include "core/clock.hpp"
#include "mock_apns/journal.hpp"
#include "mock_apns/token_registry.hpp"

#include <chrono>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace scenario {

struct Recording {
  std::vector<mock_apns::JournalEntry> requests; // oldest first
  // The registry's record of a token when the recording ended; nullopt when unknown.
  std::function<std::optional<mock_apns::TokenRecord>(std::string_view token)> find_token;
  bool strict_tokens = true;
  std::chrono::milliseconds unregister_delay{0};
  std::uint64_t dropped = 0; // requests that no longer fitted in the journal ring
  core::TimePoint recorded_at{};
};

std::string record_scenario(const Recording& recording);

} // namespace scenario
