// The journal keeps whole requests within its bounds (issue #20): the authorization header
// without its signature, bodies up to the limit with their true size, a ring bounded by count
// and by bytes whatever clients send, lookups by apns-id, header and payload text, and the
// delivery steps of a push.
#include "mock_apns/journal.hpp"

#include <algorithm>
#include <fstream>
#include <string>

#include <gtest/gtest.h>
#include <unistd.h>

namespace mock_apns {
namespace {

const core::TimePoint kNow = core::from_unix_seconds(1767225600);

#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
constexpr bool kSanitized = true;
#else
constexpr bool kSanitized = false;
#endif

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
  const net::Headers sent = found->request_headers.unpack();
  ASSERT_EQ(sent.size(), 2u);
  EXPECT_EQ(sent[1].name, "apns-collapse-id");
  EXPECT_EQ(found->body, R"({"aps":{}})");
  ASSERT_EQ(found->answer_headers.size(), 1u);
  EXPECT_FALSE(journal.find("6F0E0A4C-0000-4000-8000-000000000009"));
}

TEST(Journal, AStepByApnsIdGoesToTheNewestEntryAnsweredWithIt) {
  Journal journal;
  const std::uint64_t older = journal.append(request("6F0E0A4C-0000-4000-8000-00000000000A"));
  const std::uint64_t newer = journal.append(request("6F0E0A4C-0000-4000-8000-00000000000A"));
  journal.append(request("6F0E0A4C-0000-4000-8000-00000000000B"));
  EXPECT_TRUE(journal.add_step_by_apns_id("6f0e0a4c-0000-4000-8000-00000000000a",
                                          {kNow, DeliveryStatus::Device, "call shown"}));
  EXPECT_EQ(journal.find_sequence(newer)->delivery.size(), 1u);
  EXPECT_TRUE(journal.find_sequence(older)->delivery.empty());
  EXPECT_FALSE(journal.add_step_by_apns_id("6F0E0A4C-0000-4000-8000-00000000000C",
                                           {kNow, DeliveryStatus::Device, "call shown"}));
}

TEST(Journal, FiltersByAnyHeaderAndByTextInThePayload) {
  Journal journal;
  journal.append(request("A", R"({"aps":{},"caller":"alice"})"));
  JournalEntry other = request("B", R"({"aps":{},"caller":"bob"})");
  other.request_headers = {{"apns-push-type", "voip"}, {"apns-collapse-id", "call-2"}};
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

// Acceptance 3 of issue #20: 100,000 requests with 5 KB bodies, written as the connection writes
// them (keep_request, then Journal::write), from hostile clients besides: long paths, many headers,
// a large header moving from place to place so that every slot's strings could grow. Resident
// memory stays within the ring's bound and the counters stay exact.
TEST(Journal, HundredThousandHostileRequestsStayWithinTheBytesBound) {
  JournalBounds bounds;
  bounds.capacity = 1'000'000;
  bounds.max_bytes = std::size_t{16} << 20;
  const std::size_t before = resident_bytes();
  {
    Journal journal(bounds);
    JournalEntry entry; // as a connection fills its own
    net::Request sent;
    sent.method = "POST";
    sent.body = std::string(5'000, 'p');
    for (int i = 0; i < 100'000; ++i) {
      sent.path = "/3/device/" + std::string(100 + i % 900, 'a');
      sent.headers.assign(12, net::Header{"x-filler", "v"});
      sent.headers[i % 12].value.assign(2'000 + i % 1'000, 'h'); // the large one moves
      sent.body[i % sent.body.size()] = static_cast<char>('a' + i % 26);
      keep_request(sent, bounds, entry);
      keep_text(std::string_view(sent.path).substr(10), entry.token);
      journal.write(journal.reserve(), entry);
    }
    const std::size_t now = resident_bytes();
    const std::size_t grown = now - std::min(before, now);
    // A sanitizer's allocator keeps freed memory in quarantine and shadows the rest: resident
    // memory says nothing there. The plain build checks it.
    if (!kSanitized) {
      EXPECT_LE(grown, bounds.max_bytes + (std::size_t{4} << 20))
          << "the ring of " << journal.capacity() << " slots grew resident memory by " << grown;
    }
    const auto counters = journal.counters();
    EXPECT_EQ(counters.requests, 100'000u);
    EXPECT_EQ(counters.dropped, 100'000u - journal.capacity());
    const auto kept = journal.query({}, 1'000'000);
    ASSERT_EQ(kept.size(), journal.capacity());
    const auto longest =
        std::max_element(kept.begin(), kept.end(), [](const auto& a, const auto& b) {
          return a.path.size() < b.path.size();
        });
    EXPECT_EQ(longest->path.size(), kJournalTextLimit) << "long texts are cut";
  }
}

TEST(Journal, HeadersBeyondTheBoundAreSummedUpInOneField) {
  JournalBounds bounds;
  bounds.header_bytes = 1'024;
  net::Request sent;
  for (int i = 0; i < 40; ++i)
    sent.headers.push_back({"x-field-" + std::to_string(i), std::string(40, 'v')});
  JournalEntry entry;
  keep_request(sent, bounds, entry);
  const net::Headers kept = entry.request_headers.unpack();
  ASSERT_LT(kept.size(), 40u);
  EXPECT_EQ(kept.front().name, "x-field-0") << "in arrival order";
  EXPECT_EQ(kept.back().name, "(not kept)");
  EXPECT_NE(kept.back().value.find("more header fields"), std::string::npos);
  EXPECT_LE(entry.request_headers.bytes(), bounds.header_bytes);
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
  // Entry 1's slot now holds C (entry 3): the late step must not land there.
  EXPECT_TRUE(journal.find("C")->delivery.empty()) << "a step for a gone entry lands nowhere";
}

TEST(DeliveryStatus, NamesAreApplesWords) {
  EXPECT_EQ(delivery_status_name(DeliveryStatus::Stored), "Stored \u2014 device offline");
  EXPECT_EQ(parse_delivery_status("Discarded \u2014 expired"), DeliveryStatus::DiscardedExpired);
  EXPECT_FALSE(parse_delivery_status("delivered"));
}

} // namespace
} // namespace mock_apns
