// The pipeline's records in the API's JSON shape: each reads back as what was written, and a
// missing or mistyped field is refused by name, never defaulted (issue #24 point 2).
#include "pipeline/records_json.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

namespace {

using nlohmann::json;

pipeline::CertificateRecord certificate() {
  pipeline::CertificateRecord c;
  c.record_id = 7;
  c.name = "Acme VoIP";
  c.bundle_id = "com.example.imapp";
  c.cert_id_dev = 1013;
  c.cert_id_prod = 1014;
  c.not_before = core::from_unix_millis(1'700'000'000'000);
  c.not_after = core::from_unix_millis(1'800'000'000'000);
  c.health = pipeline::CertificateHealth::BadCertificate;
  return c;
}

pipeline::MessageRecord message(bool answered) {
  pipeline::MessageRecord m;
  m.message_id = "msg-3";
  m.sender = "alice";
  m.receiver = "bob";
  m.state = answered ? pipeline::MessageState::Rejected : pipeline::MessageState::Pending;
  m.reason = answered ? "BadDeviceToken" : "";
  m.apns_id = answered ? "5d8f1b1e-0000-4000-8000-000000000003" : "";
  m.attempts = answered ? 1 : 0;
  m.created_at = core::from_unix_millis(1'767'225'000'123);
  if (answered) m.random = 18'446'744'073'709'551'615u; // the SDK's MsgRandom: any 64-bit value
  if (answered) { // one push per installation (im-voip-flow.md §3.4)
    pipeline::PushRecord rejected;
    rejected.installation = "bobs-iphone";
    rejected.state = m.state;
    rejected.reason = m.reason;
    rejected.apns_id = m.apns_id;
    rejected.attempts = 1;
    pipeline::PushRecord skipped;
    skipped.installation = "bobs-ipad";
    skipped.state = pipeline::MessageState::SkippedOnline;
    m.pushes = {rejected, skipped};
  }
  return m;
}

pipeline::Registration registration() {
  pipeline::Registration r;
  r.user = "bob";
  r.installation = "bobs-ipad";
  r.token_hex = std::string(64, 'a');
  r.environment = pipeline::Environment::Production;
  r.bundle_id = "com.example.imapp";
  r.state = pipeline::RegistrationState::Inactive;
  r.reason = "KICKED";
  r.updated_at = core::from_unix_millis(1'767'225'000'000);
  return r;
}

TEST(RecordsJson, EachTypeReadsBackAsWritten) {
  const json c = pipeline::to_json(certificate());
  const auto c_back = pipeline::certificate_from_json(c);
  ASSERT_TRUE(c_back) << c_back.error().detail;
  EXPECT_EQ(pipeline::to_json(*c_back), c);

  for (bool answered : {false, true}) {
    const json m = pipeline::to_json(message(answered));
    EXPECT_EQ(m["reason"].is_null(), !answered) << m;
    EXPECT_EQ(m["random"].is_null(), !answered) << m;
    const auto m_back = pipeline::message_from_json(m);
    ASSERT_TRUE(m_back) << m_back.error().detail;
    EXPECT_EQ(pipeline::to_json(*m_back), m);
    EXPECT_EQ(m_back->pushes.size(), answered ? 2u : 0u);
  }
  const auto p = message(true).pushes.front();
  const auto p_back = pipeline::push_from_json(pipeline::to_json(p));
  ASSERT_TRUE(p_back) << p_back.error().detail;
  EXPECT_EQ(pipeline::to_json(*p_back), pipeline::to_json(p));
  EXPECT_EQ(pipeline::to_json(message(true).pushes.back())["apns_id"], nullptr);

  const json r = pipeline::to_json(registration());
  const auto r_back = pipeline::registration_from_json(r);
  ASSERT_TRUE(r_back) << r_back.error().detail;
  EXPECT_EQ(pipeline::to_json(*r_back), r);

  const pipeline::ReceiveSetting s{pipeline::ReceiveScope::Conversation, "alice",
                                   pipeline::ReceiveOption::ReceiveNotNotify};
  const auto s_back = pipeline::receive_setting_from_json(pipeline::to_json(s));
  ASSERT_TRUE(s_back) << s_back.error().detail;
  EXPECT_EQ(*s_back, s);
  EXPECT_EQ(
      pipeline::to_json(s),
      json({{"scope", "conversation"}, {"target", "alice"}, {"option", "RECEIVE_NOT_NOTIFY"}}));
  const auto bad =
      pipeline::receive_setting_from_json(json({{"scope", "global"}, {"option", "mute"}}));
  ASSERT_FALSE(bad);
  EXPECT_NE(bad.error().detail.find("\"option\" \"mute\" is not RECEIVE, NOT_RECEIVE"),
            std::string::npos)
      << bad.error().detail;
}

TEST(RecordsJson, ACertificateListReadsBackAsWritten) {
  auto second = certificate();
  second.record_id = 8;
  const auto back = pipeline::certificate_list_from_json(
      pipeline::certificate_list_json({certificate(), second}));
  ASSERT_TRUE(back) << back.error().detail;
  ASSERT_EQ(back->size(), 2u);
  EXPECT_EQ(pipeline::to_json((*back)[1]), pipeline::to_json(second));
  json broken = pipeline::certificate_list_json({certificate(), second});
  broken["certificates"][1].erase("health");
  const auto refused = pipeline::certificate_list_from_json(broken);
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().detail.rfind("certificate 1: ", 0), 0u) << refused.error().detail;
}

