#pragma once
// Faults a test injects (issue #4, apns-provider-api.md §10): the next N matching requests answered
// with a given reason, delayed, followed by a GOAWAY or left unanswered on a dropped connection;
// every one of them, or each with a probability drawn from a seeded generator (for soaks).
// Thread-safe; with no rule set, checking costs one atomic load.
#include "core/result.hpp"
#include "mock_apns/reason.hpp"

#include <atomic>
#include <chrono>
#include <cstdint>
#include <mutex>
#include <optional>
#include <random>
#include <string>
#include <string_view>
#include <vector>

namespace mock_apns {

enum class FaultScope { Any, Token, Topic, Team };
std::string_view fault_scope_name(FaultScope scope); // "any" / "token" / "topic" / "team"
std::optional<FaultScope> parse_fault_scope(std::string_view text);
std::string fault_scope_words(); // "any, token, topic or team"

struct FaultRule {
  FaultScope scope = FaultScope::Any;
  std::string match;            // the token (any case), topic or team id; unused for Any
  std::uint64_t skip = 0;       // matching requests let through untouched before the rule applies
  std::int64_t count = 1;       // requests it applies to; negative: every one from then on
  std::optional<Reason> reason; // answer with this reason instead of validating further
  std::chrono::milliseconds latency{0}; // delay the answer
  // After answering, close the connection with GOAWAY {"reason": ...}. A Shutdown reason
  // implies GOAWAY Shutdown (spec V71).
  std::optional<Reason> goaway;
  // Instead of answering, cut the connection (no GOAWAY), after validating and, when the push
  // is accepted, delivering it: the client cannot know whether APNs took the push, as after a
  // real network failure.
  bool drop = false;
  // Each matching request (after `skip`) is hit with this chance, in (0, 1]; a request it
  // misses goes on to the next rule and does not use up `count`.
  double probability = 1.0;

  bool operator==(const FaultRule&) const = default;
};

struct FaultHit {
  std::uint64_t rule_id = 0;
  std::optional<Reason> reason;
  std::chrono::milliseconds latency{0};
  std::optional<Reason> goaway;
  bool drop = false;
};

struct ListedFault {
  std::uint64_t id = 0;
  FaultRule rule;
  std::uint64_t applied = 0; // requests it has answered so far

  bool operator==(const ListedFault&) const = default;
};

class Faults {
public:
  // `seed` drives the draws of rules with a probability below 1.
  explicit Faults(std::uint64_t seed = 0) : random_(seed) {}

  // Returns the rule's id. InvalidArgument when it would do nothing or lacks its match value.
  core::Result<std::uint64_t> add(FaultRule rule);
  bool remove(std::uint64_t id);
  void clear();
  std::vector<ListedFault> list() const;

  // The first rule matching the request consumes one use and says what to do.
  std::optional<FaultHit> take(std::string_view token, std::string_view topic,
                               std::string_view team);

private:
  mutable std::mutex mutex_;
  std::vector<ListedFault> rules_;
  std::uint64_t next_id_ = 1;
  std::mt19937_64 random_;
  std::atomic<bool> any_{false};
};

} // namespace mock_apns
