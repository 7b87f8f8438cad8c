// The mock's JSON, one shape per type: each reads back as written (the live scenario world reads
// journal entries, the remote device deliveries, the CLI --tokens and --config files), and a
// missing or mistyped field is refused by name (issue #24 point 2). JournalCounters alone is
// written for people only.
#include "core/apns_error_body.hpp"
#include "mock_apns/error_body.hpp"
#include "mock_apns/json_codec.hpp"
#include "pki/keys.hpp"

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
  e.auth_kind = AuthKind::Certificate;
  e.certificate_kind = pki::CertificateKind::VoipServices;
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
  accepted.auth_kind = AuthKind::Token;
  accepted.certificate_kind.reset();
  // Issue #20: the whole request, the answer and the delivery steps read back too, a body that
  // is not UTF-8 included.
  accepted.priority = 5;
  accepted.request_headers = {
      {"apns-topic", "com.example.imapp.voip"},
      {"authorization", "bearer eyJhIjoxfQ.eyJiIjoyfQ; signature: 64 bytes"}};
  accepted.body = std::string("\x1f\x8b\x08\xff", 4);
  accepted.answer_headers = {{"apns-id", accepted.apns_id}};
  accepted.delivery = {{accepted.time, DeliveryStatus::Stored, {}},
                       {accepted.time, DeliveryStatus::Device, "call shown"}};
  for (const JournalEntry& e : {rejected_entry(), accepted}) {
    const json j = to_json(e);
    const auto back = journal_entry_from_json(j);
    ASSERT_TRUE(back) << back.error().detail;
    EXPECT_EQ(to_json(*back), j);
  }
}

TEST(JsonCodec, AJournalEntryMissingAFieldIsRefusedByName) {
  for (const char* field : {"sequence", "status", "reason", "push_type", "path", "cause",
                            "auth_kind", "certificate_kind"}) {
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

TEST(JsonCodec, ATokenRecordReadsBackAsWritten) {
  TokenRecord r;
  r.token = std::string(64, 'c');
  r.environment = Environment::Production;
  r.topic = "com.example.imapp.voip";
  r.state = TokenState::Unregistered;
  r.timestamp_ms = 1'767'225'000'000;
  const auto back = token_record_from_json(to_json(r));
  ASSERT_TRUE(back) << back.error().detail;
  EXPECT_EQ(*back, r);

  json no_environment = to_json(r);
  no_environment.erase("environment");
  const auto refused = token_record_from_json(no_environment);
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().detail, "\"environment\" is required");
}

// The listing leaves the key out: given it again, a listed key reads back as its spec.
TEST(JsonCodec, AListedKeyReadsBackAsItsSpecGivenItsKey) {
  const auto p8 = pki::generate_private_key(pki::KeyType::EcP256);
  ASSERT_TRUE(p8);
  ProviderKeySpec spec;
  spec.key_id = "ABCDE12345";
  spec.team_id = "TEAM123456";
  spec.kind = KeyKind::TopicSpecific;
  spec.sandbox = false;
  spec.bundle_ids = {"com.example.imapp"};
  spec.related_key_id = "ZYXWV98765";
  spec.public_key_pem = *pki::public_key_pem_of(*p8);
  ProviderKeys keys;
  ASSERT_TRUE(keys.add(spec));
  const auto key = keys.find(spec.key_id);
  ASSERT_TRUE(key);
  key->revoke();
  json listed = to_json(*key);
  EXPECT_FALSE(listed.contains("public_key_pem"));
  listed["public_key_pem"] = key->spec().public_key_pem;
  const auto back = key_spec_from_json(listed);
  ASSERT_TRUE(back) << back.error().detail;
  ProviderKeySpec expected = key->spec();
  expected.revoked = true;
  EXPECT_EQ(*back, expected);
}

// What a client posts to /v1/keys (the scenario's live world) is what the mock reads.
TEST(JsonCodec, AKeySpecReadsBackAsWritten) {
  ProviderKeySpec spec;
  spec.key_id = "ABCDE12345";
  spec.team_id = "TEAM123456";
  spec.production = false;
  spec.public_key_pem = "-----BEGIN PUBLIC KEY-----\n...\n-----END PUBLIC KEY-----\n";
  const json written = to_json(spec);
  EXPECT_EQ(written.at("environments"), json::array({"sandbox"}));
  const auto back = key_spec_from_json(written);
  ASSERT_TRUE(back) << back.error().detail;
  EXPECT_EQ(*back, spec);
}

// What a client posts to /v1/faults is what the mock reads.
TEST(JsonCodec, AFaultRuleReadsBackAsWritten) {
  FaultRule rule;
  rule.scope = FaultScope::Token;
  rule.match = std::string(64, 'a');
  rule.count = 3;
  rule.reason = Reason::Unregistered;
  rule.latency = std::chrono::milliseconds(20);
  for (const FaultRule& one : {rule, FaultRule{}}) {
    const auto back = fault_rule_from_json(to_json(one));
    ASSERT_TRUE(back) << back.error().detail;
    EXPECT_EQ(*back, one);
  }
}

TEST(JsonCodec, AListedFaultReadsBackAsWritten) {
  ListedFault f;
  f.id = 7;
  f.applied = 2;
  f.rule.scope = FaultScope::Topic;
  f.rule.match = "com.example.imapp.voip";
  f.rule.skip = 1;
  f.rule.count = -1;
  f.rule.reason = Reason::TooManyRequests;
  f.rule.goaway = Reason::Shutdown;
  f.rule.latency = std::chrono::milliseconds(250);
  f.rule.probability = 0.5;
  ListedFault dropping;
  dropping.id = 8;
  dropping.rule.drop = true;
  for (const ListedFault& one : {f, dropping}) {
    const auto back = listed_fault_from_json(to_json(one));
    ASSERT_TRUE(back) << back.error().detail;
    EXPECT_EQ(*back, one);
  }
  json bad_reason = to_json(f);
  bad_reason["reason"] = "NoSuchReason";
  const auto refused = listed_fault_from_json(bad_reason);
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().detail, "\"reason\" \"NoSuchReason\" is not an APNs reason");
}

