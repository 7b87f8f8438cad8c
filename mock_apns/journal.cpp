#include "mock_apns/journal.hpp"

#include "core/encoding.hpp"
#include "core/names.hpp"

#include <algorithm>
#include <sstream>

namespace mock_apns {
namespace {

// The admin API's journal JSON writes `auth_kind` in these words.
constexpr core::Names<AuthKind, 3> kAuthKindNames{{
    {AuthKind::None, "none"},
    {AuthKind::Certificate, "certificate"},
    {AuthKind::Token, "token"},
}};

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
  return out;
}

struct Journal::Slot {
  JournalEntry entry; // sequence 0: empty
};

Journal::Journal(std::size_t capacity)
    : capacity_(std::max<std::size_t>(capacity, 1)), slots_(std::make_unique<Slot[]>(capacity_)) {}

Journal::~Journal() = default;

std::uint64_t Journal::append(const JournalEntry& entry) {
  const std::uint64_t sequence = next_.fetch_add(1, std::memory_order_relaxed);
  if (entry.reason) {
    by_reason_[static_cast<std::size_t>(*entry.reason)].fetch_add(1, std::memory_order_relaxed);
  } else {
    accepted_.fetch_add(1, std::memory_order_relaxed);
  }
  if (entry.answer_dropped) answers_dropped_.fetch_add(1, std::memory_order_relaxed);
  const std::size_t index = sequence % capacity_;
  std::lock_guard lock(stripes_[index % kStripes]);
  // A slower writer of an older sequence must not overwrite a newer entry.
  if (slots_[index].entry.sequence < sequence) {
    slots_[index].entry = entry; // copy-assignment keeps the slot's string capacity
    slots_[index].entry.sequence = sequence;
  }
  return sequence;
}

std::vector<JournalEntry> Journal::query(const JournalFilter& filter, std::size_t limit) const {
  const std::uint64_t end = next_.load(std::memory_order_acquire);
  const std::uint64_t floor = cleared_before_.load(std::memory_order_acquire);
  const std::uint64_t begin = std::max(floor, end > capacity_ ? end - capacity_ : 1);
  std::vector<JournalEntry> out;
  // Newest first, so a limit keeps the most recent; reversed at the end.
  for (std::uint64_t seq = end; seq-- > begin && out.size() < limit;) {
    const std::size_t index = seq % capacity_;
    std::lock_guard lock(stripes_[index % kStripes]);
    const JournalEntry& entry = slots_[index].entry;
    if (entry.sequence == seq && mismatches(entry, filter).empty()) {
      out.push_back(entry);
    }
  }
  std::reverse(out.begin(), out.end());
  return out;
}

Verification Journal::verify(const JournalFilter& filter, CountExpectation expected) const {
  Verification result;
  const auto all = query({}, capacity_);
  std::vector<std::pair<std::size_t, const JournalEntry*>> near; // (fields missed, entry)
  for (const JournalEntry& entry : all) {
    const auto missed = mismatches(entry, filter);
    if (missed.empty()) {
      ++result.matched;
    } else {
      near.emplace_back(missed.size(), &entry);
    }
  }
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
      << all.size() << " in the journal)";
  std::stable_sort(near.begin(), near.end(),
                   [](const auto& a, const auto& b) { return a.first < b.first; });
  if (!near.empty()) {
    out << "; nearest:";
  }
  for (std::size_t i = 0; i < near.size() && i < 5; ++i) {
    const JournalEntry& entry = *near[i].second;
    out << "\n  " << describe(entry) << " - differs in:";
    for (const auto& field : mismatches(entry, filter)) {
      out << " " << field;
    }
    if (!entry.cause.empty()) {
      out << " (" << entry.cause << ")";
    }
  }
  result.message = out.str();
  return result;
}

JournalCounters Journal::counters() const {
  JournalCounters c;
  c.accepted = accepted_.load(std::memory_order_relaxed);
  c.requests = c.accepted;
  c.answers_dropped = answers_dropped_.load(std::memory_order_relaxed);
  for (int i = 0; i < kReasonCount; ++i) {
    const auto n = by_reason_[static_cast<std::size_t>(i)].load(std::memory_order_relaxed);
    if (n > 0) {
      c.by_reason.emplace(reason_text(static_cast<Reason>(i)), n);
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
