#pragma once
// Duplicate sends (im-voip-flow.md §4.3, "Duplicate sends"): a send that repeats the (sender,
// receiver, random) of a message stored in the last 60 s is that message: not stored or pushed
// again, answered with the first one's id. This remembers the sends of the last window, by key;
// a send whose first copy is still being stored waits for its id. Thread-safe; no I/O.

#include "core/clock.hpp"

#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <tuple>
#include <vector>

namespace pipeline {

inline constexpr auto kDuplicateWindow = std::chrono::seconds(60);

class RecentSends {
public:
  struct Key {
    std::string sender;
    std::string receiver;
    std::uint64_t random = 0;
    auto operator<=>(const Key&) const = default;
  };
  using IdReady = std::function<void(std::optional<std::string>)>; // nullopt: the first failed

  // What to do with a send of `key` at `now`:
  enum class Seen {
    New,     // the first: store it, then call stored() or failed()
    Known,   // a duplicate of a stored message: `known` holds its id
    Waiting, // a duplicate of one being stored: `ready` is called with its id later
  };
  Seen check(const Key& key, core::TimePoint now, IdReady ready, std::string* known);
  // The first copy of `key` is stored as `message_id` (at `at`): waiting duplicates get it.
  void stored(const Key& key, const std::string& message_id, core::TimePoint at);
  // It could not be stored: waiting duplicates get nullopt, and the key is forgotten.
  void failed(const Key& key);
  // A message stored before a restart, for the window to hold (Store::recent_sends).
  void remember(const Key& key, const std::string& message_id, core::TimePoint at);

private:
  struct Entry {
    std::optional<std::string> message_id; // nullopt while the first copy is being stored
    core::TimePoint at{};
    std::vector<IdReady> waiting;
  };
  void forget_older_than(core::TimePoint oldest);

  std::mutex mutex_;
  std::map<Key, Entry> entries_;
  std::deque<std::pair<core::TimePoint, Key>> by_time_; // stored entries, oldest first
};

} // namespace pipeline
