#include "mock_apns/faults.hpp"

#include "core/encoding.hpp"
#include "core/error.hpp"
#include "core/names.hpp"

#include <algorithm>

namespace mock_apns {
namespace {

// The admin API's words for a fault's scope.
constexpr core::Names<FaultScope, 4> kFaultScopeNames{{
    {FaultScope::Any, "any"},
    {FaultScope::Token, "token"},
    {FaultScope::Topic, "topic"},
    {FaultScope::Team, "team"},
}};

bool matches(const FaultRule& rule, std::string_view token, std::string_view topic,
             std::string_view team) {
  switch (rule.scope) {
  case FaultScope::Any:
    return true;
  case FaultScope::Token:
    return core::equal_ignoring_case(rule.match, token);
  case FaultScope::Topic:
    return rule.match == topic;
  case FaultScope::Team:
    return rule.match == team;
  }
  return false;
}

} // namespace

std::string_view fault_scope_name(FaultScope scope) {
  return core::name_of(kFaultScopeNames, scope);
}

std::optional<FaultScope> parse_fault_scope(std::string_view text) {
  return core::value_named(kFaultScopeNames, text);
}

std::string fault_scope_words() {
  return core::words_of(kFaultScopeNames);
}

core::Result<std::uint64_t> Faults::add(FaultRule rule) {
  if (rule.scope != FaultScope::Any && rule.match.empty()) {
    return core::fail(core::Errc::InvalidArgument, std::string("a fault for one ") +
                                                       std::string(fault_scope_name(rule.scope)) +
                                                       " needs the value to match");
  }
  if (rule.reason == Reason::Shutdown && !rule.goaway) {
    rule.goaway = Reason::Shutdown;
  }
  if (!rule.reason && !rule.goaway && !rule.drop && rule.latency.count() <= 0) {
    return core::fail(core::Errc::InvalidArgument,
                      "a fault needs a reason, a latency, a goaway reason or drop");
  }
  // A test waits for the answer; beyond an hour a delay only overflows the clock's arithmetic.
  if (rule.latency > std::chrono::hours(1)) {
    return core::fail(core::Errc::InvalidArgument, "a fault's latency must be at most 1 hour");
  }
  if (!(rule.probability > 0.0 && rule.probability <= 1.0)) {
    return core::fail(core::Errc::InvalidArgument,
                      "a fault's probability must be above 0 and at most 1");
  }
  if (rule.count == 0) {
    return core::fail(core::Errc::InvalidArgument,
                      "a fault's count must be positive, or negative for every request");
  }
  std::lock_guard lock(mutex_);
  const std::uint64_t id = next_id_++;
  rules_.push_back({id, std::move(rule), 0});
  any_.store(true, std::memory_order_release);
  return id;
}

bool Faults::remove(std::uint64_t id) {
  std::lock_guard lock(mutex_);
  const auto removed = std::erase_if(rules_, [&](const ListedFault& f) { return f.id == id; });
  any_.store(!rules_.empty(), std::memory_order_release);
  return removed > 0;
}

void Faults::clear() {
  std::lock_guard lock(mutex_);
  rules_.clear();
  any_.store(false, std::memory_order_release);
}

std::vector<ListedFault> Faults::list() const {
  std::lock_guard lock(mutex_);
  return rules_;
}

std::optional<FaultHit> Faults::take(std::string_view token, std::string_view topic,
                                     std::string_view team) {
  if (!any_.load(std::memory_order_acquire)) {
    return std::nullopt;
  }
  std::lock_guard lock(mutex_);
  for (auto it = rules_.begin(); it != rules_.end(); ++it) {
    FaultRule& rule = it->rule;
    if (!matches(rule, token, topic, team)) {
      continue;
    }
    if (rule.skip > 0) {
      --rule.skip;
      continue;
    }
    if (rule.probability < 1.0 &&
        std::generate_canonical<double, 53>(random_) >= rule.probability) {
      continue;
    }
    FaultHit hit{it->id, rule.reason, rule.latency, rule.goaway, rule.drop};
    ++it->applied;
    if (rule.count > 0 && --rule.count == 0) {
      rules_.erase(it);
      any_.store(!rules_.empty(), std::memory_order_release);
    }
    return hit;
  }
  return std::nullopt;
}

} // namespace mock_apns
