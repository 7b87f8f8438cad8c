#include "mock_apns/journal.hpp"

#include "core/encoding.hpp"
#include "core/names.hpp"
#include "mock_apns/journal_record.hpp"

#include <algorithm>
#include <charconv>
#include <cstring>
#include <sstream>

namespace mock_apns {
namespace {

// The admin API's journal JSON writes `auth_kind` in these words.
constexpr core::Names<AuthKind, 3> kAuthKindNames{{
    {AuthKind::None, "none"},
    {AuthKind::Certificate, "certificate"},
    {AuthKind::Token, "token"},
}};

// The words of Apple's Push Notifications Console delivery log.
constexpr core::Names<DeliveryStatus, 7> kDeliveryStatusNames{{
    {DeliveryStatus::Delivered, "Delivered"},
    {DeliveryStatus::Stored, "Stored \u2014 device offline"},
    {DeliveryStatus::DeliveredFromStorage, "Delivered from storage"},
    {DeliveryStatus::DiscardedExpired, "Discarded \u2014 expired"},
    {DeliveryStatus::DiscardedReplaced, "Discarded \u2014 replaced by a newer notification"},
    {DeliveryStatus::DiscardedUnregistered, "Discarded \u2014 token unregistered"},
    {DeliveryStatus::Device, "Device"},
}};

// Record bytes besides what is counted apart: the answer (an error body and three headers),
// the cause, the auth text and the apns-id.
constexpr std::size_t kRecordExtraBytes = 2'048;

// Assigns and gives back a buffer that earlier, longer texts grew beyond twice what it holds.
void assign_kept(std::string& kept, std::string_view text) {
  kept.assign(text);
  if (kept.capacity() > 2 * kept.size() + 64) kept.shrink_to_fit();
}

bool has_header(const PackedHeaders& headers, const net::Header& wanted) {
  bool found = false;
  headers.for_each([&](std::string_view name, std::string_view value) {
    found = core::equal_ignoring_case(name, wanted.name) && value == wanted.value;
    return !found;
  });
  return found;
}

std::string describe(const JournalEntry& e) {
  std::ostringstream out;
  out << "#" << e.sequence << " " << core::to_string(e.environment) << " " << e.status;
  if (e.reason) {
    out << " " << reason_text(*e.reason);
  }
  out << " token=" << (e.token.empty() ? "-" : e.token.substr(0, 16) + "...")
      << " topic=" << (e.topic.empty() ? "-" : e.topic)
      << " push-type=" << (e.push_type ? push_type_name(*e.push_type) : "-");
  return out.str();
}

std::string describe(const JournalFilter& f) {
  std::ostringstream out;
  auto field = [&](const char* name, const std::string& value) {
    out << (out.tellp() > 0 ? " " : "") << name << "=" << value;
  };
  if (f.environment) field("environment", std::string(core::to_string(*f.environment)));
  if (f.token) field("token", *f.token);
  if (f.topic) field("topic", *f.topic);
  if (f.push_type) field("push-type", std::string(push_type_name(*f.push_type)));
  if (f.status) field("status", std::to_string(*f.status));
  if (f.reason) field("reason", std::string(reason_text(*f.reason)));
  if (f.accepted_only) field("accepted", "true");
  if (f.since) field("since", std::to_string(core::unix_millis(*f.since)));
  if (f.until) field("until", std::to_string(core::unix_millis(*f.until)));
  if (f.header) field("header", f.header->name + ":" + f.header->value);
  if (f.text) field("text", *f.text);
  const std::string text = out.str();
  return text.empty() ? "any request" : text;
}

} // namespace

std::string_view auth_kind_name(AuthKind kind) {
  return core::name_of(kAuthKindNames, kind);
}

std::optional<AuthKind> parse_auth_kind(std::string_view text) {
  return core::value_named(kAuthKindNames, text);
}

std::string auth_kind_words() {
  return core::words_of(kAuthKindNames);
}

std::string_view delivery_status_name(DeliveryStatus status) {
  return core::name_of(kDeliveryStatusNames, status);
}

std::optional<DeliveryStatus> parse_delivery_status(std::string_view text) {
  return core::value_named(kDeliveryStatusNames, text);
}

std::string delivery_status_words() {
  return core::words_of(kDeliveryStatusNames);
}

void redact_authorization(std::string_view value, std::string& out) {
  constexpr std::string_view kBearer = "bearer ";
  out.clear();
  // On every token-auth request: memchr/memrchr, not a byte loop.
  const char* first = static_cast<const char*>(std::memchr(value.data(), '.', value.size()));
  const char* last = static_cast<const char*>(memrchr(value.data(), '.', value.size()));
  const bool bearer = value.size() > kBearer.size() &&
                      core::equal_ignoring_case(value.substr(0, kBearer.size()), kBearer);
  char digits[24];
  if (!bearer || first == nullptr || first == last) {
    const auto end = std::to_chars(digits, digits + sizeof digits, value.size()).ptr;
    out.append("(not a bearer JWT; ").append(digits, end).append(" bytes)");
    return;
  }
  // base64url without padding: 4 characters carry 3 bytes.
  const std::size_t signature_chars =
      static_cast<std::size_t>(value.data() + value.size() - last - 1);
  const std::size_t signature_bytes = signature_chars / 4 * 3 + (signature_chars % 4) * 3 / 4;
  const auto end = std::to_chars(digits, digits + sizeof digits, signature_bytes).ptr;
  out.append(value.data(), static_cast<std::size_t>(last - value.data()))
      .append("; signature: ")
      .append(digits, end)
      .append(" bytes");
}

// A slot's record holds at most twice its bytes plus 64 (Journal::write_slot gives back more),
// and its bytes are bounded by what keep_request keeps.
std::size_t journal_slot_bytes(const JournalBounds& bounds) {
  const std::size_t texts = 4 * kJournalTextLimit; // method, path, token, topic
  const std::size_t record = bounds.body_limit + bounds.header_bytes + texts +
                             kMaxDeliverySteps * kMaxStepDetail + kRecordExtraBytes +
                             journal_record_overhead(3, kMaxDeliverySteps);
  return 2 * record + 64 + sizeof(std::uint64_t) + sizeof(std::string);
}

void keep_text(std::string_view text, std::string& out) {
  assign_kept(out, text.substr(0, std::min(text.size(), kJournalTextLimit)));
}

void keep_request(const net::Request& request, const JournalBounds& bounds, JournalEntry& entry) {
  keep_text(request.method, entry.method);
  keep_text(request.path, entry.path);
  const std::string_view body = request.body;
  assign_kept(entry.body, body.substr(0, std::min(body.size(), bounds.body_limit)));
  // Room for the last field that sums up what did not fit.
  constexpr std::size_t kSummaryBytes = 256;
  const std::size_t budget =
      bounds.header_bytes > kSummaryBytes ? bounds.header_bytes - kSummaryBytes : 0;
  PackedHeaders& kept = entry.request_headers;
  kept.clear();
  thread_local std::string redacted;
  std::size_t skipped = 0, skipped_bytes = 0;
  for (const net::Header& sent : request.headers) {
    std::string_view value = sent.value;
    if (sent.name == "authorization") {
      redact_authorization(sent.value, redacted);
      value = redacted;
    }
    if (skipped == 0 && kept.bytes() + PackedHeaders::cost(sent.name, value) <= budget) {
      kept.add(sent.name, value);
      continue;
    }
    ++skipped; // this field and every one after it
    skipped_bytes += sent.name.size() + sent.value.size();
  }
  if (skipped > 0) {
    kept.add("(not kept)", std::to_string(skipped) + " more header fields, " +
                               std::to_string(skipped_bytes) + " bytes, over the journal's " +
                               std::to_string(bounds.header_bytes) + "-byte bound");
  }
  // A buffer grown by an earlier, longer header block is given back.
  if (kept.capacity() > 2 * kept.bytes() + 64) kept.shrink_to_fit();
}

std::vector<std::string> mismatches(const JournalEntry& e, const JournalFilter& f) {
  std::vector<std::string> out;
  if (f.environment && e.environment != *f.environment) out.emplace_back("environment");
  if (f.token && !core::equal_ignoring_case(e.token, *f.token)) out.emplace_back("token");
  if (f.topic && e.topic != *f.topic) out.emplace_back("topic");
  if (f.push_type && e.push_type != f.push_type) out.emplace_back("push-type");
  if (f.status && e.status != *f.status) out.emplace_back("status");
  if (f.reason && e.reason != f.reason) out.emplace_back("reason");
  if (f.accepted_only && e.status != 200) out.emplace_back("accepted");
  if ((f.since && e.time < *f.since) || (f.until && e.time >= *f.until)) out.emplace_back("time");
  if (f.header && !has_header(e.request_headers, *f.header)) out.emplace_back("header");
  if (f.text && e.body.find(*f.text) == std::string::npos) out.emplace_back("text");
  return out;
}

Journal::Journal(const JournalBounds& bounds)
    : bounds_(bounds),
      capacity_(std::max<std::size_t>(
          std::min(bounds.capacity, bounds.max_bytes / journal_slot_bytes(bounds)), 1)),
      slots_(std::make_unique<Slot[]>(capacity_)) {}

Journal::~Journal() = default;

std::uint64_t Journal::append(const JournalEntry& entry) {
  const std::uint64_t sequence = reserve();
  write(sequence, entry);
  return sequence;
}

std::uint64_t Journal::reserve() {
  return next_.fetch_add(1, std::memory_order_relaxed);
}

void Journal::count(std::optional<Reason> reason, bool answer_dropped) {
  if (reason) {
    by_reason_[static_cast<std::size_t>(*reason)].fetch_add(1, std::memory_order_relaxed);
  } else {
    accepted_.fetch_add(1, std::memory_order_relaxed);
  }
  if (answer_dropped) answers_dropped_.fetch_add(1, std::memory_order_relaxed);
}

void Journal::write(std::uint64_t sequence, const JournalEntry& entry) {
  count(entry.reason, entry.answer_dropped);
  const std::size_t index = sequence % capacity_;
  std::lock_guard lock(stripes_[index % kStripes]);
  if (slots_[index].sequence >= sequence) return; // keep the newer
  write_slot(index, sequence, entry);
}

void Journal::write_slot(std::size_t index, std::uint64_t sequence, const JournalEntry& entry) {
  Slot& slot = slots_[index];
  encode_journal_entry(entry, bounds_.body_limit, slot.record);
  slot.sequence = sequence;
  // A buffer grown by an earlier, longer entry is given back.
  if (slot.record.capacity() > 2 * slot.record.size() + 64) slot.record.shrink_to_fit();
}

bool Journal::read_slot(std::size_t index, std::uint64_t sequence, JournalEntry& out) const {
  const Slot& slot = slots_[index];
  if (slot.sequence != sequence) return false;
  decode_journal_entry(slot.record, out);
  out.sequence = sequence;
  return true;
}

namespace {

// A push's steps are few (stored, replaced, ...; a device's handful): the bounds guard against
// a device link that reports without end or at length.
void push_step(JournalEntry& entry, DeliveryStep&& step) {
  if (entry.delivery.size() >= kMaxDeliverySteps) return;
  if (step.detail.size() > kMaxStepDetail) step.detail.resize(kMaxStepDetail);
  entry.delivery.push_back(std::move(step));
}

} // namespace

bool Journal::add_step(std::uint64_t sequence, DeliveryStep step) {
  const std::size_t index = sequence % capacity_;
  std::lock_guard lock(stripes_[index % kStripes]);
  thread_local JournalEntry entry; // its buffers serve every step this thread adds
  if (!read_slot(index, sequence, entry)) return false;
  push_step(entry, std::move(step));
  write_slot(index, sequence, entry);
  return true;
}

bool Journal::add_step_by_apns_id(std::string_view apns_id, DeliveryStep step) {
  // An entry written over in between is not found: add_step checks the sequence.
  const std::uint64_t sequence = newest_with_apns_id(apns_id);
  return sequence != 0 && add_step(sequence, std::move(step));
}

std::uint64_t Journal::newest_with_apns_id(std::string_view apns_id) const {
  std::uint64_t found = 0;
  newest_slots([&](const Slot& slot, std::uint64_t sequence) {
    if (core::equal_ignoring_case(journal_record_apns_id(slot.record), apns_id)) found = sequence;
    return found == 0;
  });
  return found;
}

std::optional<JournalEntry> Journal::find(std::string_view apns_id) const {
  const std::uint64_t sequence = newest_with_apns_id(apns_id);
  return sequence != 0 ? find_sequence(sequence) : std::nullopt;
}

std::optional<JournalEntry> Journal::find_sequence(std::uint64_t sequence) const {
  if (sequence == 0 || sequence < cleared_before_.load(std::memory_order_acquire))
    return std::nullopt;
  const std::size_t index = sequence % capacity_;
  std::lock_guard lock(stripes_[index % kStripes]);
  JournalEntry entry;
  if (!read_slot(index, sequence, entry)) return std::nullopt;
  return entry;
}

template <typename Visit>
void Journal::newest_slots(Visit visit) const {
  const std::uint64_t end = next_.load(std::memory_order_acquire);
  const std::uint64_t floor = cleared_before_.load(std::memory_order_acquire);
  const std::uint64_t begin = std::max(floor, end > capacity_ ? end - capacity_ : 1);
  for (std::uint64_t seq = end; seq-- > begin;) {
    const std::size_t index = seq % capacity_;
    std::lock_guard lock(stripes_[index % kStripes]);
    const Slot& slot = slots_[index];
    if (slot.sequence == seq && !visit(slot, seq)) return;
  }
}

template <typename Visit>
void Journal::newest_first(Visit visit) const {
  thread_local JournalEntry entry; // its buffers serve every entry this thread reads
  newest_slots([&](const Slot& slot, std::uint64_t sequence) {
    decode_journal_entry(slot.record, entry);
    entry.sequence = sequence;
    return visit(static_cast<const JournalEntry&>(entry));
  });
}

std::vector<JournalEntry> Journal::query(const JournalFilter& filter, std::size_t limit) const {
  std::vector<JournalEntry> out;
  // Newest first, so a limit keeps the most recent; reversed at the end.
  newest_first([&](const JournalEntry& entry) {
    if (out.size() >= limit) return false;
    if (mismatches(entry, filter).empty()) out.push_back(entry);
    return true;
  });
  std::reverse(out.begin(), out.end());
  return out;
}

Verification Journal::verify(const JournalFilter& filter, CountExpectation expected) const {
  Verification result;
  // The entries closest to the filter (fewest fields missed, then oldest), at most kNearest,
  // described when they are kept: no copy of the ring for a verification.
  constexpr std::size_t kNearest = 5;
  struct Near {
    std::size_t missed;
    std::uint64_t sequence;
    std::string text;
  };
  std::vector<Near> near;
  std::uint64_t seen = 0;
  newest_first([&](const JournalEntry& entry) {
    ++seen;
    const auto missed = mismatches(entry, filter);
    if (missed.empty()) {
      ++result.matched;
      return true;
    }
    const auto rank = [](const Near& n) { return std::pair(n.missed, n.sequence); };
    Near candidate{missed.size(), entry.sequence, {}};
    if (near.size() == kNearest && rank(candidate) >= rank(near.back())) return true;
    std::ostringstream text;
    text << describe(entry) << " - differs in:";
    for (const auto& field : missed) {
      text << " " << field;
    }
    if (!entry.cause.empty()) {
      text << " (" << entry.cause << ")";
    }
    candidate.text = text.str();
    const auto at =
        std::upper_bound(near.begin(), near.end(), candidate,
                         [&](const Near& a, const Near& b) { return rank(a) < rank(b); });
    near.insert(at, std::move(candidate));
    if (near.size() > kNearest) near.pop_back();
    return true;
  });
  switch (expected.kind) {
  case CountExpectation::Kind::Exactly:
    result.ok = result.matched == expected.count;
    break;
  case CountExpectation::Kind::AtLeast:
    result.ok = result.matched >= expected.count;
    break;
  case CountExpectation::Kind::AtMost:
    result.ok = result.matched <= expected.count;
    break;
  }
  if (result.ok) {
    return result;
  }
  static constexpr const char* kKinds[] = {"exactly", "at least", "at most"};
  std::ostringstream out;
  out << "expected " << kKinds[static_cast<int>(expected.kind)] << " " << expected.count
      << " request(s) matching " << describe(filter) << ", found " << result.matched << " (of "
      << seen << " in the journal)";
  if (!near.empty()) {
    out << "; nearest:";
  }
  for (const Near& n : near) {
    out << "\n  " << n.text;
  }
  result.message = out.str();
  return result;
}

JournalCounters Journal::counters() const {
  JournalCounters c;
  c.accepted = accepted_.load(std::memory_order_relaxed);
  c.requests = c.accepted;
  if (c.accepted > 0) c.by_status[200] = c.accepted;
  c.answers_dropped = answers_dropped_.load(std::memory_order_relaxed);
  for (int i = 0; i < kReasonCount; ++i) {
    const auto n = by_reason_[static_cast<std::size_t>(i)].load(std::memory_order_relaxed);
    if (n > 0) {
      c.by_reason.emplace(reason_text(static_cast<Reason>(i)), n);
      c.by_status[reason_status(static_cast<Reason>(i))] += n;
      c.requests += n;
    }
  }
  const std::uint64_t written = next_.load(std::memory_order_relaxed) - 1;
  c.dropped = written > capacity_ ? written - capacity_ : 0;
  return c;
}

void Journal::clear() {
  cleared_before_.store(next_.load(std::memory_order_acquire), std::memory_order_release);
  accepted_.store(0, std::memory_order_relaxed);
  answers_dropped_.store(0, std::memory_order_relaxed);
  for (auto& n : by_reason_) {
    n.store(0, std::memory_order_relaxed);
  }
}

} // namespace mock_apns
