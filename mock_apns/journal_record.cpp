#include "mock_apns/journal_record.hpp"

#include "core/device_token.hpp"

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <span>
#include <type_traits>

namespace mock_apns {
namespace {

// The fields of fixed size, copied as one block.
struct Fixed {
  std::int64_t time_ns = 0;
  std::uint64_t connection_id = 0;
  std::int64_t timestamp_ms = 0;
  std::uint64_t payload_bytes = 0;
  std::int32_t status = 0;
  std::int32_t priority = 0;
  std::int16_t reason = -1; // -1: none
  std::int8_t certificate_kind = -1;
  std::int8_t push_type = -1;
  std::uint8_t environment = 0;
  std::uint8_t auth_kind = 0;
  std::uint8_t flags = 0;
};
static_assert(std::is_trivially_copyable_v<Fixed>);

enum Flag : std::uint8_t {
  kHasPriority = 1,
  kHasTimestamp = 2,
  kGoaway = 4,
  kAnswerDropped = 8,
  // Texts the record leaves out because another field holds them already (fewer bytes, fewer
  // cache lines to write): the token at the end of the path, the answer's apns-id.
  kTokenInPath = 16,
  kAnswerIdIsApnsId = 32,
};

constexpr std::string_view kApnsIdField = "apns-id";

struct StepFixed {
  std::int64_t time_ns = 0;
  std::uint8_t status = 0;
};

using Length = std::uint32_t; // texts up to the body limit (at most 16 MiB)

template <typename Enum>
std::int8_t code_of(const std::optional<Enum>& value) {
  return value ? static_cast<std::int8_t>(*value) : std::int8_t{-1};
}

template <typename Enum>
std::optional<Enum> enum_of(std::int64_t code) {
  if (code < 0) return std::nullopt;
  return static_cast<Enum>(code);
}

std::int64_t nanos(core::TimePoint t) {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(t.time_since_epoch()).count();
}

core::TimePoint time_of(std::int64_t ns) {
  return core::TimePoint(
      std::chrono::duration_cast<core::TimePoint::duration>(std::chrono::nanoseconds(ns)));
}

class Writer {
public:
  explicit Writer(char* at) : at_(at) {}
  template <typename Block>
  void block(const Block& b) {
    std::memcpy(at_, &b, sizeof b);
    at_ += sizeof b;
  }
  void text(std::string_view t) {
    block(static_cast<Length>(t.size()));
    if (!t.empty()) std::memcpy(at_, t.data(), t.size());
    at_ += t.size();
  }

