// A journal record gives back every field of the entry it was written from.
#include "mock_apns/journal_record.hpp"

#include <gtest/gtest.h>

namespace mock_apns {
namespace {

const core::TimePoint kNow =
    core::TimePoint(std::chrono::milliseconds(1'765'000'000'123)) + std::chrono::microseconds(456);

void expect_same(const JournalEntry& a, const JournalEntry& b) {
  EXPECT_EQ(a.time, b.time);
  EXPECT_EQ(a.environment, b.environment);
  EXPECT_EQ(a.connection_id, b.connection_id);
  EXPECT_EQ(a.auth, b.auth);
  EXPECT_EQ(a.auth_kind, b.auth_kind);
  EXPECT_EQ(a.certificate_kind, b.certificate_kind);
  EXPECT_EQ(a.method, b.method);
  EXPECT_EQ(a.path, b.path);
  EXPECT_EQ(a.apns_id, b.apns_id);
  EXPECT_EQ(a.token, b.token);
  EXPECT_EQ(a.topic, b.topic);
  EXPECT_EQ(a.push_type, b.push_type);
  EXPECT_EQ(a.priority, b.priority);
  EXPECT_EQ(a.request_headers, b.request_headers);
  EXPECT_EQ(a.body, b.body);
  EXPECT_EQ(a.status, b.status);
  EXPECT_EQ(a.reason, b.reason);
  EXPECT_EQ(a.timestamp_ms, b.timestamp_ms);
  EXPECT_EQ(a.cause, b.cause);
  EXPECT_EQ(a.payload_bytes, b.payload_bytes);
  ASSERT_EQ(a.answer_headers.size(), b.answer_headers.size());
  for (std::size_t i = 0; i < a.answer_headers.size(); ++i) {
    EXPECT_EQ(a.answer_headers[i].name, b.answer_headers[i].name);
    EXPECT_EQ(a.answer_headers[i].value, b.answer_headers[i].value);
  }
  EXPECT_EQ(a.answer_body, b.answer_body);
  ASSERT_EQ(a.delivery.size(), b.delivery.size());
  for (std::size_t i = 0; i < a.delivery.size(); ++i) {
    EXPECT_EQ(a.delivery[i].time, b.delivery[i].time);
    EXPECT_EQ(a.delivery[i].status, b.delivery[i].status);
    EXPECT_EQ(a.delivery[i].detail, b.delivery[i].detail);
  }
  EXPECT_EQ(a.goaway, b.goaway);
  EXPECT_EQ(a.answer_dropped, b.answer_dropped);
}

JournalEntry rejected_certificate_push() {
  JournalEntry e;
  e.time = kNow;
  e.environment = Environment::Production;
  e.connection_id = 42;
  e.auth = "certificate VoIP Services: com.example.app";
  e.auth_kind = AuthKind::Certificate;
  e.certificate_kind = pki::CertificateKind::VoipServices;
  e.method = "POST";
  e.path = "/3/device/ABCDEF";
  e.apns_id = "0a1b2c3d-0000-4000-8000-000000000001";
  e.token = "ABCDEF";
  e.topic = "com.example.app.voip";
  e.push_type = PushType::Voip;
  e.priority = 5;
  e.request_headers = {{"apns-topic", "com.example.app.voip"}, {"apns-push-type", "voip"}};
  e.body = std::string("{\"aps\":{}}\0binary", 17);
  e.status = 400;
  e.reason = Reason::BadDeviceToken;
  e.timestamp_ms = 1'765'000'000'000;
  e.cause = "the token is not 64 hex digits";
  e.payload_bytes = 17;
  e.answer_headers = {{"apns-id", "0a1b2c3d-0000-4000-8000-000000000001"}};
  e.answer_body = R"({"reason":"BadDeviceToken"})";
  e.delivery = {{kNow, DeliveryStatus::Stored, {}},
                {kNow + std::chrono::seconds(3), DeliveryStatus::Device, "call shown"}};
  e.goaway = true;
  e.answer_dropped = true;
  return e;
}

JournalEntry decoded(const JournalEntry& e, std::size_t body_limit = 5'120) {
  std::string record;
  encode_journal_entry(e, body_limit, record);
  JournalEntry out;
  decode_journal_entry(record, out);
  return out;
}

TEST(JournalRecord, GivesBackEveryField) {
  const JournalEntry e = rejected_certificate_push();
  expect_same(decoded(e), e);
}

TEST(JournalRecord, TextsAnotherFieldHoldsComeBackFromIt) {
  JournalEntry e = rejected_certificate_push(); // token at the path's end, apns-id answered
  e.answer_headers.push_back({"apns-unique-id", "5e6f0000-0000-4000-8000-000000000002"});
  expect_same(decoded(e), e);
  std::string shared, apart;
  encode_journal_entry(e, 5'120, shared);
  e.path = "/3/device/abcdef"; // another letter case: the token is kept apart
  e.answer_headers.front().value = "another id";
  encode_journal_entry(e, 5'120, apart);
  EXPECT_EQ(apart.size(), shared.size() + e.token.size() + e.answer_headers.front().name.size() +
                              e.answer_headers.front().value.size() + 8);
  expect_same(decoded(e), e);
}

TEST(JournalRecord, ItsApnsIdReadsWithoutDecoding) {
  const JournalEntry e = rejected_certificate_push();
  std::string record;
  encode_journal_entry(e, 5'120, record);
  EXPECT_EQ(journal_record_apns_id(record), e.apns_id);
}

TEST(JournalRecord, UnsetOptionalsStayUnset) {
  JournalEntry e; // a request refused before anything was read
  e.time = kNow;
  e.status = 403;
  const JournalEntry out = decoded(e);
  expect_same(out, e);
  EXPECT_FALSE(out.priority);
  EXPECT_FALSE(out.push_type);
  EXPECT_FALSE(out.certificate_kind);
  EXPECT_FALSE(out.reason);
  EXPECT_FALSE(out.timestamp_ms);
}

TEST(JournalRecord, ZeroValuedOptionalsStaySet) {
  JournalEntry e;
  e.priority = 0;
  e.timestamp_ms = 0;
  const JournalEntry out = decoded(e);
  EXPECT_EQ(out.priority, 0);
  EXPECT_EQ(out.timestamp_ms, 0);
}

TEST(JournalRecord, CutsTheBodyAtTheLimit) {
  JournalEntry e = rejected_certificate_push();
  e.body = std::string(100, 'x');
  EXPECT_EQ(decoded(e, 10).body, std::string(10, 'x'));
}

TEST(JournalRecord, DecodingReusesTheBuffersOfALongerEntry) {
  JournalEntry out = rejected_certificate_push();
  out.request_headers = {{"x-a", "1"}, {"x-b", "2"}, {"x-c", "3"}};
  out.answer_headers.resize(5);
  JournalEntry shorter;
  shorter.method = "GET";
  std::string record;
  encode_journal_entry(shorter, 5'120, record);
  decode_journal_entry(record, out);
  expect_same(out, shorter);
}

} // namespace
} // namespace mock_apns
