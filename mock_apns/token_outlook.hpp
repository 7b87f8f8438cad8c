#pragma once
// "Can this token get a VoIP push right now, and would it ring?" (issue #20, the console's token
// view): the registry's record, store and forward, the last answers and what a linked device
// reported, read into one verdict with a sentence for people. Pure: the caller gathers the
// inputs, so the rules are tested without a server.
#include "core/clock.hpp"
#include "mock_apns/journal.hpp"
#include "mock_apns/token_registry.hpp"

#include <chrono>
#include <cstddef>
#include <optional>
#include <string>
#include <vector>

namespace mock_apns {

struct TokenFacts {
  std::string token;
  std::optional<TokenRecord> record; // nullopt: the registry does not hold it
  bool strict_tokens = true;
  std::chrono::milliseconds unregister_delay{0};
  std::chrono::seconds rate_window{60}; // a 429 older than this no longer limits
  bool reachable = true;
  std::size_t held = 0;               // pushes kept while the device is away
  std::vector<JournalEntry> requests; // this token's, newest first (a few are enough)
  core::TimePoint now;
};

struct TokenOutlook {
  bool can_push = false;          // a push sent now would get 200
  std::optional<bool> would_ring; // nullopt: no device reported anything about this token
  std::string summary;            // e.g. "device offline, 1 held"
  std::vector<std::string> notes; // the facts behind it, one sentence each
  std::optional<core::TimePoint> last_push;
  std::size_t kills = 0; // "app killed" steps a linked device reported
};

TokenOutlook token_outlook(const TokenFacts& facts);

} // namespace mock_apns
