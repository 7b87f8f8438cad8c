// The mock's JSON for the types other parts read back (the live scenario world reads journal
// entries, the remote device deliveries): each reads back as written, and a missing or mistyped
// field is refused by name (issue #24 point 2).
#include "mock_apns/json_codec.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

namespace mock_apns {
namespace {

using nlohmann::json;

JournalEntry rejected_entry() {
  JournalEntry e;
  e.sequence = 12;
  e.time = core::TimePoint(std::chrono::milliseconds(1'767'225'600'250));
  e.environment = Environment::Production;
  e.connection_id = 3;
  e.auth = "certificate com.example.imapp";
  e.method = "POST";
  e.path = "/3/device/" + std::string(64, 'b');
  e.apns_id = "0F1E2D3C-4B5A-6978-8796-A5B4C3D2E1F0";
  e.token = std::string(64, 'b');
  e.topic = "com.example.imapp.voip";
  e.push_type = PushType::Voip;
  e.status = 410;
  e.reason = Reason::Unregistered;
  e.timestamp_ms = 1'767'225'000'000;
  e.cause = "the app was uninstalled";
  e.payload_bytes = 120;
  e.goaway = true;
  return e;
}

TEST(JsonCodec, AJournalEntryReadsBackAsWritten) {
  JournalEntry accepted = rejected_entry();
  accepted.status = 200;
  accepted.reason.reset();
  accepted.push_type.reset();
  accepted.timestamp_ms.reset();
  accepted.goaway = false;
  accepted.answer_dropped = true;
  for (const JournalEntry& e : {rejected_entry(), accepted}) {
    const json j = to_json(e);
    const auto back = journal_entry_from_json(j);
    ASSERT_TRUE(back) << back.error().detail;
    EXPECT_EQ(to_json(*back), j);
  }
}

TEST(JsonCodec, AJournalEntryMissingAFieldIsRefusedByName) {
  for (const char* field : {"sequence", "status", "reason", "push_type", "path", "cause"}) {
    json j = to_json(rejected_entry());
    j.erase(field);
    const auto back = journal_entry_from_json(j);
    ASSERT_FALSE(back) << field;
    EXPECT_NE(back.error().detail.find(std::string("\"") + field + "\""), std::string::npos)
        << back.error().detail;
  }
  json j = to_json(rejected_entry());
  j["reason"] = "NoSuchReason";
  EXPECT_FALSE(journal_entry_from_json(j));
}

TEST(JsonCodec, ADeliveryReadsBackAsWrittenBinaryPayloadIncluded) {
  Delivery d;
  d.sequence = 4;
  d.apns_id = "0F1E2D3C-4B5A-6978-8796-A5B4C3D2E1F0";
  d.environment = Environment::Sandbox;
  d.unique_id = "bf9cce4e-6edc-462f-bf27-9a9630f43128";
  d.token = std::string(64, 'a');
  d.topic = "com.example.imapp.voip";
  d.push_type = PushType::Voip;
  d.priority = 5;
  d.expiration = 0;
  d.collapse_id = "call-1";
  d.payload = R"({"aps":{}})";
  d.received_at = core::TimePoint(std::chrono::milliseconds(1'767'225'600'250));
  Delivery binary = d;
  binary.payload = std::string("\x1f\x8b\x08\x00\xff", 5);
  binary.invalid_payload = true;
  binary.expiration.reset();
  binary.unique_id.clear();
  for (const Delivery& one : {d, binary}) {
    const json j = to_json(one);
    const auto back = delivery_from_json(j);
    ASSERT_TRUE(back) << back.error().detail;
    EXPECT_EQ(to_json(*back), j);
    EXPECT_EQ(back->payload, one.payload);
  }
}

} // namespace
} // namespace mock_apns
