// The journal keeps whole requests within its bounds (issue #20): the authorization header
// without its signature, bodies up to the limit with their true size, a ring bounded by count
// and by bytes whatever clients send, lookups by apns-id, header and payload text, and the
// delivery steps of a push.
#include "mock_apns/journal.hpp"

#include <fstream>
#include <string>

#include <gtest/gtest.h>
#include <unistd.h>

namespace mock_apns {
namespace {

const core::TimePoint kNow = core::from_unix_seconds(1767225600);

JournalEntry request(std::string apns_id, std::string body = R"({"aps":{}})") {
  JournalEntry e;
  e.time = kNow;
  e.apns_id = std::move(apns_id);
  e.token = "aabb";
  e.topic = "com.example.imapp.voip";
  e.push_type = PushType::Voip;
  e.request_headers = {{"apns-push-type", "voip"}, {"apns-collapse-id", "call-1"}};
  e.payload_bytes = body.size();
  e.body = std::move(body);
  return e;
}

// Resident memory of this process, from /proc/self/statm (pages).
std::size_t resident_bytes() {
  std::ifstream statm("/proc/self/statm");
  std::size_t size = 0, resident = 0;
  statm >> size >> resident;
  return resident * static_cast<std::size_t>(sysconf(_SC_PAGESIZE));
}

TEST(RedactAuthorization, KeepsTheJwtHeaderAndClaimsAndOnlyTheSizeOfTheSignature) {
  std::string kept;
  // ES256: 64 signature bytes are 86 base64url characters.
  const std::string signature(86, 'S');
  redact_authorization("bearer eyJhbGciOiJFUzI1NiJ9.eyJpc3MiOiJUIn0." + signature, kept);
  EXPECT_EQ(kept, "bearer eyJhbGciOiJFUzI1NiJ9.eyJpc3MiOiJUIn0; signature: 64 bytes");
  EXPECT_EQ(kept.find("SSS"), std::string::npos);
}

TEST(RedactAuthorization, AnythingButABearerJwtIsKeptOnlyBySize) {
  std::string kept;
  redact_authorization("Basic c2VjcmV0OnNlY3JldA==", kept);
  EXPECT_EQ(kept, "(not a bearer JWT; 26 bytes)");
  redact_authorization("bearer only.onedot", kept);
  EXPECT_EQ(kept, "(not a bearer JWT; 18 bytes)") << "no signature to cut: nothing is kept";
}

TEST(Journal, KeepsHeadersBodyAndAnswerAndFindsARequestByItsApnsId) {
  Journal journal;
  JournalEntry e = request("6F0E0A4C-0000-4000-8000-000000000001");
  e.answer_headers = {{"apns-id", e.apns_id}};
  journal.append(e);
  journal.append(request("6F0E0A4C-0000-4000-8000-000000000002"));
  const auto found = journal.find("6f0e0a4c-0000-4000-8000-000000000001");
  ASSERT_TRUE(found) << "apns-ids compare in any letter case";
  EXPECT_EQ(found->request_headers.size(), 2u);
  EXPECT_EQ(found->request_headers[1].name, "apns-collapse-id");
  EXPECT_EQ(found->body, R"({"aps":{}})");
  ASSERT_EQ(found->answer_headers.size(), 1u);
  EXPECT_FALSE(journal.find("6F0E0A4C-0000-4000-8000-000000000009"));
}

TEST(Journal, FiltersByAnyHeaderAndByTextInThePayload) {
  Journal journal;
  journal.append(request("A", R"({"aps":{},"caller":"alice"})"));
  JournalEntry other = request("B", R"({"aps":{},"caller":"bob"})");
  other.request_headers[1].value = "call-2";
  journal.append(other);
  JournalFilter by_header;
  by_header.header = net::Header{"APNS-Collapse-Id", "call-2"};
  const auto collapsed = journal.query(by_header);
  ASSERT_EQ(collapsed.size(), 1u);
  EXPECT_EQ(collapsed[0].apns_id, "B");
  JournalFilter by_text;
  by_text.text = "alice";
  const auto alice = journal.query(by_text);
  ASSERT_EQ(alice.size(), 1u);
  EXPECT_EQ(alice[0].apns_id, "A");
  const auto failed = journal.verify(by_text, {CountExpectation::Kind::Exactly, 2});
  EXPECT_FALSE(failed.ok);
  EXPECT_NE(failed.message.find("differs in: text"), std::string::npos) << failed.message;
}

TEST(Journal, KeepsTheBodyUpToItsLimitWithTheTrueSizeBeside) {
  JournalBounds bounds;
  bounds.body_limit = 16;
  Journal journal(bounds);
  journal.append(request("A", std::string(5000, 'x')));
  const auto kept = journal.query({});
  ASSERT_EQ(kept.size(), 1u);
  EXPECT_EQ(kept[0].body.size(), 16u);
  EXPECT_EQ(kept[0].payload_bytes, 5000u);
}

TEST(Journal, TheBytesBoundLowersTheCapacityWhenSlotsCouldExceedIt) {
  JournalBounds bounds;
  bounds.capacity = 10'000;
  bounds.max_bytes = std::size_t{8} << 20;
  const Journal journal(bounds);
  EXPECT_EQ(journal.capacity(), bounds.max_bytes / journal_slot_bytes(bounds));
  EXPECT_LT(journal.capacity(), 10'000u);
  EXPECT_EQ(Journal(JournalBounds{}).capacity(), 10'000u) << "the defaults fit their bound";
}

// Acceptance 3 of issue #20: 100,000 requests with 5 KB bodies; the ring's memory stays within
// its bound and the counters stay exact.
TEST(Journal, HundredThousandFiveKilobyteRequestsStayWithinTheBytesBound) {
  JournalBounds bounds;
  bounds.capacity = 1'000'000;
  bounds.max_bytes = std::size_t{16} << 20;
  const std::size_t before = resident_bytes();
  {
    Journal journal(bounds);
    JournalEntry e = request("A", std::string(5'000, 'p'));
    for (int i = 0; i < 100'000; ++i) {
      e.body[i % e.body.size()] = static_cast<char>('a' + i % 26); // each body differs
      journal.append(e);
    }
    const std::size_t grown = resident_bytes() - std::min(before, resident_bytes());
    EXPECT_LE(grown, bounds.max_bytes + (std::size_t{4} << 20))
        << "the ring of " << journal.capacity() << " slots grew resident memory by " << grown;
    const auto counters = journal.counters();
    EXPECT_EQ(counters.requests, 100'000u);
    EXPECT_EQ(counters.dropped, 100'000u - journal.capacity());
    EXPECT_EQ(journal.query({}, 1'000'000).size(), journal.capacity());
  }
}

TEST(Journal, DeliveryStepsJoinTheirEntryWhileItIsInTheRing) {
  JournalBounds bounds;
  bounds.capacity = 2;
  Journal journal(bounds);
  const auto first = journal.append(request("A"));
  journal.add_step(first, {kNow, DeliveryStatus::Stored, {}});
  journal.add_step(first, {kNow, DeliveryStatus::Device, "call shown"});
  const auto found = journal.find("A");
  ASSERT_TRUE(found);
  ASSERT_EQ(found->delivery.size(), 2u);
  EXPECT_EQ(found->delivery[1].detail, "call shown");
  journal.append(request("B"));
  journal.append(request("C")); // A leaves the ring
  journal.add_step(first, {kNow, DeliveryStatus::DeliveredFromStorage, {}});
  EXPECT_FALSE(journal.find("A"));
  EXPECT_TRUE(journal.find("B")->delivery.empty()) << "a step for a gone entry lands nowhere";
}

TEST(DeliveryStatus, NamesAreApplesWords) {
  EXPECT_EQ(delivery_status_name(DeliveryStatus::Stored), "Stored \u2014 device offline");
  EXPECT_EQ(parse_delivery_status("Discarded \u2014 expired"), DeliveryStatus::DiscardedExpired);
  EXPECT_FALSE(parse_delivery_status("delivered"));
}

} // namespace
} // namespace mock_apns