// "warnings" belong to the upload's answer (request_json.hpp), not to the stored record.
TEST(RecordsJson, ACertificateRecordHasNoWarnings) {
  json c = pipeline::to_json(certificate());
  c["warnings"] = json::array({"universal certificate"});
  const auto read = pipeline::certificate_from_json(c);
  ASSERT_FALSE(read);
  EXPECT_NE(read.error().detail.find("warnings"), std::string::npos) << read.error().detail;
}

TEST(RecordsJson, AMissingOrMistypedFieldIsRefusedByName) {
  for (const char* field : {"record_id", "name", "not_after_ms", "health"}) {
    json c = pipeline::to_json(certificate());
    c.erase(field);
    const auto read = pipeline::certificate_from_json(c);
    ASSERT_FALSE(read) << field;
    EXPECT_NE(read.error().detail.find(std::string("\"") + field + "\""), std::string::npos)
        << read.error().detail;
  }
  for (const char* field : {"reason", "apns_id", "attempts", "state"}) {
    json m = pipeline::to_json(message(false));
    m.erase(field);
    const auto read = pipeline::message_from_json(m);
    ASSERT_FALSE(read) << field;
    EXPECT_NE(read.error().detail.find(std::string("\"") + field + "\""), std::string::npos)
        << read.error().detail;
  }
  for (const char* field : {"installation", "state", "attempts"}) {
    json m = pipeline::to_json(message(true));
    m["pushes"][1].erase(field);
    const auto read = pipeline::message_from_json(m);
    ASSERT_FALSE(read) << field;
    EXPECT_NE(read.error().detail.find(std::string("\"") + field + "\""), std::string::npos)
        << read.error().detail;
  }
  json m = pipeline::to_json(message(true));
  m["attempts"] = "one";
  EXPECT_FALSE(pipeline::message_from_json(m));
  m = pipeline::to_json(message(true));
  m["state"] = "delivered";
  EXPECT_FALSE(pipeline::message_from_json(m));

  json r = pipeline::to_json(registration());
  r["environment"] = "staging";
  EXPECT_FALSE(pipeline::registration_from_json(r));
  r = pipeline::to_json(registration());
  r["extra"] = 1;
  EXPECT_FALSE(pipeline::registration_from_json(r));
}

} // namespace
