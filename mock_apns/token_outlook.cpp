#include "mock_apns/token_outlook.hpp"

#include <algorithm>
#include <cstdint>

namespace mock_apns {
namespace {

bool starts_with(const std::string& text, std::string_view prefix) {
  return text.rfind(prefix, 0) == 0;
}

// What the linked device last said about this token's pushes: kills, the blocked state, a call
// shown. Steps are read newest request first.
void read_device_steps(const TokenFacts& facts, TokenOutlook& out, bool& blocked,
                       std::optional<bool>& rang) {
  for (const JournalEntry& entry : facts.requests) {
    for (auto step = entry.delivery.rbegin(); step != entry.delivery.rend(); ++step) {
      if (step->status != DeliveryStatus::Device) continue;
      if (starts_with(step->detail, "app killed")) ++out.kills;
      // Only what came after the last call shown counts: a reinstall unblocks the app.
      if (!rang && starts_with(step->detail, "dropped: the app is blocked")) blocked = true;
      if (!rang && step->detail == "call shown") rang = true;
      if (!rang &&
          (starts_with(step->detail, "app killed") || starts_with(step->detail, "call rejected") ||
           starts_with(step->detail, "dropped")))
        rang = false;
    }
  }
}

} // namespace

TokenOutlook token_outlook(const TokenFacts& facts) {
  TokenOutlook out;
  const auto accepted = std::find_if(facts.requests.begin(), facts.requests.end(),
                                     [](const JournalEntry& e) { return e.status == 200; });
  if (accepted != facts.requests.end()) out.last_push = accepted->time;

  if (!facts.record) {
    out.can_push = !facts.strict_tokens;
    out.summary = facts.strict_tokens ? "unknown: a push gets 400 BadDeviceToken"
                                      : "unknown, accepted (the mock is permissive)";
    out.notes.push_back("the mock's registry does not hold this token; a device registers it "
                        "when its app gets its PushKit token");
    return out;
  }
  const TokenRecord& record = *facts.record;
  const std::string since = core::iso8601_millis(core::from_unix_millis(record.timestamp_ms));
  if (record.state == TokenState::Unregistered) {
    // In milliseconds, saturating: an admin may set any timestamp (as validate.cpp does).
    const std::int64_t delay = facts.unregister_delay.count();
    const std::int64_t confirmed_ms =
        record.timestamp_ms > INT64_MAX - delay ? INT64_MAX : record.timestamp_ms + delay;
    const auto confirmed = core::from_unix_millis(confirmed_ms);
    out.can_push = facts.now <
                   confirmed; // inside the delay APNs still answers 200 (apns-provider-api.md §5.3)
    out.summary = "unregistered since " + since;
    out.notes.push_back(out.can_push
                            ? "APNs still answers 200 until " + core::iso8601_millis(confirmed) +
                                  ", but no app takes the push"
                            : "a push gets 410 Unregistered; stop sending to it");
    out.would_ring = false;
    return out;
  }
  if (record.state == TokenState::Expired) {
    out.summary = "expired since " + since;
    out.notes.push_back("a push gets 410 ExpiredToken; wait for the app to report a new token");
    out.would_ring = false;
    return out;
  }
  out.can_push = true;
  const auto newest = facts.requests.empty() ? nullptr : &facts.requests.front();
  if (newest != nullptr && newest->reason == Reason::TooManyRequests &&
      facts.now < newest->time + facts.rate_window) {
    out.can_push = false;
    out.summary = "rate-limited";
    out.notes.push_back("the last request got 429 TooManyRequests at " +
                        core::iso8601_millis(newest->time) + "; slow down");
  }
  if (!facts.reachable) {
    out.summary = "device offline, " + std::to_string(facts.held) + " held";
    out.notes.push_back("APNs answers 200 and keeps the latest push per topic until the device "
                        "is back or the push expires (apns-provider-api.md §9)");
  }
  bool blocked = false;
  std::optional<bool> rang;
  read_device_steps(facts, out, blocked, rang);
  if (out.kills > 0)
    out.notes.push_back("the app was killed " + std::to_string(out.kills) +
                        (out.kills == 1 ? " time" : " times") +
                        " for not reporting a call (pushkit-callkit.md §7.4)");
  if (blocked) {
    out.would_ring = false;
    out.notes.push_back("the device drops VoIP pushes to this app until it is reinstalled");
    if (out.summary.empty()) out.summary = "blocked until reinstall";
  } else if (rang) {
    out.would_ring = *rang;
  }
  if (out.summary.empty()) out.summary = "active, reachable";
  return out;
}

} // namespace mock_apns
