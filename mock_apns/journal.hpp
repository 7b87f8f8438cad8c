#pragma once
// Every request the mock answered, with its verdict and a plain-language cause (issue #4,
// "Journal and verification"). A ring of fixed size keeps memory flat through hours of load;
// exact counters beside it never forget. Thread-safe; appends from many I/O threads contend only
// on one of several stripes.
#include "core/clock.hpp"
#include "mock_apns/push_type.hpp"
#include "mock_apns/reason.hpp"
#include "pki/certificate.hpp"

#include <array>
#include <atomic>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace mock_apns {

// How the connection that carried a request authenticated, for code to decide on; a journal
// entry's `auth` says the same, with the key or certificate, for people.
enum class AuthKind {
  None,        // not known: an entry no connection wrote
  Certificate, // a client certificate, accepted or refused (`certificate_kind` only if accepted)
  Token,       // no client certificate: provider tokens, also before the first was accepted
};
std::string_view auth_kind_name(AuthKind kind); // "none" / "certificate" / "token"
std::optional<AuthKind> parse_auth_kind(std::string_view text);
std::string auth_kind_words(); // "none, certificate or token"

struct JournalEntry {
  std::uint64_t sequence = 0; // 1, 2, ... in append order
  core::TimePoint time;
  Environment environment = Environment::Sandbox;
  std::uint64_t connection_id = 0;
  std::string auth; // "token KB00000001 (TEAMA12345)", "certificate <CN>", or "none"
  AuthKind auth_kind = AuthKind::None;
  std::optional<pki::CertificateKind> certificate_kind; // of an accepted client certificate
  std::string method;
  std::string path;
  std::string apns_id; // as answered
  std::string token;
  std::string topic;
  std::optional<PushType> push_type;
  int status = 200;
  std::optional<Reason> reason;
  std::optional<std::int64_t> timestamp_ms;
  std::string cause; // why it was rejected and how to fix it; warnings on accepted requests
  std::size_t payload_bytes = 0;
  bool goaway = false;         // answered by closing the connection (apns-provider-api.md §3.4)
  bool answer_dropped = false; // never answered: a fault cut the connection instead
};

// Which entries a query or verification means; unset fields match everything.
struct JournalFilter {
  std::optional<Environment> environment;
  std::optional<std::string> token; // any letter case
  std::optional<std::string> topic;
  std::optional<PushType> push_type;
  std::optional<int> status;
  std::optional<Reason> reason;
  bool accepted_only = false;
  std::optional<core::TimePoint> since; // inclusive
  std::optional<core::TimePoint> until; // exclusive
};

// The fields of `filter` that `entry` does not satisfy, e.g. {"topic", "status"}.
std::vector<std::string> mismatches(const JournalEntry& entry, const JournalFilter& filter);

struct CountExpectation {
  enum class Kind { Exactly, AtLeast, AtMost };
  Kind kind = Kind::Exactly;
  std::uint64_t count = 1;
};

struct Verification {
  bool ok = false;
  std::uint64_t matched = 0;
  // When it failed: what was expected, what was found, and the nearest entries with the fields
  // each one missed.
  std::string message;
};

struct JournalCounters {
  std::uint64_t requests = 0;
  std::uint64_t accepted = 0;
  std::map<std::string, std::uint64_t> by_reason; // wire reason text → count
  std::uint64_t dropped = 0;                      // entries that no longer fit in the ring
  std::uint64_t answers_dropped = 0; // requests left unanswered by a connection-drop fault
};

class Journal {
public:
  explicit Journal(std::size_t capacity = 10'000);
  ~Journal();
  Journal(const Journal&) = delete;
  Journal& operator=(const Journal&) = delete;

  // Copies `entry` into the ring (reusing the replaced entry's string buffers, so a steady load
  // allocates nothing) and returns its sequence number.
  std::uint64_t append(const JournalEntry& entry);
  // Matching entries still in the ring, oldest first, at most `limit` (the newest ones).
  std::vector<JournalEntry> query(const JournalFilter& filter, std::size_t limit = 1000) const;
  Verification verify(const JournalFilter& filter, CountExpectation expected) const;
  JournalCounters counters() const;
  std::size_t capacity() const { return capacity_; }
  void clear();

private:
  static constexpr std::size_t kStripes = 64;
  struct Slot;
  std::size_t capacity_;
  std::unique_ptr<Slot[]> slots_;
  mutable std::array<std::mutex, kStripes> stripes_; // slot i is guarded by stripes_[i % kStripes]
  std::atomic<std::uint64_t> next_{1};
  std::atomic<std::uint64_t> cleared_before_{1}; // entries below this sequence were cleared
  std::atomic<std::uint64_t> accepted_{0};
  std::atomic<std::uint64_t> answers_dropped_{0};
  std::array<std::atomic<std::uint64_t>, kReasonCount> by_reason_{};
};

} // namespace mock_apns