TEST(JsonCodec, SettingsReadBackAsWritten) {
  Settings s;
  s.strict_tokens = false;
  s.token_syntax = {16, 128};
  s.unregister_delay = std::chrono::milliseconds(1500);
  s.env_key_reason_spelling = ReasonSpelling::Documented;
  s.per_stream_cert_env_errors = true;
  s.token_max_age = std::chrono::seconds(60);
  s.per_token_burst = 0;
  s.max_concurrent_streams = 10;
  s.error_throttling = true;
  s.stream_idle_timeout = std::chrono::milliseconds(250);
  s.zero_expiry_grace = std::chrono::milliseconds(0);
  Settings back;
  const auto applied = apply_settings_json(to_json(s), back);
  ASSERT_TRUE(applied) << applied.error().detail;
  EXPECT_EQ(back, s);

  json wrong = to_json(s);
  wrong["envKeyReasonSpelling"] = "british";
  const auto refused = apply_settings_json(wrong, back);
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().detail,
            "\"envKeyReasonSpelling\" \"british\" is not observed or documented");
}

// The admin API's small bodies and answers: what fake_device's link and the scenario's live
// world write or read is what admin_api.cpp reads or writes.
TEST(JsonCodec, AReachabilityChangeReadsBackAsWritten) {
  for (const bool reachable : {true, false}) {
    const auto back = reachable_from_body(reachability_body(reachable));
    ASSERT_TRUE(back) << back.error().detail;
    EXPECT_EQ(*back, reachable);
  }
  const auto missing = reachable_from_body(json::object());
  ASSERT_FALSE(missing);
  EXPECT_NE(missing.error().detail.find("\"reachable\" is required"), std::string::npos)
      << missing.error().detail;
}

TEST(JsonCodec, AnUninstallReadsBackAsWrittenItsTimestampOptional) {
  for (const auto at :
       {std::optional<std::int64_t>(1'767'225'600'250), std::optional<std::int64_t>()}) {
    const auto back = unregister_timestamp_from_body(unregister_body(at));
    ASSERT_TRUE(back) << back.error().detail;
    EXPECT_EQ(*back, at);
  }
  EXPECT_FALSE(unregister_timestamp_from_body(json{{"timestamp", "yesterday"}}));
  EXPECT_FALSE(unregister_timestamp_from_body(json{{"when", 1}}));
}

TEST(JsonCodec, TheHealthAnswerReadsBackAsWritten) {
  AdminHealth h;
  h.sandbox_port = 2197;
  h.production_port = 2198;
  h.tokens = 3;
  h.keys = 1;
  h.deliveries = 18'446'744'073'709'551'615u;
  const auto back = admin_health_from_json(to_json(h));
  ASSERT_TRUE(back) << back.error().detail;
  EXPECT_EQ(to_json(*back), to_json(h));
  json no_cursor = to_json(h);
  no_cursor.erase("deliveries");
  EXPECT_FALSE(admin_health_from_json(no_cursor));
}

