#pragma once
// Every request the mock answered, whole: what the client sent (headers, body), the answer, the
// verdict with a plain-language cause, and for an accepted push its delivery status as it moves
// (issue #4, "Journal and verification"; issue #20). A ring bounded by count and by bytes keeps
// memory flat through hours of load; exact counters beside it never forget. Thread-safe; appends
// from many I/O threads contend only on one of several stripes.
#include "core/clock.hpp"
#include "mock_apns/packed_headers.hpp"
#include "mock_apns/push_type.hpp"
#include "mock_apns/reason.hpp"
#include "net/message.hpp"
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

// Where an accepted push went, in the words of Apple's Push Notifications Console, then what the
// simulated device did with it when one is linked (issue #20).
enum class DeliveryStatus {
  Delivered,             // handed to the device at once
  Stored,                // kept while the device is offline (apns-provider-api.md §9)
  DeliveredFromStorage,  // handed over when the device came back
  DiscardedExpired,      // its expiration (or the grace of apns-expiration 0) passed while away
  DiscardedReplaced,     // a newer push to the same token and topic took its place while away
  DiscardedUnregistered, // accepted inside the unregister delay: no app takes it
                         // (apns-provider-api.md §5.3)
  Device,                // a step on the simulated device; `detail` says which
};
std::string_view delivery_status_name(DeliveryStatus status); // "Stored — device offline", ...
std::optional<DeliveryStatus> parse_delivery_status(std::string_view text);
std::string delivery_status_words();

struct DeliveryStep {
  core::TimePoint time;
  DeliveryStatus status = DeliveryStatus::Delivered;
  std::string detail; // Device steps: "call shown", "app killed (0xbaadca11)", ...
};

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
  std::optional<int> priority; // apns-priority as sent, when it was a number
  // What the client sent besides method and path: regular headers in arrival order (HTTP/2
  // names are lower case), the authorization header's JWT without its signature (see
  // redact_authorization), and the body up to the journal's body limit (payload_bytes is its
  // true size).
  PackedHeaders request_headers;
  std::string body;
  int status = 200;
  std::optional<Reason> reason;
  std::optional<std::int64_t> timestamp_ms;
  std::string cause; // why it was rejected and how to fix it; warnings on accepted requests
  std::size_t payload_bytes = 0;
  net::Headers answer_headers; // the answer as sent: `status`, these, then `answer_body`
  std::string answer_body;
  std::vector<DeliveryStep> delivery; // accepted pushes: oldest first
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
  std::optional<net::Header> header;    // a request header with this value (name any case)
  std::optional<std::string> text;      // occurs in the kept body
};

// The authorization header as the journal keeps it: a bearer JWT without its signature, whose
// size is appended ("bearer HEADER.CLAIMS; signature: 64 bytes"); anything else only by size.
// A signature, a key or a secret never reaches the journal (issue #20).
void redact_authorization(std::string_view value, std::string& out);

// How much the ring may keep. Every slot is bounded whatever clients send (the body, the headers
// kept, the texts taken from the request, the delivery steps), so that capacity x the slot's
// bound <= max_bytes: the ring keeps fewer entries rather than more memory.
struct JournalBounds {
  std::size_t capacity = 10'000;  // entries
  std::size_t body_limit = 5'120; // body bytes kept: any VoIP payload (apns-provider-api.md §4.4)
  std::size_t max_bytes = std::size_t{320} << 20; // lowers `capacity` when slots could exceed it
  // Request header bytes kept per entry (names, values and their bookkeeping); the fields
  // beyond are summed up in one last field. APNs requests use about 1 KB.
  std::size_t header_bytes = 4'096;
};
// The bytes one slot can hold at most under `bounds`.
std::size_t journal_slot_bytes(const JournalBounds& bounds);

// Texts a slot keeps from the request besides headers and body (path, token, topic) are cut to
// this many bytes: no valid request has longer ones.
inline constexpr std::size_t kJournalTextLimit = 256;
inline constexpr std::size_t kMaxDeliverySteps = 12;
inline constexpr std::size_t kMaxStepDetail = 120;

// What a request sent, into `entry` (its strings' buffers are reused): the headers within
// bounds.header_bytes (the authorization redacted), the body up to bounds.body_limit, the
// method and the path, so that no slot keeps more than journal_slot_bytes(). A string that grew
// past what it now holds is given back.
void keep_request(const net::Request& request, const JournalBounds& bounds, JournalEntry& entry);
// `text` cut to kJournalTextLimit, into `out`.
void keep_text(std::string_view text, std::string& out);

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
  std::map<int, std::uint64_t> by_status;         // HTTP status → count (200 included)
  std::uint64_t dropped = 0;                      // entries that no longer fit in the ring
  std::uint64_t answers_dropped = 0; // requests left unanswered by a connection-drop fault
};

class Journal {
public:
  explicit Journal(const JournalBounds& bounds = {});
  ~Journal();
  Journal(const Journal&) = delete;
  Journal& operator=(const Journal&) = delete;

  // Copies `entry` into the ring (into the replaced entry's buffer, so a steady load allocates
  // nothing) and returns its sequence number.
  std::uint64_t append(const JournalEntry& entry);
  // The two halves of append, for a writer that needs the sequence before the entry is whole
  // (a push's delivery status depends on the hand-off, which names the entry). An entry older
  // than the one its slot holds is not written (a slower writer of an older sequence).
  std::uint64_t reserve();
  void write(std::uint64_t sequence, const JournalEntry& entry);
  // Adds a delivery step to entry `sequence`; false when it is no longer in the ring.
  bool add_step(std::uint64_t sequence, DeliveryStep step);
  // The same for the newest entry answered with `apns_id`; false when the ring holds none.
  bool add_step_by_apns_id(std::string_view apns_id, DeliveryStep step);
  // The newest entry still in the ring answered with `apns_id` (any letter case).
  std::optional<JournalEntry> find(std::string_view apns_id) const;
  std::optional<JournalEntry> find_sequence(std::uint64_t sequence) const;
  // Matching entries still in the ring, oldest first, at most `limit` (the newest ones).
  std::vector<JournalEntry> query(const JournalFilter& filter, std::size_t limit = 1000) const;
  Verification verify(const JournalFilter& filter, CountExpectation expected) const;
  JournalCounters counters() const;
  std::size_t capacity() const { return capacity_; }
  const JournalBounds& bounds() const { return bounds_; }
  void clear();

private:
  static constexpr std::size_t kStripes = 64;
  // Calls visit(entry) on the entries in the ring, newest first, each under its stripe's lock,
  // until it returns false.
  template <typename Visit>
  void newest_first(Visit visit) const;
  // The same over the slots themselves: visit(slot, sequence), no entry decoded.
  template <typename Visit>
  void newest_slots(Visit visit) const;
  struct Slot {
    std::uint64_t sequence = 0; // 0: empty
    std::string record;         // the entry (journal_record.hpp)
  };
  // The sequence of the newest entry answered with `apns_id` (any letter case), 0 when none;
  // reads only that field of each record.
  std::uint64_t newest_with_apns_id(std::string_view apns_id) const;
  // Reads slot `index` into `out` if it holds entry `sequence`; the caller holds its stripe.
  bool read_slot(std::size_t index, std::uint64_t sequence, JournalEntry& out) const;
  void write_slot(std::size_t index, std::uint64_t sequence, const JournalEntry& entry);
  void count(std::optional<Reason> reason, bool answer_dropped);
  JournalBounds bounds_;
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
