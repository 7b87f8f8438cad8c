// The bodies clients POST to the pipeline: what a client writes (pipeline/request_json.hpp) is
// what api.cpp reads, and a missing required field is an error naming it.

#include "pipeline/records_json.hpp"
#include "pipeline/request_json.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

namespace pipeline {
namespace {

using nlohmann::json;

TEST(RequestJson, AMessageReadsBackAsWritten) {
  MessageToSend m;
  m.sender = "alice";
  m.receiver = "bob";
  m.content = "hi";
  m.online_user_only = true;
  m.offline_push_info = OfflinePushInfo{"voip", R"({"call":"1"})", "Alice", "calling", true};
  for (const auto& info : {m.offline_push_info, std::optional<OfflinePushInfo>{}}) {
    MessageToSend one = m;
    one.offline_push_info = info;
    one.random = info ? std::optional<std::uint64_t>(18'446'744'073'709'551'615u) : std::nullopt;
    const auto back = message_to_send_from_json(to_json(one));
    ASSERT_TRUE(back) << back.error().detail;
    EXPECT_EQ(to_json(*back), to_json(one));
    EXPECT_EQ(back->offline_push_info.has_value(), info.has_value());
  }
}

// A group message names a group and no receiver (im-voip-flow.md §4.3 "Group sends"): the
// reader takes either; the pipeline refuses a message with neither or both.
TEST(RequestJson, AGroupMessageRoundTripsAndAOneToOneBodyIsAsItWas) {
  MessageToSend group{"alice", "", "", false, std::nullopt, 7, "team", {"carol", "dave"}};
  const auto j = to_json(group);
  EXPECT_EQ(j["group"], "team");
  EXPECT_EQ(j["at_users"], nlohmann::json::parse(R"(["carol","dave"])"));
  const auto read = message_to_send_from_json(j);
  ASSERT_TRUE(read) << read.error().detail;
  EXPECT_EQ(read->group, "team");
  EXPECT_EQ(read->at_users, group.at_users);
  EXPECT_TRUE(read->receiver.empty());
  const auto one_to_one =
      to_json(MessageToSend{"alice", "bob", "", false, std::nullopt, std::nullopt, {}, {}});
  EXPECT_FALSE(one_to_one.contains("group"));
  EXPECT_FALSE(one_to_one.contains("at_users"));
}

TEST(RequestJson, AMessageWithAnOddPushInfoIsRefused) {

  auto odd_info =
      to_json(MessageToSend{"alice", "bob", "", false, std::nullopt, std::nullopt, {}, {}});
  odd_info["offline_push_info"] = "voip";
  auto read = message_to_send_from_json(odd_info);
  ASSERT_FALSE(read);
  EXPECT_EQ(read.error().detail, "\"offline_push_info\" must be a JSON object");
}

TEST(RequestJson, ACertificateUploadReadsBackAsWritten) {
  CertificateUpload upload;
  upload.name = "Acme VoIP";
  upload.p12_der = std::string("\x30\x82\x00\xff\xfe", 5); // bytes, not text
  upload.password = "secret";
  upload.allow_other_types = true;
  const auto back = certificate_upload_from_json(to_json(upload));
  ASSERT_TRUE(back) << back.error().detail;
  EXPECT_EQ(to_json(*back), to_json(upload));
  EXPECT_EQ(back->p12_der, upload.p12_der);
}

TEST(RequestJson, ACertificateUploadSaysWhatIsWrong) {
  json no_p12 = {{"name", "Acme VoIP"}};
  auto read = certificate_upload_from_json(no_p12);
  ASSERT_FALSE(read);
  EXPECT_EQ(read.error().detail, "\"p12_base64\" is required");
  read = certificate_upload_from_json({{"name", "Acme VoIP"}, {"p12_base64", "not base64!"}});
  ASSERT_FALSE(read);
  EXPECT_EQ(read.error().detail, "\"p12_base64\" is not base64 (try: base64 -w0 F.p12)");
}

TEST(RequestJson, AnUploadAnswerReadsBackAsWritten) {
  UploadedCertificate uploaded;
  uploaded.record.record_id = 7;
  uploaded.record.name = "Acme VoIP";
  uploaded.record.bundle_id = "com.example.imapp";
  uploaded.record.cert_id_dev = 1013;
  uploaded.record.cert_id_prod = 1014;
  uploaded.record.not_before = core::from_unix_millis(1'700'000'000'000);
  uploaded.record.not_after = core::from_unix_millis(1'800'000'000'000);
  uploaded.warnings = {"universal certificate"};
  const auto back = uploaded_certificate_from_json(to_json(uploaded));
  ASSERT_TRUE(back) << back.error().detail;
  EXPECT_EQ(to_json(*back), to_json(uploaded));

  json no_warnings = to_json(uploaded);
  no_warnings.erase("warnings");
  const auto read = uploaded_certificate_from_json(no_warnings);
  ASSERT_FALSE(read);
  EXPECT_EQ(read.error().detail, "\"warnings\" is required");
}

TEST(RequestJson, ASentMessagesAnswerReadsBackAsWritten) {
  const auto back = message_id_from_answer(message_accepted_answer("msg-42"));
  ASSERT_TRUE(back) << back.error().detail;
  EXPECT_EQ(*back, "msg-42");
  EXPECT_FALSE(message_id_from_answer(json::object()));
}

TEST(RequestJson, TheHealthAnswerReadsBackAsWrittenSettledOnlyAfterAWait) {
  for (const auto settled :
       {std::optional<bool>(), std::optional<bool>(true), std::optional<bool>(false)}) {
    PipelineHealth h;
    h.in_flight = 2;
    h.settled = settled;
    const auto back = pipeline_health_from_json(to_json(h));
    ASSERT_TRUE(back) << back.error().detail;
    EXPECT_EQ(back->in_flight, 2u);
    EXPECT_EQ(back->settled, settled);
  }
  EXPECT_FALSE(pipeline_health_from_json(json{{"status", "starting"}, {"in_flight", 0}}));
}

TEST(RequestJson, TheReadyLineReadsBackAsPrintedEventFirst) {
  ReadyLine r;
  r.listen = "127.0.0.1:8090";
  r.db = "pipeline.db";
  const std::string line = to_json(r).dump();
  EXPECT_EQ(line, R"({"event":"ready","listen":"127.0.0.1:8090","db":"pipeline.db"})");
  const auto back = ready_line_from_json(json::parse(line));
  ASSERT_TRUE(back) << back.error().detail;
  EXPECT_EQ(back->listen, r.listen);
  EXPECT_EQ(back->db, r.db);
}

TEST(RequestJson, ASetVoipReportReadsBackAsWrittenItsTokenNullable) {
  for (const VoipTokenBody& body : {VoipTokenBody{std::string(64, 'a'), 1001, "bobs-ipad"},
                                    VoipTokenBody{std::nullopt, 1002, kDefaultInstallation}}) {
    const auto back = voip_token_body_from_json(to_json(body));
    ASSERT_TRUE(back) << back.error().detail;
    EXPECT_EQ(back->token, body.token);
    EXPECT_EQ(back->certificate_id, body.certificate_id);
    EXPECT_EQ(back->installation, body.installation);
  }
  // im-voip-flow.md §3.4: a client of one phone names no installation.
  const auto plain = voip_token_body_from_json(json{{"token", nullptr}, {"certificate_id", 1}});
  ASSERT_TRUE(plain) << plain.error().detail;
  EXPECT_EQ(plain->installation, kDefaultInstallation);
  const auto no_token = voip_token_body_from_json(json{{"certificate_id", 1001}});
  ASSERT_FALSE(no_token);
  EXPECT_EQ(no_token.error().detail, "\"token\" is required (null: none)");
}

TEST(RequestJson, APresenceReportReadsBackAsWritten) {
  for (const auto presence : {Presence::Online, Presence::Background, Presence::Killed,
                              Presence::LoggedOut, Presence::Kicked}) {
    PresenceReport report;
    report.state = presence;
    report.installation = "bobs-ipad";
    const auto back = presence_report_from_json(to_json(report));
    ASSERT_TRUE(back) << back.error().detail;
    EXPECT_EQ(back->state, presence);
    EXPECT_EQ(back->installation, "bobs-ipad");
  }
  // im-voip-flow.md §3.4: a client of one phone names no installation.
  const auto plain = presence_report_from_json(json{{"state", "background"}});
  ASSERT_TRUE(plain) << plain.error().detail;
  EXPECT_EQ(plain->installation, kDefaultInstallation);
  const auto odd = presence_report_from_json(json{{"state", "away"}});
  ASSERT_FALSE(odd);
  EXPECT_EQ(odd.error().detail,
            "\"state\" \"away\" is not online, background, killed, logged_out or kicked");
}

} // namespace
} // namespace pipeline