TEST(JsonCodec, TheReadyLineReadsBackAsPrintedEventFirst) {
  ReadyLine r;
  r.sandbox = "127.0.0.1:2197";
  r.production = "127.0.0.1:2198";
  r.admin = "[::1]:8080";
  r.console = "http://[::1]:8080/";
  r.pki = "/tmp/voipsim-mock-abc";
  const std::string line = to_json(r).dump();
  EXPECT_EQ(line.rfind("{\"event\":\"ready\",", 0), 0u) << line;
  const auto back = ready_line_from_json(json::parse(line));
  ASSERT_TRUE(back) << back.error().detail;
  EXPECT_EQ(to_json(*back), to_json(r));
  json stopped = json::parse(line);
  stopped["event"] = "stopped";
  EXPECT_FALSE(ready_line_from_json(stopped));
}

// What the mock writes as an error body is what every APNs client in voipsim reads.
TEST(JsonCodec, AnErrorBodyReadsBackThroughTheClientsReader) {
  std::string body;
  append_error_body(body, Reason::Unregistered, ReasonSpelling::Observed, 1'767'225'600'250);
  const auto read = core::apns_error_body_of(body);
  EXPECT_EQ(read.reason, "Unregistered");
  EXPECT_EQ(read.timestamp_ms, 1'767'225'600'250);
  EXPECT_EQ(core::apns_error_body_of(
                reason_json(Reason::BadCertificateEnvironment, ReasonSpelling::Observed))
                .reason,
            "BadCertificateEnvironment");
}

TEST(JsonCodec, AFeedPageReadsBackAsWrittenSkippingWhatItCannotRead) {
  Delivery d;
  d.apns_id = "0F1E2D3C-4B5A-6978-8796-A5B4C3D2E1F0";
  d.token = std::string(64, 'a');
  d.topic = "com.example.imapp.voip";
  d.payload = R"({"aps":{}})";
  d.received_at = core::from_unix_millis(1'767'225'600'250);
  FeedPage page;
  page.deliveries = {{7, d}, {9, d}};
  page.next = 9;
  const auto back = feed_page_from_json(to_json(page));
  ASSERT_TRUE(back) << back.error().detail;
  EXPECT_EQ(to_json(*back), to_json(page));
  EXPECT_EQ(back->first_cursor, 7u);
  EXPECT_TRUE(back->skipped.empty());

  json odd = to_json(page);
  odd["deliveries"][0].erase("token");
  const auto skipping = feed_page_from_json(odd);
  ASSERT_TRUE(skipping) << skipping.error().detail;
  ASSERT_EQ(skipping->deliveries.size(), 1u);
  EXPECT_EQ(skipping->deliveries[0].first, 9u);
  EXPECT_EQ(skipping->first_cursor, 7u); // the gap check still sees where the page began
  ASSERT_EQ(skipping->skipped.size(), 1u);
  EXPECT_NE(skipping->skipped[0].find("\"token\" is required"), std::string::npos);
  EXPECT_FALSE(feed_page_from_json(json{{"deliveries", json::array()}}));
}

TEST(JsonCodec, AJournalPageReadsBackItsEntries) {
  JournalEntry e;
  e.sequence = 4;
  e.time = core::from_unix_millis(1'767'225'600'250);
  e.method = "POST";
  e.path = "/3/device/" + std::string(64, 'a');
  e.token = std::string(64, 'a');
  e.topic = "com.example.imapp.voip";
  e.status = 200;
  JournalCounters counters;
  const json page = journal_page_json({e, e}, counters);
  const auto back = journal_page_entries_from_json(page);
  ASSERT_TRUE(back) << back.error().detail;
  ASSERT_EQ(back->size(), 2u);
  EXPECT_EQ(to_json((*back)[1]), to_json(e));
  // The console's list: no capture fields at all, rather than empty ones.
  e.request_headers = {{"apns-topic", e.topic}};
  e.body = R"({"aps":{}})";
  e.payload_bytes = e.body.size();
  const json summary = journal_summary_page_json({e}, counters);
  EXPECT_EQ(summary["summary"], true);
  for (const char* key : {"request_headers", "body", "body_truncated", "answer_headers"})
    EXPECT_FALSE(summary["entries"][0].contains(key)) << key;
  EXPECT_EQ(summary["entries"][0]["token"], e.token);
  json broken = page;
  broken["entries"][1].erase("status");
  const auto refused = journal_page_entries_from_json(broken);
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().detail.rfind("entry 1: ", 0), 0u) << refused.error().detail;
}

} // namespace
} // namespace mock_apns