  const char* at() const { return at_; }

private:
  char* at_;
};

class Reader {
public:
  explicit Reader(std::string_view record) : at_(record.data()) {}
  template <typename Block>
  Block block() {
    Block b;
    std::memcpy(&b, at_, sizeof b);
    at_ += sizeof b;
    return b;
  }
  std::string_view text() {
    const auto length = block<Length>();
    const std::string_view t(at_, length);
    at_ += length;
    return t;
  }

private:
  const char* at_;
};

} // namespace

std::string_view journal_record_apns_id(std::string_view record) {
  Reader r(record);
  r.block<Fixed>();
  for (int skipped = 0; skipped < 3; ++skipped) // auth, method, path: in encode's order
    r.text();
  return r.text();
}

std::size_t journal_record_overhead(std::size_t answer_fields, std::size_t steps) {
  // Nine texts (auth, method, path, apns_id, token, topic, body, cause, answer_body), the
  // request headers' count and bytes, the answer fields' count, the steps' count.
  constexpr std::size_t kLengths = 9 + 2 + 1 + 1;
  return sizeof(Fixed) + kLengths * sizeof(Length) + answer_fields * 2 * sizeof(Length) +
         steps * (sizeof(StepFixed) + sizeof(Length));
}

void encode_journal_entry(const JournalEntry& e, std::size_t body_limit, std::string& out) {
  const std::string_view body = std::string_view(e.body).substr(0, body_limit);
  const std::string_view path = e.path;
  const bool token_in_path = !e.token.empty() &&
                             path.size() == core::kDevicePathPrefix.size() + e.token.size() &&
                             path.starts_with(core::kDevicePathPrefix) && path.ends_with(e.token);
  const std::string_view token = token_in_path ? std::string_view() : std::string_view(e.token);
  const bool answer_id_is_apns_id = !e.answer_headers.empty() &&
                                    e.answer_headers.front().name == kApnsIdField &&
                                    e.answer_headers.front().value == e.apns_id;
  const auto answer = std::span(e.answer_headers).subspan(answer_id_is_apns_id ? 1 : 0);
  std::size_t size = journal_record_overhead(answer.size(), e.delivery.size()) + e.auth.size() +
                     e.method.size() + path.size() + e.apns_id.size() + token.size() +
                     e.topic.size() + body.size() + e.cause.size() + e.answer_body.size() +
                     e.request_headers.bytes();
  for (const net::Header& h : answer)
    size += h.name.size() + h.value.size();
  for (const DeliveryStep& s : e.delivery)
    size += s.detail.size();

  Fixed f;
  f.time_ns = nanos(e.time);
  f.connection_id = e.connection_id;
  f.timestamp_ms = e.timestamp_ms.value_or(0);
  f.payload_bytes = e.payload_bytes;
  f.status = e.status;
  f.priority = e.priority.value_or(0);
  f.reason = e.reason ? static_cast<std::int16_t>(*e.reason) : std::int16_t{-1};
  f.certificate_kind = code_of(e.certificate_kind);
  f.push_type = code_of(e.push_type);
  f.environment = static_cast<std::uint8_t>(e.environment);
  f.auth_kind = static_cast<std::uint8_t>(e.auth_kind);
  f.flags = static_cast<std::uint8_t>(
      (e.priority ? kHasPriority : 0) | (e.timestamp_ms ? kHasTimestamp : 0) |
      (e.goaway ? kGoaway : 0) | (e.answer_dropped ? kAnswerDropped : 0) |
      (token_in_path ? kTokenInPath : 0) | (answer_id_is_apns_id ? kAnswerIdIsApnsId : 0));
  out.resize(size);
  Writer w(out.data());
  w.block(f);
  for (std::string_view t : {std::string_view(e.auth), std::string_view(e.method), path,
                             std::string_view(e.apns_id), token, std::string_view(e.topic), body,
                             std::string_view(e.cause), std::string_view(e.answer_body)})
    w.text(t);
  w.block(static_cast<Length>(e.request_headers.size()));
  w.text(e.request_headers.packed());
  w.block(static_cast<Length>(answer.size()));
  for (const net::Header& h : answer) {
    w.text(h.name);
    w.text(h.value);
  }
  w.block(static_cast<Length>(e.delivery.size()));
  for (const DeliveryStep& s : e.delivery) {
    w.block(StepFixed{nanos(s.time), static_cast<std::uint8_t>(s.status)});
    w.text(s.detail);
  }
  // The size above and the writes must agree: a record written past its end corrupts the heap.
  if (w.at() != out.data() + out.size()) {
    std::fprintf(stderr, "journal record: wrote %td bytes into %zu\n", w.at() - out.data(),
                 out.size());
    std::abort();
  }
}

void decode_journal_entry(std::string_view record, JournalEntry& e) {
  Reader r(record);
  const auto f = r.block<Fixed>();
  e.time = time_of(f.time_ns);
  e.connection_id = f.connection_id;
  e.timestamp_ms.reset();
  if (f.flags & kHasTimestamp) e.timestamp_ms = f.timestamp_ms;
  e.payload_bytes = static_cast<std::size_t>(f.payload_bytes);
  e.status = f.status;
  e.priority.reset();
  if (f.flags & kHasPriority) e.priority = f.priority;
  e.reason = enum_of<Reason>(f.reason);
  e.certificate_kind = enum_of<pki::CertificateKind>(f.certificate_kind);
  e.push_type = enum_of<PushType>(f.push_type);
  e.environment = static_cast<Environment>(f.environment);
  e.auth_kind = static_cast<AuthKind>(f.auth_kind);
  e.goaway = (f.flags & kGoaway) != 0;
  e.answer_dropped = (f.flags & kAnswerDropped) != 0;
  for (std::string* t : {&e.auth, &e.method, &e.path, &e.apns_id, &e.token, &e.topic, &e.body,
                         &e.cause, &e.answer_body})
    t->assign(r.text());
  if (f.flags & kTokenInPath)
    e.token.assign(std::string_view(e.path).substr(core::kDevicePathPrefix.size()));
  const auto header_count = r.block<Length>();
  e.request_headers.assign_packed(r.text(), header_count);
  const std::size_t first = (f.flags & kAnswerIdIsApnsId) ? 1 : 0;
  e.answer_headers.resize(first + r.block<Length>());
  if (first == 1) {
    e.answer_headers.front().name.assign(kApnsIdField);
    e.answer_headers.front().value.assign(e.apns_id);
  }
  for (net::Header& h : std::span(e.answer_headers).subspan(first)) {
    h.name.assign(r.text());
    h.value.assign(r.text());
  }
  e.delivery.resize(r.block<Length>());
  for (DeliveryStep& s : e.delivery) {
    const auto step = r.block<StepFixed>();
    s.time = time_of(step.time_ns);
    s.status = static_cast<DeliveryStatus>(step.status);
    s.detail.assign(r.text());
  }
}

} // namespace mock_apns
